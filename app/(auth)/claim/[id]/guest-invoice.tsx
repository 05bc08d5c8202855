'use client';

import { useMemo, useState } from 'react';
import { EInvoiceMismatchAlert, useAttachedEInvoices } from '@/components/attached-einvoices';
import { DocumentPanel } from '@/components/document-panel';
import { InvoiceDetails } from '@/components/invoice-details';
import { InvoiceHistory } from '@/components/invoice-history';
import { payable, PaymentDetails, PaymentHold } from '@/components/payment-panel';
import type { OpenedProvisionalOrg } from '@/lib/client/claim';
import type { DocumentSource } from '@/lib/client/documents';
import { useFormat, useT } from '@/lib/client/i18n';
import type { OpenedInvoice } from '@/lib/client/open-invoice';
import { replayPayments } from '@/lib/client/payments';
import { useGuestHistory } from '@/lib/client/use-guest-history';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';

/** A credit note and the invoice it credits are both sent to this org, so both stand on this page under their heading. */
const guestInvoiceHref = (invoiceId: string): string => `#invoice-${invoiceId}`;

type Verified = OpenedInvoice & { header: InvoiceHeader; dek: Uint8Array };

/**
 * One invoice in the guest view, read-only: what a customer's member sees of it (DESIGN §11) —
 * the verification, the status its signed history leads to, the details, how to pay (bank details
 * with copy buttons and the EPC QR code, withheld while the history is checked, cannot be trusted
 * or says cancelled or credited, and while an attached e-invoice disagrees with the signed header),
 * the verified history, and the documents, previewed and downloaded byte for byte after this
 * browser decrypted them.
 */
export function GuestInvoice({ opened, org, claimAuth, source }: { opened: Verified; org: OpenedProvisionalOrg; claimAuth: string; source: DocumentSource }) {
  const t = useT();
  const format = useFormat();
  const { header, invoice, supplier, dek } = opened;
  const supplierName = supplier?.name ?? header.seller.name;
  const money = (value: string) => format.money(value, header.currency);
  const forEInvoices = useMemo(() => ({ invoiceId: invoice.id, dek, header, source }), [invoice.id, dek, header, source]);
  const einvoices = useAttachedEInvoices(forEInvoices);
  const forEvents = useMemo(() => ({ invoiceId: invoice.id, supplierOrgId: invoice.supplierOrgId, customerOrgId: invoice.customerOrgId, dek, header }), [invoice, dek, header]);
  const { history, error } = useGuestHistory(org, claimAuth, forEvents);
  const payments = useMemo(() => (history ? replayPayments(history.events, header) : null), [history, header]);
  const [paymentUnblocked, setPaymentUnblocked] = useState(false);
  const einvoiceDisagrees = einvoices.differences.length > 0 || (header.einvoiceMismatches?.length ?? 0) > 0;
  const final = history && !history.blocked && (history.status === 'cancelled' || history.status === 'credited') ? history.status : null;
  const id = (part: string) => `${part}-${invoice.id}`;

  return (
    <article className="panel stack" aria-labelledby={id('invoice')} data-testid="guest-invoice">
      <h2 id={id('invoice')}>{t(header.type === 'credit-note' ? 'view.heading_credit' : 'view.heading', { number: header.number })}</h2>
      {final && (
        <p className="alert error" role="alert" data-testid="guest-final-status" data-status={final}>
          <strong>{t(final === 'cancelled' ? 'guest.was_cancelled' : 'guest.was_credited', { supplier: supplierName })}</strong>
        </p>
      )}
      {history?.blocked && (
        <p className="alert error" role="alert" data-testid="guest-history-blocked"><strong>{t('history.blocked_lead')}</strong> {t('guest.history_blocked', { supplier: supplierName })}</p>
      )}
      {error && <p className="alert error" role="alert" data-testid="guest-history-unavailable"><strong>{t('guest.status_unknown', { supplier: supplierName })}</strong> {error}</p>}
      <p className="alert ok" role="status" data-testid="signature-status">
        {t('guest.verified', { supplier: supplierName, signer: opened.signer?.displayName ?? '' })}
      </p>
      <EInvoiceMismatchAlert attached={einvoices} header={header} viewer="customer" />
      <InvoiceDetails header={header}>
        <dt>{t('card.status')}</dt>
        <dd data-testid="guest-status">{history ? (history.blocked ? t('guest.status_untrusted') : format.status(history.status)) : error ? t('guest.status_unchecked') : t('view.checking_history')}</dd>
        <dt>{t('view.safety_number')}</dt><dd className="fingerprint" data-testid="supplier-fingerprint">{opened.supplierFingerprint}</dd>
      </InvoiceDetails>
      {header.type === 'invoice' && (
        <section className="stack" aria-labelledby={id('payment')} data-testid="payment-panel">
          <h3 id={id('payment')}>{t('pay.heading')}</h3>
          {!final && (
            <p>
              {t('pay.amount_due')} <strong>{money(header.amounts.payable)}</strong> {t('pay.by')} <time dateTime={header.dueDate}>{format.date(header.dueDate)}</time>
            </p>
          )}
          {/* As on a member's page: the status comes from the verified history, never the server's. */}
          {!history || !payable(history) ? (
            error ? <p className="alert error" role="alert" data-testid="payment-unchecked">{t('guest.payment_unchecked')}</p> : <PaymentHold history={history} />
          ) : einvoiceDisagrees && !paymentUnblocked ? (
            <div className="stack">
              <p>{t('view.payment_withheld_text')}</p>
              <div className="row"><button type="button" className="secondary" onClick={() => setPaymentUnblocked(true)}>{t('view.payment_unblock')}</button></div>
            </div>
          ) : (
            <PaymentDetails header={header} supplierName={supplierName} />
          )}
        </section>
      )}
      {history && payments && <InvoiceHistory opened={opened} history={history} payments={payments} notice={null} noticeRef={null} headingLevel={3} idPrefix={`${invoice.id}-`} invoiceHref={guestInvoiceHref} />}
      <section className="stack" aria-labelledby={id('documents')}>
        <h3 id={id('documents')}>{t('view.documents')}</h3>
        {header.documents.length === 0 && <p className="muted">{t('view.no_documents')}</p>}
        {header.documents.map((doc) => <DocumentPanel key={doc.fileId} invoiceId={invoice.id} dek={dek} document={doc} source={source} />)}
      </section>
    </article>
  );
}
