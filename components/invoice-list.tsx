'use client';

import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import type { UnlockedOrg } from '@/lib/client/account';
import { useDescribeError, useFormat, useT } from '@/lib/client/i18n';
import { useKeyring } from '@/lib/client/keys-context';
import { fetchInvoiceList, openInvoiceList, type OpenedInvoice } from '@/lib/client/open-invoice';
import { isOverdue, localDate } from '@/lib/client/summary';
import { hasNewIdentity, pinFirstContacts, recordSeenIdentity } from '@/lib/client/trust';
import { toUnits } from '@/lib/shared/decimal';
import { INVOICE_STATUSES } from '@/lib/shared/schemas/invoice';
import { ErrorAlert } from './form-field';
import { InvoiceExport, type ListRow } from './invoice-export';
import { InvoiceSummary } from './invoice-summary';

type Box = 'inbox' | 'sent';
type SortKey = 'number' | 'party' | 'issueDate' | 'dueDate' | 'amount' | 'status';

const STATUS_LABEL: Record<string, string> = {
  issued: 'Issued', viewed: 'Viewed', payment_announced: 'Payment announced', partially_paid: 'Partially paid', paid: 'Paid', disputed: 'Disputed', cancelled: 'Cancelled', credited: 'Credited',
};

export function statusLabel(status: string): string {
  return STATUS_LABEL[status] ?? status;
}

/** The other party's name; an empty string when the list could not read it (shown as "unknown"). */
function partyOf(row: OpenedInvoice, box: Box): string {
  const org = box === 'inbox' ? row.supplier : row.customer;
  return org?.name ?? '';
}

