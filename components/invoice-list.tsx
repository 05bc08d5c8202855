'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import type { UnlockedOrg } from '@/lib/client/account';
import { useDescribeError, useFormat, useT } from '@/lib/client/i18n';
import type { ListedInvoice } from '@/lib/client/open-invoice';
import { useInvoiceActivity } from '@/lib/client/invoice-activity';
import { isOverdue, localDate } from '@/lib/client/summary';
import { useInvoiceList } from '@/lib/client/use-invoice-list';
import { partyOf, sortRows, type Box, type Sort } from '@/lib/client/list-order';
import { ErrorAlert } from './form-field';
import { InvoiceExport, type ListRow } from './invoice-export';
import { InvoiceRows } from './invoice-rows';
import { InvoiceSummary } from './invoice-summary';
import { InvoiceToolbar, OVERDUE, type ListFilters } from './invoice-toolbar';

/** Everything searchable about a row, from the decrypted header; built once per list. */
function searchText(row: ListedInvoice, box: Box): string {
  const h = row.header;
  return [partyOf(row, box), h?.number, h?.seller.name, h?.buyer.name, h?.payment.reference, h?.notes, h?.amounts.payable, h?.currency, ...(h?.documents.map((d) => d.name) ?? [])].join(' ').toLowerCase();
}

/**
 * Inbox or sent list: the list pipeline (useInvoiceList: paged fetch, opened and verified in this
 * browser, DESIGN §6), then sorted, filtered and searched here over every row. Totals, overdue, the
 * CSV and the documents ZIP are computed here too, from the decrypted headers; the table renders
 * only the rows on screen (InvoiceRows).
 */
/**
 * Whether the server reports more invoices, or a later change, than the loaded list holds: new
 * invoices arrived, or the other side acted on one (DESIGN §12). The rows shown stay verified
 * either way; this only offers to load the list again.
 */
function isStale(now: { total: number; changedAt: string | null }, loaded: number, rows: readonly ListedInvoice[]): boolean {
  if (now.total !== loaded) return true;
  if (!now.changedAt) return false;
  // Every updatedAt is a Date's ISO string (same length and zone), so the latest is the greatest string.
  const newest = rows.reduce((max, r) => (r.invoice.updatedAt > max ? r.invoice.updatedAt : max), '');
  return Date.parse(now.changedAt) > (newest ? Date.parse(newest) : 0);
}

