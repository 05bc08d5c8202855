'use client';

import { EInvoiceView, ValidationReport } from '@/components/einvoice-view';
import type { EInvoiceReading } from '@/lib/client/einvoice';
import type { OutgoingDocument } from '@/lib/client/send-invoice';
import { FIELD_LABEL, type Difference } from '@/lib/einvoice/cross-check';
import { formValuesFromEInvoice } from './einvoice-fill';

const FILLED_LABEL: Record<string, string> = {
  number: 'Invoice number', issueDate: 'Issue date', dueDate: 'Due date', currency: 'Currency', net: 'Net', tax: 'Tax', gross: 'Gross', payable: 'Payable',
  sellerName: 'Seller', sellerVatId: 'Seller VAT id', buyerName: 'Buyer', buyerVatId: 'Buyer VAT id', payeeName: 'Payee', iban: 'IBAN', bic: 'BIC', reference: 'Reference', notes: 'Notes',
};

/** What was read from each dropped XML or PDF, with its validation report, before anything is sent. */
export function EInvoiceIntake({ documents, readings, onFill }: { documents: readonly OutgoingDocument[]; readings: ReadonlyMap<File, EInvoiceReading>; onFill: (file: File, reading: EInvoiceReading) => void }) {
  const shown = documents.filter((d) => readings.has(d.file));
  if (shown.length === 0) return null;
  return (
    <section className="panel stack" aria-labelledby="einvoice-intake-heading" data-testid="einvoice-intake">
      <h2 id="einvoice-intake-heading">E-invoice read from your files</h2>
      {shown.map(({ file }) => {
        const reading = readings.get(file)!;
        if (!reading.ok) {
          return (
            <p key={file.name} className={`alert ${reading.source?.kind === 'pdf' && reading.code === 'no-embedded-xml' ? 'warn' : 'error'}`} role="status" data-testid="einvoice-read-error">
              <strong>{file.name}:</strong> {reading.error}
            </p>
          );
        }
        const values = formValuesFromEInvoice(reading.invoice);
        return (
          <article key={file.name} className="stack" aria-label={`Read from ${file.name}`}>
            <p>
              <strong>{file.name}</strong>
              {reading.source.kind === 'pdf' ? ` — Factur-X/ZUGFeRD PDF, embedded ${reading.source.embeddedName}` : ' — e-invoice XML'}
              {' '}<button type="button" className="secondary small" onClick={() => onFill(file, reading)}>Fill the form from this file</button>
            </p>
            <table data-testid="einvoice-read-values">
              <caption className="muted">Values read (the form was filled with them; check before sending)</caption>
              <tbody>
                {Object.entries(values).filter(([k]) => k !== 'notes').map(([k, v]) => <tr key={k}><th scope="row">{FILLED_LABEL[k] ?? k}</th><td>{v}</td></tr>)}
              </tbody>
            </table>
            <ValidationReport findings={reading.findings} />
            <details>
              <summary>Show the whole e-invoice</summary>
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
  const all = differences.every((_, i) => confirmed.has(i));
  return (
    <section className="alert error stack" role="alert" aria-labelledby="mismatch-heading" data-testid="mismatch-confirm">
      <h2 id="mismatch-heading">The form and the attached e-invoice disagree</h2>
      <p>
        Your customer will see this invoice with a blocking warning: a difference between what you sign and the e-invoice is exactly how invoice fraud looks. Correct the form or the file if you can.
        To send it as it is, confirm each difference:
      </p>
      <ul className="stack" style={{ listStyle: 'none', paddingLeft: 0 }}>
        {differences.map((d, i) => (
          <li key={`${d.document}-${d.field}`}>
            <label>
              <input type="checkbox" checked={confirmed.has(i)} onChange={(e) => onToggle(i, e.target.checked)} />{' '}
              {FIELD_LABEL[d.field]}: the form says <strong>{d.header}</strong>, {d.document} says <strong>{d.einvoice}</strong>
            </label>
          </li>
        ))}
      </ul>
      <div className="row">
        <button type="button" className="danger" disabled={!all} onClick={onSend}>Send with {differences.length === 1 ? 'this difference' : `these ${differences.length} differences`}</button>
        <button type="button" className="secondary" onClick={onCancel}>Go back and correct</button>
      </div>
    </section>
  );
}
