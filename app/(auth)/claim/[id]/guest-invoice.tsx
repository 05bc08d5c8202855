'use client';

import { useMemo, useState } from 'react';
import { EInvoiceMismatchAlert, useAttachedEInvoices } from '@/components/attached-einvoices';
import { DocumentPanel } from '@/components/document-panel';
import { InvoiceDetails } from '@/components/invoice-details';
import { PaymentDetails } from '@/components/payment-panel';
import type { DocumentSource } from '@/lib/client/documents';
import { useFormat, useT } from '@/lib/client/i18n';
import type { OpenedInvoice } from '@/lib/client/open-invoice';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';

type Verified = OpenedInvoice & { header: InvoiceHeader; dek: Uint8Array };

/**
 * One invoice in the guest view, read-only: what a customer's member sees of it (DESIGN §11) —
 * the verification, the details, how to pay (bank details with copy buttons and the EPC QR code,
 * withheld while an attached e-invoice disagrees with the signed header), and the documents,
 * previewed and downloaded byte for byte after this browser decrypted them.
 */
export function GuestInvoice({ opened, source }: { opened: Verified; source: DocumentSource }) {
  const t = useT();
  const format = useFormat();
  const { header, invoice, supplier, dek } = opened;
  const supplierName = supplier?.name ?? header.seller.name;
  const money = (value: string) => format.money(value, header.currency);
  const forEInvoices = useMemo(() => ({ invoiceId: invoice.id, dek, header, source }), [invoice.id, dek, header, source]);
  const einvoices = useAttachedEInvoices(forEInvoices);
  const [paymentUnblocked, setPaymentUnblocked] = useState(false);
  const einvoiceDisagrees = einvoices.differences.length > 0 || (header.einvoiceMismatches?.length ?? 0) > 0;
  const id = (part: string) => `${part}-${invoice.id}`;

  return (
    <article className="panel stack" aria-labelledby={id('invoice')} data-testid="guest-invoice">
      <h2 id={id('invoice')}>{t(header.type === 'credit-note' ? 'view.heading_credit' : 'view.heading', { number: header.number })}</h2>
      <p className="alert ok" role="status" data-testid="signature-status">
        {t('guest.verified', { supplier: supplierName, signer: opened.signer?.displayName ?? '' })}
      </p>
      <EInvoiceMismatchAlert attached={einvoices} header={header} viewer="customer" />
      <InvoiceDetails header={header}>
        <dt>{t('view.safety_number')}</dt><dd className="fingerprint" data-testid="supplier-fingerprint">{opened.supplierFingerprint}</dd>
      </InvoiceDetails>
      {header.type === 'invoice' && (
        <section className="stack" aria-labelledby={id('payment')} data-testid="payment-panel">
          <h3 id={id('payment')}>{t('pay.heading')}</h3>
          <p>
            {t('pay.amount_due')} <strong>{money(header.amounts.payable)}</strong> {t('pay.by')} <time dateTime={header.dueDate}>{format.date(header.dueDate)}</time>
          </p>
          {einvoiceDisagrees && !paymentUnblocked ? (
            <div className="stack">
              <p>{t('view.payment_withheld_text')}</p>
              <div className="row"><button type="button" className="secondary" onClick={() => setPaymentUnblocked(true)}>{t('view.payment_unblock')}</button></div>
            </div>
          ) : (
            <PaymentDetails header={header} supplierName={supplierName} />
          )}
        </section>
      )}
      <section className="stack" aria-labelledby={id('documents')}>
        <h3 id={id('documents')}>{t('view.documents')}</h3>
        {header.documents.length === 0 && <p className="muted">{t('view.no_documents')}</p>}
        {header.documents.map((doc) => <DocumentPanel key={doc.fileId} invoiceId={invoice.id} dek={dek} document={doc} source={source} />)}
      </section>
    </article>
  );
}
