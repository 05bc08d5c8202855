'use client';

import { useState } from 'react';
import { toCsv } from '@/lib/client/csv';
import { useDescribeError } from '@/lib/client/i18n';
import { saveBlob } from '@/lib/client/documents';
import type { OpenedInvoice } from '@/lib/client/open-invoice';
import { localDate } from '@/lib/client/summary';
import { buildDocumentsZip } from '@/lib/client/zip-export';
import { formatBytes } from '@/lib/shared/format';
import { ErrorAlert } from './form-field';

/** A list row as shown: the opened invoice and the values the list computed for it. */
export interface ListRow {
  opened: OpenedInvoice;
  party: string;
  status: string;
  overdue: boolean;
}

/** The shown rows as CSV, in their order; machine forms (ISO dates, decimal amounts), no bank details. */
export function invoiceCsv(rows: readonly ListRow[], box: 'inbox' | 'sent'): string {
  const head = ['Number', box === 'inbox' ? 'Supplier' : 'Customer', 'Type', 'Issue date', 'Due date', 'Currency', 'Net', 'Tax', 'Gross', 'Payable', 'Status', 'Overdue', 'Verified'];
  const body = rows.map(({ opened: { header: h }, party, status, overdue }) => [
    h?.number ?? '', party, h?.type ?? '', h?.issueDate ?? '', h?.dueDate ?? '', h?.currency ?? '',
    h?.amounts.net ?? '', h?.amounts.tax ?? '', h?.amounts.gross ?? '', h?.amounts.payable ?? '',
    status, overdue ? 'yes' : 'no', h ? 'yes' : 'no',
  ]);
  return toCsv([head, ...body]);
}

/**
 * Exports built in this browser from decrypted data; nothing goes to the server but the ordinary
 * ciphertext downloads of the documents.
 */
export function InvoiceExport({ shown, selected, box }: { shown: readonly ListRow[]; selected: readonly OpenedInvoice[]; box: 'inbox' | 'sent' }) {
  const describeError = useDescribeError();
  const [progress, setProgress] = useState<{ bytes: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const documents = selected.reduce((n, o) => n + (o.header?.documents.length ?? 0), 0);

  function onCsv() {
    saveBlob(new Blob([invoiceCsv(shown, box)], { type: 'text/csv;charset=utf-8' }), `zkinvoice-${box}-${localDate(new Date())}.csv`);
  }

  async function onZip() {
    setError(null);
    setDone(null);
    try {
      const invoices = selected.map((o) => ({ invoiceId: o.invoice.id, number: o.header!.number, dek: o.dek!, documents: o.header!.documents }));
      const zip = await buildDocumentsZip(invoices, (bytes, total) => setProgress({ bytes, total }));
      saveBlob(zip, `zkinvoice-${box}-documents-${localDate(new Date())}.zip`);
      setDone(`ZIP of ${documents} documents from ${selected.length} invoices ready (${formatBytes(zip.size)}).`);
    } catch (err) {
      setError(`The ZIP could not be built: ${describeError(err)}`);
    } finally {
      setProgress(null);
    }
  }

  return (
    <div className="stack">
      <div className="toolbar" role="group" aria-label="Export">
        <button type="button" className="secondary" onClick={onCsv} disabled={shown.length === 0}>Export CSV ({shown.length} shown)</button>
        <button type="button" className="secondary" onClick={onZip} disabled={selected.length === 0 || documents === 0 || progress !== null}>
          Download documents as ZIP ({selected.length} selected)
        </button>
        {selected.length > 0 && documents === 0 && <span className="muted">The selected invoices have no documents.</span>}
      </div>
      {progress && (
        <div role="status">
          <progress max={Math.max(progress.total, 1)} value={progress.bytes} aria-label="Decrypting documents into the ZIP" />
          <span className="status">{formatBytes(progress.bytes)} of {formatBytes(progress.total)}</span>
        </div>
      )}
      {done && <p className="status" role="status">{done}</p>}
      <ErrorAlert message={error} />
    </div>
  );
}
