import { describe, expect, it } from 'vitest';
import type { InvoiceStatus } from '@/lib/shared/schemas/invoice';
import { actionItems, moneyFigures, unopened, type DashboardRow } from './dashboard';

// Midday: the same calendar day in every time zone the tests may run in.
const NOW = new Date('2026-11-15T12:00:00Z');

let next = 0;
function row(status: InvoiceStatus, payable: string, dueDate: string, extra: Partial<DashboardRow['header']> = {}): DashboardRow {
  next += 1;
  return { id: `id-${next}`, status, updatedAt: `2026-11-${String(next).padStart(2, '0')}T10:00:00Z`, party: 'Acme', header: { type: 'invoice', number: `N-${next}`, currency: 'EUR', dueDate, amounts: { payable }, ...extra } };
}

describe('moneyFigures', () => {
  it('sums open, overdue and due within seven days per currency, exactly', () => {
    const rows = [
      row('issued', '0.10', '2026-11-14'), // overdue
      row('viewed', '0.20', '2026-11-15'), // due today: soon
      row('disputed', '100.00', '2026-11-21'), // the seventh day: soon
      row('payment_announced', '5.00', '2026-11-22'), // the eighth day: open only
      row('paid', '99.00', '2026-11-01'),
      row('cancelled', '7.00', '2026-11-01'),
      row('issued', '1500', '2026-11-16', { currency: 'JPY' }),
      row('issued', '50.00', '2026-11-01', { type: 'credit-note' }),
    ];
    expect(moneyFigures(rows, 'sent', NOW)).toEqual([
      { currency: 'EUR', open: { amount: '105.30', count: 4 }, overdue: { amount: '0.10', count: 1 }, dueSoon: { amount: '100.20', count: 2 } },
      { currency: 'JPY', open: { amount: '1500.00', count: 1 }, overdue: { amount: '0.00', count: 0 }, dueSoon: { amount: '1500.00', count: 1 } },
    ]);
    // What the customer announced as paid is no longer to pay; the supplier still waits for it.
    expect(moneyFigures(rows, 'inbox', NOW)[0]).toEqual({ currency: 'EUR', open: { amount: '100.30', count: 3 }, overdue: { amount: '0.10', count: 1 }, dueSoon: { amount: '100.20', count: 2 } });
  });
});

describe('actionItems', () => {
  it('asks to pay what arrived and was not announced, to confirm announced payments and to answer disputes; overdue first', () => {
    const later = row('viewed', '1.00', '2026-12-01');
    const late = row('issued', '1.00', '2026-11-01');
    const announcedIn = row('payment_announced', '1.00', '2026-11-01');
    const creditNote = row('issued', '1.00', '2026-11-01', { type: 'credit-note' });
    const announced = row('payment_announced', '1.00', '2026-11-20');
    const disputed = row('disputed', '1.00', '2026-11-10');
    const paid = row('paid', '1.00', '2026-11-10');
    const items = actionItems([later, late, announcedIn, creditNote], [announced, disputed, paid], NOW);
    expect(items.map((i) => [i.kind, i.row.id, i.overdue])).toEqual([
      ['pay', late.id, true],
      ['dispute', disputed.id, false],
      ['confirm', announced.id, false],
      ['pay', later.id, false],
    ]);
  });
});

describe('unopened', () => {
  it('lists received invoices nobody opened yet, newest first', () => {
    const older = row('issued', '1.00', '2026-12-01');
    const viewed = row('viewed', '1.00', '2026-12-01');
    const newer = row('issued', '1.00', '2026-12-01');
    expect(unopened([older, viewed, newer]).map((r) => r.id)).toEqual([newer.id, older.id]);
  });
});
