import { useMemo } from 'react';
import type { OpenedInvoice } from '@/lib/client/open-invoice';
import { summarizeInvoices, type Total } from '@/lib/client/summary';
import { formatMoney } from '@/lib/shared/decimal';

/**
 * Totals per currency over the whole list (not the filter), from the decrypted headers. "Paid" is
 * the payable amount of invoices with status paid (see summarizeInvoices).
 */
export function InvoiceSummary({ rows, box }: { rows: readonly OpenedInvoice[]; box: 'inbox' | 'sent' }) {
  const summary = useMemo(
    () => summarizeInvoices(rows.map((r) => ({ status: r.invoice.status, updatedAt: r.invoice.updatedAt, header: r.header })), box, new Date()),
    [rows, box],
  );
  if (summary.length === 0) return null;
  const cell = (total: Total, currency: string) => (
    <td className="num">{formatMoney(total.amount, currency)} <span className="muted">({total.count})</span></td>
  );
  return (
    <table className="summary" aria-label={box === 'inbox' ? 'Totals of received invoices' : 'Totals of sent invoices'} data-testid="invoice-summary">
      <caption className="muted">Totals of all {rows.length} invoices, whatever the filter</caption>
      <thead>
        <tr>
          <th scope="col">Currency</th>
          <th scope="col" className="num">{box === 'inbox' ? 'Due' : 'Outstanding'}</th>
          <th scope="col" className="num">Overdue</th>
          <th scope="col" className="num">{box === 'inbox' ? 'Paid this month' : 'Paid'}</th>
        </tr>
      </thead>
      <tbody>
        {summary.map((s) => (
          <tr key={s.currency}>
            <th scope="row">{s.currency}</th>
            {cell(s.open, s.currency)}
            {cell(s.overdue, s.currency)}
            {cell(s.paid, s.currency)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
