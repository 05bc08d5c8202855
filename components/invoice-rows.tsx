'use client';

import Link from 'next/link';
import { useLayoutEffect, useRef, useState } from 'react';
import { useFormat, useT } from '@/lib/client/i18n';
import type { Sort, SortKey } from '@/lib/client/list-order';
import { useVirtualRows } from '@/lib/client/use-virtual-rows';
import type { ListRow } from './invoice-export';


/** Rows are one line tall (cells do not wrap; see .invoice-rows in globals.css); measured once rendered. */
const ESTIMATED_ROW_HEIGHT = 41;

/**
 * The rows of an invoice list, virtualized: the table scrolls inside its own box and only the rows
 * on screen (and a margin) are in the DOM, between two spacer rows standing in for the others.
 * aria-rowcount and aria-rowindex tell assistive technology the true size and position.
 */
export function InvoiceRows({ box, rows, sort, onSort, selected, onToggle, allShownSelected, selectableCount, onToggleAll }: {
  box: 'inbox' | 'sent';
  rows: readonly ListRow[];
  sort: Sort;
  onSort: (sort: Sort) => void;
  selected: ReadonlySet<string>;
  onToggle: (id: string, on: boolean) => void;
  allShownSelected: boolean;
  selectableCount: number;
  onToggleAll: (on: boolean) => void;
}) {
  const t = useT();
  const format = useFormat();
  const partyLabel = t(box === 'inbox' ? 'list.supplier' : 'list.customer');
  const viewport = useRef<HTMLDivElement>(null);
  const [rowHeight, setRowHeight] = useState(ESTIMATED_ROW_HEIGHT);
  const range = useVirtualRows(viewport, rows.length, rowHeight);
  useLayoutEffect(() => {
    const measured = viewport.current?.querySelector('tbody tr[data-testid="invoice-row"]')?.getBoundingClientRect().height;
    if (measured && Math.abs(measured - rowHeight) > 0.5) setRowHeight(measured);
  }, [rows, rowHeight]);
  const header = (key: SortKey, label: string, className?: string) => (
    <th scope="col" className={className} aria-sort={sort.key === key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort" onClick={() => onSort({ key, dir: sort.key === key ? (sort.dir === 1 ? -1 : 1) : 1 })}>
        {label}{sort.key === key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );

  return (
    <div className="invoice-rows" ref={viewport} tabIndex={-1}>
      <table className="cards" aria-label={t(box === 'inbox' ? 'list.table_inbox' : 'list.table_sent')} aria-rowcount={rows.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col" className="select">
              <input type="checkbox" aria-label={t('list.select_all')} checked={allShownSelected} disabled={selectableCount === 0} onChange={(e) => onToggleAll(e.target.checked)} />
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
          {range.before > 0 && <tr aria-hidden="true" className="spacer" style={{ height: range.before }}><td colSpan={7} /></tr>}
          {rows.slice(range.start, range.end).map(({ opened: row, party, status, overdue }, i) => (
            <tr key={row.invoice.id} data-testid="invoice-row" aria-rowindex={range.start + i + 2}>
              <td className="select">
                {row.header && row.dek && (
                  <input type="checkbox" aria-label={t('list.select', { number: row.header.number })} checked={selected.has(row.invoice.id)} onChange={(e) => onToggle(row.invoice.id, e.target.checked)} />
                )}
              </td>
              <td className="title" data-label={t('list.number')}><Link href={`/invoices/${row.invoice.id}`}>{row.header?.number ?? t('list.unreadable')}</Link>{row.problems.length > 0 && <span className="badge warn"> {t('list.not_verified')}</span>}{row.problems.length === 0 && (row.header?.einvoiceMismatches?.length ?? 0) > 0 && <span className="badge warn" data-testid="einvoice-mismatch-badge"> {t('list.einvoice_mismatch')}</span>}
                {row.lookalikes.length > 0 && <> <span className="badge error" data-testid="impostor-badge">{t('list.lookalike', { name: row.lookalikes[0]!.name })}</span></>}
                {row.neverPaid && <> <span className="badge warn" data-testid="new-supplier-badge">{t('list.never_paid')}</span></>}
              </td>
              <td title={party} data-label={partyLabel}>{party}</td>
              <td data-label={t('list.issued')}>{row.header ? <time dateTime={row.header.issueDate}>{format.date(row.header.issueDate)}</time> : '—'}</td>
              <td data-label={t('list.due')}>{row.header ? <time dateTime={row.header.dueDate}>{format.date(row.header.dueDate)}</time> : '—'}</td>
              <td className="num" data-label={t('list.amount')}>{row.header ? format.money(row.header.amounts.payable, row.header.currency) : '—'}</td>
              <td data-label={t('list.status')}>{status}{box === 'inbox' && row.invoice.status === 'issued' && <> <span className="badge new" data-testid="new-badge">{t('list.new')}</span></>}{overdue && <> <span className="badge warn" data-testid="overdue">{t('list.overdue')}</span></>}</td>
            </tr>
          ))}
          {range.after > 0 && <tr aria-hidden="true" className="spacer" style={{ height: range.after }}><td colSpan={7} /></tr>}
        </tbody>
      </table>
    </div>
  );
}