function compare(a: OpenedInvoice, b: OpenedInvoice, key: SortKey, box: Box): number {
  const ha = a.header;
  const hb = b.header;
  switch (key) {
    case 'number': return (ha?.number ?? '').localeCompare(hb?.number ?? '', undefined, { numeric: true });
    case 'party': return partyOf(a, box).localeCompare(partyOf(b, box));
    case 'issueDate': return (ha?.issueDate ?? '').localeCompare(hb?.issueDate ?? '');
    case 'dueDate': return (ha?.dueDate ?? '').localeCompare(hb?.dueDate ?? '');
    case 'amount': {
      const x = ha ? toUnits(ha.amounts.payable) : -1n;
      const y = hb ? toUnits(hb.amounts.payable) : -1n;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'status': return a.invoice.status.localeCompare(b.invoice.status);
  }
}

/** Everything searchable about a row, from the decrypted header; built once per list. */
function searchText(row: OpenedInvoice, box: Box): string {
  const h = row.header;
  return [partyOf(row, box), h?.number, h?.seller.name, h?.buyer.name, h?.payment.reference, h?.notes, h?.amounts.payable, h?.currency, ...(h?.documents.map((d) => d.name) ?? [])].join(' ').toLowerCase();
}

/** The status filter's extra choice: overdue is computed here, not a status the server knows. */
const OVERDUE = 'overdue';

/**
 * Inbox or sent list: fetched as ciphertext, opened and verified in this browser (fast path per
 * org, DESIGN §6), then sorted, filtered and searched client-side. Totals, overdue, the CSV and the
 * documents ZIP are computed here too, from the decrypted headers.
 */
export function InvoiceList({ org, box }: { org: UnlockedOrg; box: Box }) {
  const describeError = useDescribeError();
  const t = useT();
  const format = useFormat();
  const [rows, setRows] = useState<OpenedInvoice[] | null>(null);
  const [malformed, setMalformed] = useState<(string | null)[]>([]);
  const [loaded, setLoaded] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'issueDate', dir: -1 });
  const [status, setStatus] = useState('');
  const [party, setParty] = useState('');
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [today] = useState(() => localDate(new Date()));
  const { current: currentKeyring, updateKeyring } = useKeyring();

  useEffect(() => {
    let current = true;
    (async () => {
      const { list, malformed: badItems } = await fetchInvoiceList(`/api/invoices?box=${box}&orgId=${org.orgId}`);
      const keyring = currentKeyring();
      const opened = await openInvoiceList(list, org, keyring, (done, total) => current && setLoaded({ done, total }));
      // First contact with a supplier whose invoices verified: pin its keys (trust on first use),
      // and remember the VAT ids and payee names it signed, which an impostor would copy.
      const verified = opened.filter((o) => o.problems.length === 0 && o.supplier && o.supplierSeen);
      const newSuppliers = [...new Map(verified.filter((o) => o.supplierPin === 'new').map((o) => [o.supplier!.orgId, { org: o.supplier!, fingerprint: o.supplierFingerprint! }])).values()];
      const seen = verified.filter((o) => o.supplierPin === 'new' || hasNewIdentity(keyring, o.supplier!.orgId, o.supplierSeen!)).map((o) => ({ orgId: o.supplier!.orgId, seen: o.supplierSeen! }));
      if (newSuppliers.length || seen.length) {
        await updateKeyring((k) => {
          pinFirstContacts(newSuppliers)(k);
          recordSeenIdentity(seen)(k);
        });
      }
      if (current) {
        setMalformed(badItems);
        setRows(opened);
      }
    })().catch((err: unknown) => current && setError(describeError(err)));
    return () => {
      current = false;
    };
  }, [describeError, org, box, currentKeyring, updateKeyring]);

  const searchIndex = useMemo(() => new Map((rows ?? []).map((r) => [r.invoice.id, searchText(r, box)])), [rows, box]);
  const parties = useMemo(() => [...new Set((rows ?? []).map((r) => partyOf(r, box)))].sort(), [rows, box]);
  const overdueIds = useMemo(
    () => new Set((rows ?? []).filter((r) => isOverdue({ status: r.invoice.status, updatedAt: r.invoice.updatedAt, header: r.header }, today)).map((r) => r.invoice.id)),
    [rows, today],
  );
  const visible = useMemo((): ListRow[] => {
    const q = query.trim().toLowerCase();
    const statusMatches = (r: OpenedInvoice) => !status || (status === OVERDUE ? overdueIds.has(r.invoice.id) : r.invoice.status === status);
    return (rows ?? [])
      .filter((r) => statusMatches(r) && (!party || partyOf(r, box) === party) && (!q || searchIndex.get(r.invoice.id)!.includes(q)))
      .sort((a, b) => compare(a, b, sort.key, box) * sort.dir)
      .map((r) => ({ opened: r, party: partyOf(r, box) || t('list.unknown_org'), status: format.status(r.invoice.status), overdue: overdueIds.has(r.invoice.id) }));
  }, [rows, status, party, query, sort, box, searchIndex, overdueIds, t, format]);
  // Only verified invoices can be selected: their documents are the ones that can be decrypted.
  const selectable = visible.filter((r) => r.opened.header && r.opened.dek);
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

  if (error) return <ErrorAlert message={t('list.load_failed', { error })} />;
  if (!rows) {
    return (
      <div className="panel" role="status">
        <p>{t('list.opening')}</p>
        {loaded && <progress max={loaded.total} value={loaded.done} aria-label={t('list.opened_progress')} />}
      </div>
    );
  }
  const malformedAlert = malformed.length > 0 && (
    <div className="alert error" role="alert" data-testid="malformed-invoices">
      {t('list.malformed', { count: malformed.length })}{malformed.some(Boolean) && <> ({malformed.filter(Boolean).map((id, i) => <span key={id}>{i > 0 && ', '}<code>{id}</code></span>)})</>}.
    </div>
  );
  if (rows.length === 0) {
    if (malformed.length) return malformedAlert;
    return (
      <div className="panel">
        {box === 'inbox' ? (
          <p>{t('list.empty_inbox', { handle: org.handle })}</p>
        ) : (
          <p>{t('list.empty_sent')} <Link href="/invoices/new">{t('list.send_first')}</Link></p>
        )}
      </div>
    );
  }

  const partyLabel = t(box === 'inbox' ? 'list.supplier' : 'list.customer');
  const header = (key: SortKey, label: string, className?: string) => (
    <th scope="col" className={className} aria-sort={sort.key === key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort" onClick={() => setSort({ key, dir: sort.key === key ? (sort.dir === 1 ? -1 : 1) : 1 })}>
        {label}{sort.key === key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );

  return (
    <>
      {malformedAlert}
      <InvoiceSummary rows={rows} box={box} />
      <div className="row" role="search">
        <label>{t('list.search')}<input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('list.search_placeholder')} /></label>
        <label>{t('list.status')}
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('list.all')}</option>
            <option value={OVERDUE}>{t('list.overdue')}</option>
            {INVOICE_STATUSES.map((s) => <option key={s} value={s}>{format.status(s)}</option>)}
          </select>
        </label>
        <label>{partyLabel}
          <select value={party} onChange={(e) => setParty(e.target.value)}>
            <option value="">{t('list.all')}</option>
            {parties.map((p) => <option key={p} value={p}>{p || t('list.unknown_org')}</option>)}
          </select>
        </label>
      </div>
      <InvoiceExport shown={visible} selected={selectedRows} box={box} />
      <p className="status" aria-live="polite">
        {selectedRows.length > 0 ? t('list.count_selected', { shown: visible.length, total: rows.length, selected: selectedRows.length }) : t('list.count', { shown: visible.length, total: rows.length })}
      </p>
      <table className="cards" aria-label={t(box === 'inbox' ? 'list.table_inbox' : 'list.table_sent')}>
        <thead>
          <tr>
            <th scope="col">
              <input type="checkbox" aria-label={t('list.select_all')} checked={allShownSelected} disabled={selectable.length === 0} onChange={(e) => toggleAllShown(e.target.checked)} />
            </th>
            {header('number', t('list.number'))}
            {header('party', partyLabel)}
            {header('issueDate', t('list.issued'))}
            {header('dueDate', t('list.due'))}
            {header('amount', t('list.amount'), 'num')}
            {header('status', t('list.status'))}
          </tr>
        </thead>
        <tbody>
          {visible.map(({ opened: row, party: rowParty, status: rowStatus, overdue }) => (
            <tr key={row.invoice.id} data-testid="invoice-row">
              <td className="select">
                {row.header && row.dek && (
                  <input type="checkbox" aria-label={t('list.select', { number: row.header.number })} checked={selected.has(row.invoice.id)} onChange={(e) => toggle(row.invoice.id, e.target.checked)} />
                )}
              </td>
              <td className="title" data-label={t('list.number')}><Link href={`/invoices/${row.invoice.id}`}>{row.header?.number ?? t('list.unreadable')}</Link>{row.problems.length > 0 && <span className="badge warn"> {t('list.not_verified')}</span>}
                {row.problems.length === 0 && (row.header?.einvoiceMismatches?.length ?? 0) > 0 && <span className="badge warn" data-testid="einvoice-mismatch-badge"> {t('list.einvoice_mismatch')}</span>}
                {row.lookalikes.length > 0 && <> <span className="badge error" data-testid="impostor-badge">{t('list.lookalike', { name: row.lookalikes[0]!.name })}</span></>}
                {row.neverPaid && <> <span className="badge warn" data-testid="new-supplier-badge">{t('list.never_paid')}</span></>}
              </td>
              <td data-label={partyLabel}>{rowParty}</td>
              <td data-label={t('list.issued')}>{row.header ? <time dateTime={row.header.issueDate}>{format.date(row.header.issueDate)}</time> : '—'}</td>
              <td data-label={t('list.due')}>{row.header ? <time dateTime={row.header.dueDate}>{format.date(row.header.dueDate)}</time> : '—'}</td>
              <td className="num" data-label={t('list.amount')}>{row.header ? format.money(row.header.amounts.payable, row.header.currency) : '—'}</td>
              <td data-label={t('list.status')}>{rowStatus}{overdue && <> <span className="badge warn" data-testid="overdue">{t('list.overdue')}</span></>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {visible.length === 0 && <p className="muted">{t('list.no_match')}</p>}
    </>
  );
}
