'use client';

import { useEffect, useState } from 'react';
import { EInvoiceView } from '@/components/einvoice-view';
import { decryptDocumentOnce } from '@/lib/client/documents';
import { looksLikeEInvoiceCandidate, readEInvoiceBlob, type EInvoiceReading } from '@/lib/client/einvoice';
import { crossCheck, FIELD_LABEL, type Difference } from '@/lib/einvoice/cross-check';
import { MAX_PDF_BYTES } from '@/lib/einvoice/pdf';
import { MAX_XML_BYTES } from '@/lib/einvoice/xml';
import type { InvoiceDocument, InvoiceHeader } from '@/lib/shared/schemas/invoice';

type Item =
  | { document: InvoiceDocument; state: 'reading' }
  | { document: InvoiceDocument; state: 'read'; reading: EInvoiceReading }
  | { document: InvoiceDocument; state: 'skipped'; reason: string };

export interface AttachedEInvoices {
  items: Item[];
  /** differences between the signed header and any attached e-invoice, found by this browser */
  differences: Difference[];
  done: boolean;
}

const EMPTY: AttachedEInvoices = { items: [], differences: [], done: true };

/**
 * Decrypts and reads every attached XML and PDF (PDFs up to the size cap) in the browser, and
 * compares each e-invoice with the signed header. The server sees none of it.
 */
export function useAttachedEInvoices(input: { invoiceId: string; dek: Uint8Array; header: InvoiceHeader } | null): AttachedEInvoices {
  const [state, setState] = useState<AttachedEInvoices>(EMPTY);
  const invoiceId = input?.invoiceId;
  const dek = input?.dek;
  const header = input?.header;

  useEffect(() => {
    if (!invoiceId || !dek || !header) return;
    let current = true;
    const candidates = header.documents.filter((d) => looksLikeEInvoiceCandidate(d.name, d.mediaType));
    const items: Item[] = candidates.map((document) =>
      document.size > (document.name.toLowerCase().endsWith('.pdf') ? MAX_PDF_BYTES : MAX_XML_BYTES)
        ? { document, state: 'skipped', reason: `${document.name} is too large to be read as an e-invoice (${Math.ceil(document.size / 1048576)} MiB).` }
        : { document, state: 'reading' },
    );
    const publish = () => {
      if (!current) return;
      const differences = items.flatMap((i) => (i.state === 'read' && i.reading.ok ? crossCheck(factsOf(header), i.reading.invoice, i.document.name) : []));
      setState({ items: [...items], differences, done: items.every((i) => i.state !== 'reading') });
    };
    queueMicrotask(publish);
    items.forEach((item, index) => {
      if (item.state !== 'reading') return;
      void (async () => {
        let next: Item;
        try {
          const blob = await decryptDocumentOnce(invoiceId, item.document.fileId, dek, item.document.mediaType);
          if (blob.size !== item.document.size) throw new Error('size');
          next = { document: item.document, state: 'read', reading: await readEInvoiceBlob(blob) };
        } catch {
          next = { document: item.document, state: 'skipped', reason: `${item.document.name} could not be decrypted intact, so it was not read.` };
        }
        items[index] = next;
        publish();
      })();
    });
    return () => {
      current = false;
    };
  }, [invoiceId, dek, header]);

  return input ? state : EMPTY;
}

function factsOf(h: InvoiceHeader) {
  return { number: h.number, dueDate: h.dueDate, currency: h.currency, payable: h.amounts.payable, iban: h.payment.iban, sellerVatId: h.seller.vatId };
}

/** The blocking warning: what was signed and what an attached e-invoice says differ. */
export function EInvoiceMismatchAlert({ attached, header, viewer }: { attached: AttachedEInvoices; header: InvoiceHeader; viewer: 'customer' | 'supplier' }) {
  const declared = header.einvoiceMismatches ?? [];
  // What this browser found; while it reads, or if it could not read a file, what the supplier declared.
  const differences = attached.done && attached.differences.length > 0 ? attached.differences : declared;
  if (differences.length === 0) {
    return attached.done ? null : <p className="status" role="status">Comparing the attached e-invoice with the signed invoice…</p>;
  }
  return (
    <div className="alert error stack" role="alert" data-testid="einvoice-mismatch">
      <strong>{viewer === 'customer' ? 'Do not pay this invoice yet: the signed invoice and its attached e-invoice disagree.' : 'The signed invoice and its attached e-invoice disagree.'}</strong>
      <table>
        <thead><tr><th scope="col">Field</th><th scope="col">Signed invoice</th><th scope="col">E-invoice</th><th scope="col">File</th></tr></thead>
        <tbody>
          {differences.map((d) => (
            <tr key={`${d.document}-${d.field}`} data-field={d.field}><th scope="row">{FIELD_LABEL[d.field]}</th><td>{d.header}</td><td>{d.einvoice}</td><td>{d.document}</td></tr>
          ))}
        </tbody>
      </table>
      <span>
        {declared.length > 0 ? 'The supplier confirmed these differences when sending. ' : ''}
        {viewer === 'customer'
          ? 'Invoice fraud hides exactly here. Before paying, confirm the amount and bank account with the supplier by phone, using a number you already know.'
          : 'Your customer sees this warning and is asked to confirm with you before paying.'}
      </span>
    </div>
  );
}

/** Every attached e-invoice as a page; a PDF without an embedded e-invoice says so. */
export function AttachedEInvoicesSection({ attached }: { attached: AttachedEInvoices }) {
  if (attached.items.length === 0) return null;
  return (
    <section className="panel stack" aria-labelledby="einvoice-heading">
      <h2 id="einvoice-heading">E-invoice</h2>
      {attached.items.map((item) => {
        const name = item.document.name;
        if (item.state === 'reading') return <p key={item.document.fileId} className="status" role="status">Reading {name}…</p>;
        if (item.state === 'skipped') return <p key={item.document.fileId} className="alert warn">{item.reason}</p>;
        const { reading } = item;
        if (!reading.ok) {
          return (
            <p key={item.document.fileId} className={`alert ${reading.code === 'no-embedded-xml' ? 'warn' : 'error'}`} data-testid="einvoice-read-error">
              <strong>{name}:</strong> {reading.error}
            </p>
          );
        }
        return (
          <div key={item.document.fileId} className="stack">
            <p className="muted">
              From <strong>{name}</strong>{reading.source.kind === 'pdf' ? ` (embedded ${reading.source.embeddedName})` : ''}.
            </p>
            <EInvoiceView invoice={reading.invoice} findings={reading.findings} xml={reading.xml} name={name} />
          </div>
        );
      })}
    </section>
  );
}
