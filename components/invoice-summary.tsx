import { useMemo } from 'react';
import type { ListedInvoice } from '@/lib/client/open-invoice';
import { summarizeInvoices, type Total } from '@/lib/client/summary';
import { useFormat, useT } from '@/lib/client/i18n';

/**
 * Totals per currency over the whole list (not the filter), from the decrypted headers. "Paid" is
 * the payable amount of invoices with status paid (see summarizeInvoices).
 */
export function InvoiceSummary({ rows, box }: { rows: readonly ListedInvoice[]; box: 'inbox' | 'sent' }) {
  const t = useT();
  const format = useFormat();
  const summary = useMemo(
    () => summarizeInvoices(rows.map((r) => ({ status: r.invoice.status, updatedAt: r.invoice.updatedAt, header: r.header })), box, new Date()),
    [rows, box],
  );
  if (summary.length === 0) return null;
  const openLabel = t(box === 'inbox' ? 'summary.due' : 'summary.outstanding');
  const paidLabel = t(box === 'inbox' ? 'summary.paid_month' : 'summary.paid');
  const cell = (total: Total, currency: string, label: string) => (
    <td className="num" data-label={label}>{format.money(total.amount, currency)} <span className="muted">({format.number(total.count)})</span></td>
  );
  return (
    <table className="summary cards" aria-label={t(box === 'inbox' ? 'summary.label_inbox' : 'summary.label_sent')} data-testid="invoice-summary">
      <caption className="muted">{t('summary.caption', { count: rows.length })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('summary.currency')}</th>
          <th scope="col" className="num">{openLabel}</th>
          <th scope="col" className="num">{t('summary.overdue')}</th>
          <th scope="col" className="num">{paidLabel}</th>
        </tr>
      </thead>
      <tbody>
        {summary.map((s) => (
          <tr key={s.currency}>
            <th scope="row">{s.currency}</th>
            {cell(s.open, s.currency, openLabel)}
            {cell(s.overdue, s.currency, t('summary.overdue'))}
            {cell(s.paid, s.currency, paidLabel)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
