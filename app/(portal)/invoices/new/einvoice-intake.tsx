'use client';

import { EInvoiceView, ValidationReport } from '@/components/einvoice-view';
import { RichText } from '@/components/rich-text';
import { useT } from '@/lib/client/i18n';
import type { EInvoiceReading } from '@/lib/client/einvoice';
import type { OutgoingDocument } from '@/lib/client/send-invoice';
import type { Difference } from '@/lib/einvoice/cross-check';
import type { MessageKey } from '@/lib/shared/i18n';
import { formValuesFromEInvoice } from './einvoice-fill';

/** The form field each value read from an e-invoice went into, by its name in the form. */
const FILLED_LABEL: Record<string, MessageKey> = {
  number: 'new.number', issueDate: 'new.issue_date', dueDate: 'new.due_date', currency: 'new.currency', net: 'new.net', tax: 'new.tax', gross: 'new.gross', payable: 'new.payable',
  sellerName: 'intake.field.seller', sellerVatId: 'new.seller_vat', buyerName: 'intake.field.buyer', buyerVatId: 'new.buyer_vat', payeeName: 'intake.field.payee', iban: 'new.iban', bic: 'new.bic', reference: 'intake.field.reference', notes: 'new.notes',
};

/** What was read from each dropped XML or PDF, with its validation report, before anything is sent. */
export function EInvoiceIntake({ documents, readings, onFill }: { documents: readonly OutgoingDocument[]; readings: ReadonlyMap<File, EInvoiceReading>; onFill: (file: File, reading: EInvoiceReading) => void }) {
  const t = useT();
  const shown = documents.filter((d) => readings.has(d.file));
  if (shown.length === 0) return null;
  return (
    <section className="panel stack" aria-labelledby="einvoice-intake-heading" data-testid="einvoice-intake">
      <h2 id="einvoice-intake-heading">{t('intake.heading')}</h2>
      {shown.map(({ file }) => {
        const reading = readings.get(file)!;
        if (!reading.ok) {
          return (
            <p key={file.name} className={`alert ${reading.source?.kind === 'pdf' && reading.code === 'no-embedded-xml' ? 'warn' : 'error'}`} role="status" data-testid="einvoice-read-error">
              <strong>{file.name}:</strong> {t(`einv.read.${reading.code}`)}
            </p>
          );
        }
        const values = formValuesFromEInvoice(reading.invoice);
        return (
          <article key={file.name} className="stack" aria-label={t('intake.read_from', { name: file.name })}>
            <p>
              <strong>{file.name}</strong>
              {reading.source.kind === 'pdf' ? t('intake.from_pdf', { name: reading.source.embeddedName ?? '' }) : t('intake.from_xml')}
              {' '}<button type="button" className="secondary small" onClick={() => onFill(file, reading)}>{t('intake.fill')}</button>
            </p>
            <table data-testid="einvoice-read-values">
              <caption className="muted">{t('intake.values')}</caption>
              <tbody>
                {Object.entries(values).filter(([k]) => k !== 'notes').map(([k, v]) => <tr key={k}><th scope="row">{FILLED_LABEL[k] ? t(FILLED_LABEL[k]) : k}</th><td>{v}</td></tr>)}
              </tbody>
            </table>
            <ValidationReport findings={reading.findings} />
            <details>
              <summary>{t('intake.show_all')}</summary>
              <EInvoiceView invoice={reading.invoice} findings={null} xml={reading.xml} name={file.name} />
            </details>
          </article>
        );
      })}
    </section>
  );
}

/** Each difference between the form and an attached e-invoice must be confirmed before sending. */
export function MismatchConfirm({ differences, confirmed, onToggle, onSend, onCancel }: { differences: readonly Difference[]; confirmed: ReadonlySet<number>; onToggle: (index: number, on: boolean) => void; onSend: () => void; onCancel: () => void }) {
  const t = useT();
  const all = differences.every((_, i) => confirmed.has(i));
  return (
    <section className="alert error stack" role="alert" aria-labelledby="mismatch-heading" data-testid="mismatch-confirm">
      <h2 id="mismatch-heading">{t('mismatch.heading')}</h2>
      <p>{t('mismatch.explain')}</p>
      <ul className="stack" style={{ listStyle: 'none', paddingLeft: 0 }}>
        {differences.map((d, i) => (
          <li key={`${d.document}-${d.field}`}>
            <label>
              <input type="checkbox" checked={confirmed.has(i)} onChange={(e) => onToggle(i, e.target.checked)} />{' '}
              <RichText text={t('mismatch.item', { field: t(`field.${d.field}`), header: d.header, document: d.document, einvoice: d.einvoice })} />
            </label>
          </li>
        ))}
      </ul>
      <div className="row">
        <button type="button" className="danger" disabled={!all} onClick={onSend}>{differences.length === 1 ? t('mismatch.send_one') : t('mismatch.send', { count: differences.length })}</button>
        <button type="button" className="secondary" onClick={onCancel}>{t('mismatch.back')}</button>
      </div>
    </section>
  );
}
