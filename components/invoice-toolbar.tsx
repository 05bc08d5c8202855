'use client';

import { useT } from '@/lib/client/i18n';
import { INVOICE_STATUSES } from '@/lib/shared/schemas/invoice';

/** The status filter's extra choice: overdue is computed in the browser, not a status the server knows. */
export const OVERDUE = 'overdue';

export interface ListFilters {
  query: string;
  status: string;
  party: string;
}

/** Search and filters of an invoice list; they apply to every row, not just the rows on screen. */
export function InvoiceToolbar({ box, filters, parties, statusLabel, onChange }: {
  box: 'inbox' | 'sent';
  filters: ListFilters;
  parties: readonly string[];
  statusLabel: (status: string) => string;
  onChange: (filters: ListFilters) => void;
}) {
  const t = useT();
  return (
    <div className="row" role="search">
      <label>{t('list.search')}<input type="search" value={filters.query} onChange={(e) => onChange({ ...filters, query: e.target.value })} placeholder={t('list.search_placeholder')} /></label>
      <label>{t('list.status')}
        <select value={filters.status} onChange={(e) => onChange({ ...filters, status: e.target.value })}>
          <option value="">{t('list.all')}</option>
          <option value={OVERDUE}>{t('list.overdue')}</option>
          {INVOICE_STATUSES.map((s) => <option key={s} value={s}>{statusLabel(s)}</option>)}
        </select>
      </label>
      <label>{t(box === 'inbox' ? 'list.supplier' : 'list.customer')}
        <select value={filters.party} onChange={(e) => onChange({ ...filters, party: e.target.value })}>
          <option value="">{t('list.all')}</option>
          {parties.map((p) => <option key={p} value={p}>{p || t('list.unknown_org')}</option>)}
        </select>
      </label>
    </div>
  );
}
