'use client';

import { useState } from 'react';
import { csvAmount, csvFormatFor, CSV_EUROPEAN, CSV_INTERNATIONAL, toCsv, type CsvFormat } from '@/lib/client/csv';
import { saveBlob } from '@/lib/client/documents';
import { useDescribeError, useFormat, useT } from '@/lib/client/i18n';
import type { ListedInvoice } from '@/lib/client/open-invoice';
import { localDate } from '@/lib/client/summary';
import { buildDocumentsZip } from '@/lib/client/zip-export';
import type { Translate } from '@/lib/shared/i18n';
import { ErrorAlert } from './form-field';

/** A list row as shown: the opened invoice and the values the list computed for it. */
export interface ListRow {
  opened: ListedInvoice;
  party: string;
  status: string;
  overdue: boolean;
}

/**
 * The shown rows as CSV, in their order, with the reader's column names and the format their
 * spreadsheet splits (`;` and decimal commas for German); dates stay ISO (every spreadsheet reads
 * them), no bank details.
 */
export function invoiceCsv(rows: readonly ListRow[], box: 'inbox' | 'sent', t: Translate, format: CsvFormat): string {
  const head = [
    t('csv.number'), t(box === 'inbox' ? 'csv.supplier' : 'csv.customer'), t('csv.type'), t('csv.issue_date'), t('csv.due_date'), t('csv.currency'),
    t('csv.net'), t('csv.tax'), t('csv.gross'), t('csv.payable'), t('csv.status'), t('csv.overdue'), t('csv.verified'),
  ];
  const amount = (value: string | undefined) => (value === undefined ? '' : csvAmount(value, format));
  const yes = t('common.yes');
  const no = t('common.no');
  const body = rows.map(({ opened: { header: h }, party, status, overdue }) => [
    h?.number ?? '', party, h?.type ?? '', h?.issueDate ?? '', h?.dueDate ?? '', h?.currency ?? '',
    amount(h?.amounts.net), amount(h?.amounts.tax), amount(h?.amounts.gross), amount(h?.amounts.payable),
    status, overdue ? yes : no, h ? yes : no,
  ]);
  return toCsv([head, ...body], format.separator);
}

/**
 * Exports built in this browser from decrypted data; nothing goes to the server but the ordinary
 * ciphertext downloads of the documents.
 */
export function InvoiceExport({ shown, selected, box }: { shown: readonly ListRow[]; selected: readonly ListedInvoice[]; box: 'inbox' | 'sent' }) {
  const t = useT();
  const format = useFormat();
  const describeError = useDescribeError();
  const [csvFormat, setCsvFormat] = useState<CsvFormat>(() => csvFormatFor(t.tag));
  const [progress, setProgress] = useState<{ bytes: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const documents = selected.reduce((n, o) => n + (o.header?.documents.length ?? 0), 0);

  function onCsv() {
    saveBlob(new Blob([invoiceCsv(shown, box, t, csvFormat)], { type: 'text/csv;charset=utf-8' }), `zkinvoice-${box}-${localDate(new Date())}.csv`);
  }

  async function onZip() {
    setError(null);
    setDone(null);
    try {
      const invoices = selected.map((o) => ({ invoiceId: o.invoice.id, number: o.header!.number, dek: o.dek!, documents: o.header!.documents }));
      const zip = await buildDocumentsZip(invoices, (bytes, total) => setProgress({ bytes, total }));
      saveBlob(zip, `zkinvoice-${box}-documents-${localDate(new Date())}.zip`);
      setDone(t('export.zip_ready', { documents, invoices: selected.length, size: format.bytes(zip.size) }));
    } catch (err) {
      setError(t('export.zip_failed', { error: describeError(err) }));
    } finally {
      setProgress(null);
    }
  }

  return (
    <div className="stack">
      <div className="toolbar" role="group" aria-label={t('export.label')}>
        <button type="button" className="secondary" onClick={onCsv} disabled={shown.length === 0}>{t('export.csv', { count: shown.length })}</button>
        <label className="inline">
          <span className="visually-hidden">{t('export.csv_format')}</span>
          <select value={csvFormat.separator} onChange={(e) => setCsvFormat(e.target.value === ';' ? CSV_EUROPEAN : CSV_INTERNATIONAL)}>
            <option value=";">{t('export.format_european')}</option>
            <option value=",">{t('export.format_international')}</option>
          </select>
        </label>
        <button type="button" className="secondary" onClick={onZip} disabled={selected.length === 0 || documents === 0 || progress !== null}>
          {t('export.zip', { count: selected.length })}
        </button>
        {selected.length > 0 && documents === 0 && <span className="muted">{t('export.no_documents')}</span>}
      </div>
      {progress && (
        <div role="status">
          <progress max={Math.max(progress.total, 1)} value={progress.bytes} aria-label={t('export.zip_progress')} />
          <span className="status">{t('export.progress_of', { done: format.bytes(progress.bytes), total: format.bytes(progress.total) })}</span>
        </div>
      )}
      {done && <p className="status" role="status">{done}</p>}
      <ErrorAlert message={error} />
    </div>
  );
}
