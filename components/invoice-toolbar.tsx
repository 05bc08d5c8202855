'use client';

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
  return (
    <div className="row" role="search">
      <label>Search<input type="search" value={filters.query} onChange={(e) => onChange({ ...filters, query: e.target.value })} placeholder="Number, name, reference…" /></label>
      <label>Status
        <select value={filters.status} onChange={(e) => onChange({ ...filters, status: e.target.value })}>
          <option value="">All</option>
          <option value={OVERDUE}>Overdue</option>
          {INVOICE_STATUSES.map((s) => <option key={s} value={s}>{statusLabel(s)}</option>)}
        </select>
      </label>
      <label>{box === 'inbox' ? 'Supplier' : 'Customer'}
        <select value={filters.party} onChange={(e) => onChange({ ...filters, party: e.target.value })}>
          <option value="">All</option>
          {parties.map((p) => <option key={p} value={p}>{p}</option>)}
        </select>
      </label>
    </div>
  );
}
