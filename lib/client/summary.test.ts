import { describe, expect, it } from 'vitest';
import type { InvoiceStatus } from '@/lib/shared/schemas/invoice';
import { isOverdue, localDate, summarizeInvoices, type SummaryRow } from './summary';

// Mid-month, midday: the same calendar day in every time zone the tests may run in.
const NOW = new Date('2026-11-15T12:00:00Z');

function row(status: InvoiceStatus, currency: string, payable: string, dueDate: string, extra: Partial<SummaryRow> = {}): SummaryRow {
  return { status, updatedAt: '2026-11-10T12:00:00Z', header: { type: 'invoice', currency, dueDate, amounts: { payable } }, ...extra };
}

describe('isOverdue', () => {
  it('is true from the day after the due date while the invoice is open', () => {
    expect(isOverdue(row('issued', 'EUR', '1.00', '2026-11-14'), '2026-11-15')).toBe(true);
    expect(isOverdue(row('issued', 'EUR', '1.00', '2026-11-15'), '2026-11-15')).toBe(false);
    expect(isOverdue(row('disputed', 'EUR', '1.00', '2026-01-01'), '2026-11-15')).toBe(true);
    for (const status of ['paid', 'cancelled', 'credited'] as const) expect(isOverdue(row(status, 'EUR', '1.00', '2026-01-01'), '2026-11-15')).toBe(false);
    expect(isOverdue({ ...row('issued', 'EUR', '1.00', '2026-01-01'), header: null }, '2026-11-15')).toBe(false);
  });
});

describe('summarizeInvoices', () => {
  const rows: SummaryRow[] = [
    row('issued', 'EUR', '0.10', '2026-12-01'),
    row('viewed', 'EUR', '0.20', '2026-11-01'),
    row('partially_paid', 'EUR', '1000000000000.01', '2026-10-01'),
    row('paid', 'EUR', '99.99', '2026-11-01'),
    row('paid', 'EUR', '5.00', '2026-10-01', { updatedAt: '2026-10-20T12:00:00Z' }),
    row('cancelled', 'EUR', '7.00', '2026-10-01'),
    row('issued', 'JPY', '1500', '2026-11-01'),
    row('payment_announced', 'CHF', '10.005', '2026-11-30'),
    { ...row('issued', 'EUR', '50.00', '2026-01-01'), header: { type: 'credit-note', currency: 'EUR', dueDate: '2026-01-01', amounts: { payable: '50.00' } } },
    { ...row('issued', 'USD', '1.00', '2026-01-01'), header: null },
  ];

  it('adds exactly per currency in the inbox: due, overdue, paid this month', () => {
    expect(summarizeInvoices(rows, 'inbox', NOW)).toEqual([
      { currency: 'CHF', open: { amount: '10.005', count: 1 }, overdue: { amount: '0.00', count: 0 }, paid: { amount: '0.00', count: 0 } },
      // 0.10 + 0.20 stays 0.30 (a float would not), and 10^12 keeps its cent.
      { currency: 'EUR', open: { amount: '1000000000000.31', count: 3 }, overdue: { amount: '1000000000000.21', count: 2 }, paid: { amount: '99.99', count: 1 } },
      { currency: 'JPY', open: { amount: '1500.00', count: 1 }, overdue: { amount: '1500.00', count: 1 }, paid: { amount: '0.00', count: 0 } },
    ]);
  });

  it('counts every paid invoice on the sent list', () => {
    const eur = summarizeInvoices(rows, 'sent', NOW).find((s) => s.currency === 'EUR');
    expect(eur?.paid).toEqual({ amount: '104.99', count: 2 });
    expect(eur?.open).toEqual({ amount: '1000000000000.31', count: 3 });
  });

  it('counts as paid this month what was paid from the first local instant of the month to the last', () => {
    // Instants in the test's own time zone, as the clerk's browser sees them.
    const instants = [new Date(2026, 10, 1), new Date(2026, 10, 1, 0, 0, 0, -1), new Date(2026, 11, 1, 0, 0, 0, -1), new Date(2026, 11, 1), new Date(2026, 10, 30, 23, 59)];
    const paid = instants.map((at) => row('paid', 'EUR', '1.00', '2026-11-01', { updatedAt: at.toISOString() }));
    expect(summarizeInvoices(paid, 'inbox', NOW)[0]?.paid).toEqual({ amount: '3.00', count: 3 });
    for (const one of paid) {
      const counted = summarizeInvoices([one], 'inbox', NOW)[0]?.paid.count === 1;
      expect(counted).toBe(localDate(new Date(one.updatedAt)).slice(0, 7) === '2026-11');
    }
  });

  it('is empty for no invoices', () => {
    expect(summarizeInvoices([], 'inbox', NOW)).toEqual([]);
  });
});