export function InvoiceList({ org, box }: { org: UnlockedOrg; box: Box }) {
  const describeError = useDescribeError();
  const t = useT();
  const format = useFormat();
  const [generation, setGeneration] = useState(0);
  const { rows, progress, malformed, error } = useInvoiceList(org, box, generation);
  const activity = useInvoiceActivity(org.orgId);
  const stale = useMemo(() => rows !== null && activity !== null && isStale(activity[box], rows.length + malformed.length, rows), [activity, box, rows, malformed]);
  const [sort, setSort] = useState<Sort>({ key: 'issueDate', dir: -1 });
  const [filters, setFilters] = useState<ListFilters>({ query: '', status: '', party: '' });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [today] = useState(() => localDate(new Date()));

  // Built at the first search, not with the list: a third of a second at 100,000 invoices.
  const searching = filters.query.trim() !== '';
  const searchIndex = useMemo(() => (searching ? new Map((rows ?? []).map((r) => [r.invoice.id, searchText(r, box)])) : null), [rows, box, searching]);
  const parties = useMemo(() => [...new Set((rows ?? []).map((r) => partyOf(r, box)))].sort(), [rows, box]);
  const overdueIds = useMemo(() => {
    const ids = new Set<string>();
    for (const r of rows ?? []) if (isOverdue({ status: r.invoice.status, updatedAt: r.invoice.updatedAt, header: r.header }, today)) ids.add(r.invoice.id);
    return ids;
  }, [rows, today]);
  const visible = useMemo((): ListRow[] => {
    const { status, party } = filters;
    const q = filters.query.trim().toLowerCase();
    const statusMatches = (r: ListedInvoice) => !status || (status === OVERDUE ? overdueIds.has(r.invoice.id) : r.invoice.status === status);
    const shown = status || party || q ? (rows ?? []).filter((r) => statusMatches(r) && (!party || partyOf(r, box) === party) && (!q || (searchIndex?.get(r.invoice.id)?.includes(q) ?? false))) : (rows ?? []);
    // A handful of statuses: each one's label looked up once, not once a row.
    const labels = new Map<string, string>();
    const label = (s: ListedInvoice['invoice']['status']) => labels.get(s) ?? labels.set(s, format.status(s)).get(s)!;
    const unknown = t('list.unknown_org');
    return sortRows(shown, sort, box).map((r) => ({ opened: r, party: partyOf(r, box) || unknown, status: label(r.invoice.status), overdue: overdueIds.has(r.invoice.id) }));
  }, [rows, filters, sort, box, searchIndex, overdueIds, t, format]);
  // Only verified invoices can be selected: their documents are the ones that can be decrypted.
  const selectable = useMemo(() => visible.filter((r) => r.opened.header && r.opened.dek), [visible]);
  const selectedRows = useMemo(() => (rows ?? []).filter((r) => selected.has(r.invoice.id) && r.header && r.dek), [rows, selected]);
  const allShownSelected = selectable.length > 0 && selectable.every((r) => selected.has(r.opened.invoice.id));

  function toggle(id: string, on: boolean) {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }
  function toggleAllShown(on: boolean) {
    setSelected((current) => {
      const next = new Set(current);
      for (const r of selectable) {
        if (on) next.add(r.opened.invoice.id);
        else next.delete(r.opened.invoice.id);
      }
      return next;
    });
  }

  if (error !== null) return <ErrorAlert message={t('list.load_failed', { error: describeError(error) })} />;
  if (!rows) {
    return (
      <div className="panel" role="status">
        <p>{t('list.opening')}</p>
        {progress && progress.fetched > 0 && (
          <>
            <progress max={progress.fetched} value={progress.opened} aria-label={t('list.opened_progress')} />
            <p className="muted">{t('list.progress', { opened: progress.opened, fetched: progress.fetched })}</p>
          </>
        )}
      </div>
    );
  }
  const malformedAlert = malformed.length > 0 && (
    <div className="alert error" role="alert" data-testid="malformed-invoices">
      {t('list.malformed', { count: malformed.length })}{malformed.some(Boolean) && <> ({malformed.filter(Boolean).map((id, i) => <span key={id}>{i > 0 && ', '}<code>{id}</code></span>)})</>}.
    </div>
  );
  const changed = stale && (
    <p className="alert info row" role="status" data-testid="list-changed">
      <span style={{ marginRight: 'auto' }}>{t('list.changed')}</span>
      <button type="button" className="secondary" onClick={() => setGeneration((g) => g + 1)}>{t('list.show_changes')}</button>
    </p>
  );
  if (rows.length === 0) {
    if (malformed.length) return <>{changed}{malformedAlert}</>;
    return (
      <div className="panel">
        {changed}
        {box === 'inbox' ? (
          <p>{t('list.empty_inbox', { handle: org.handle })}</p>
        ) : (
          <p>{t('list.empty_sent')} <Link href="/invoices/new">{t('list.send_first')}</Link></p>
        )}
      </div>
    );
  }

  return (
    <>
      {changed}
      {malformedAlert}
      <InvoiceSummary rows={rows} box={box} />
      <InvoiceToolbar box={box} filters={filters} parties={parties} statusLabel={format.status} onChange={setFilters} />
      <InvoiceExport shown={visible} selected={selectedRows} box={box} />
      <p className="status" aria-live="polite">
        {selectedRows.length > 0 ? t('list.count_selected', { shown: visible.length, total: rows.length, selected: selectedRows.length }) : t('list.count', { shown: visible.length, total: rows.length })}
      </p>
      <InvoiceRows
        box={box}
        rows={visible}
        sort={sort}
        onSort={setSort}
        selected={selected}
        onToggle={toggle}
        allShownSelected={allShownSelected}
        selectableCount={selectable.length}
        onToggleAll={toggleAllShown}
      />
      {visible.length === 0 && <p className="muted">{t('list.no_match')}</p>}
    </>
  );
}
