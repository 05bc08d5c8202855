'use client';

import { useEffect, useState } from 'react';
import { EInvoiceView } from '@/components/einvoice-view';
import { RichText } from '@/components/rich-text';
import { useFormat, useT } from '@/lib/client/i18n';
import { decryptDocumentOnce, type DocumentSource } from '@/lib/client/documents';
import { looksLikeEInvoiceCandidate, readEInvoiceBlob, type EInvoiceReading } from '@/lib/client/einvoice';
import { crossCheck, type Difference } from '@/lib/einvoice/cross-check';
import type { MessageRef } from '@/lib/shared/i18n';
import { MAX_PDF_BYTES } from '@/lib/einvoice/pdf';
import { MAX_XML_BYTES } from '@/lib/einvoice/xml';
import type { InvoiceDocument, InvoiceHeader } from '@/lib/shared/schemas/invoice';

type Item =
  | { document: InvoiceDocument; state: 'reading' }
  | { document: InvoiceDocument; state: 'read'; reading: EInvoiceReading }
  | { document: InvoiceDocument; state: 'skipped'; reason: MessageRef };

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
export function useAttachedEInvoices(input: { invoiceId: string; dek: Uint8Array; header: InvoiceHeader; source?: DocumentSource } | null): AttachedEInvoices {
  const [state, setState] = useState<AttachedEInvoices>(EMPTY);
  const invoiceId = input?.invoiceId;
  const dek = input?.dek;
  const header = input?.header;
  const source = input?.source;

  useEffect(() => {
    if (!invoiceId || !dek || !header) return;
    let current = true;
    const candidates = header.documents.filter((d) => looksLikeEInvoiceCandidate(d.name, d.mediaType));
    const items: Item[] = candidates.map((document) =>
      document.size > (document.name.toLowerCase().endsWith('.pdf') ? MAX_PDF_BYTES : MAX_XML_BYTES)
        ? { document, state: 'skipped', reason: { key: 'einv.too_large', params: { name: document.name, size: document.size } } }
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
          const blob = await decryptDocumentOnce(invoiceId, item.document.fileId, dek, item.document.mediaType, undefined, source);
          if (blob.size !== item.document.size) throw new Error('size');
          next = { document: item.document, state: 'read', reading: await readEInvoiceBlob(blob) };
        } catch {
          next = { document: item.document, state: 'skipped', reason: { key: 'einv.not_intact', params: { name: item.document.name } } };
        }
        items[index] = next;
        publish();
      })();
    });
    return () => {
      current = false;
    };
  }, [invoiceId, dek, header, source]);

  return input ? state : EMPTY;
}

function factsOf(h: InvoiceHeader) {
  return { number: h.number, dueDate: h.dueDate, currency: h.currency, payable: h.amounts.payable, iban: h.payment.iban, sellerVatId: h.seller.vatId };
}

/** The blocking warning: what was signed and what an attached e-invoice says differ. */
export function EInvoiceMismatchAlert({ attached, header, viewer }: { attached: AttachedEInvoices; header: InvoiceHeader; viewer: 'customer' | 'supplier' }) {
  const t = useT();
  const declared = header.einvoiceMismatches ?? [];
  // What this browser found; while it reads, or if it could not read a file, what the supplier declared.
  const differences = attached.done && attached.differences.length > 0 ? attached.differences : declared;
  if (differences.length === 0) {
    return attached.done ? null : <p className="status" role="status">{t('einv.comparing')}</p>;
  }
  return (
    <div className="alert error stack" role="alert" data-testid="einvoice-mismatch">
      <strong>{t(viewer === 'customer' ? 'einv.mismatch_customer' : 'einv.mismatch_supplier')}</strong>
      <table>
        <thead><tr><th scope="col">{t('einv.col.field')}</th><th scope="col">{t('einv.col.signed')}</th><th scope="col">{t('einv.col.einvoice')}</th><th scope="col">{t('einv.col.file')}</th></tr></thead>
        <tbody>
          {differences.map((d) => (
            <tr key={`${d.document}-${d.field}`} data-field={d.field}><th scope="row">{t(`field.${d.field}`)}</th><td>{d.header}</td><td>{d.einvoice}</td><td>{d.document}</td></tr>
          ))}
        </tbody>
      </table>
      <span>
        {declared.length > 0 ? `${t('einv.declared')} ` : ''}
        {t(viewer === 'customer' ? 'einv.fraud_customer' : 'einv.fraud_supplier')}
      </span>
    </div>
  );
}

/** Every attached e-invoice as a page; a PDF without an embedded e-invoice says so. */
export function AttachedEInvoicesSection({ attached }: { attached: AttachedEInvoices }) {
  const t = useT();
  const format = useFormat();
  if (attached.items.length === 0) return null;
  return (
    <section className="panel stack" aria-labelledby="einvoice-heading">
      <h2 id="einvoice-heading">{t('einv.heading')}</h2>
      {attached.items.map((item) => {
        const name = item.document.name;
        if (item.state === 'reading') return <p key={item.document.fileId} className="status" role="status">{t('einv.reading', { name })}</p>;
        if (item.state === 'skipped') {
          const { key, params } = item.reason;
          const shown = params && typeof params.size === 'number' ? { ...params, size: format.bytes(params.size) } : params;
          return <p key={item.document.fileId} className="alert warn">{t(key, shown)}</p>;
        }
        const { reading } = item;
        if (!reading.ok) {
          return (
            <p key={item.document.fileId} className={`alert ${reading.code === 'no-embedded-xml' ? 'warn' : 'error'}`} data-testid="einvoice-read-error">
              <strong>{name}:</strong> {t(`einv.read.${reading.code}`)}
            </p>
          );
        }
        return (
          <div key={item.document.fileId} className="stack">
            <p className="muted">
              <RichText text={reading.source.kind === 'pdf' ? t('einv.from_embedded', { name, embedded: reading.source.embeddedName ?? '' }) : t('einv.from', { name })} />
            </p>
            <EInvoiceView invoice={reading.invoice} findings={reading.findings} xml={reading.xml} name={name} />
          </div>
        );
      })}
    </section>
  );
}
