'use client';

import { Fragment, useState, type ReactNode } from 'react';
import { useFormat, useT } from '@/lib/client/i18n';
import { useKeyring } from '@/lib/client/keys-context';
import type { VerifiedHistory } from '@/lib/client/invoice-events';
import type { OpenedInvoice } from '@/lib/client/open-invoice';
import { isOverdue, localDate } from '@/lib/client/summary';
import { checkPayee, payeeNeedsWarning } from '@/lib/client/trust';
import { fromUnits, toUnits } from '@/lib/shared/decimal';
import { buildEpcPayload } from '@/lib/shared/epc-qr';
import { formatIban } from '@/lib/shared/iban';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';
import { CopyButton } from './copy-button';
import { EpcQrCode } from './epc-qr-code';

export interface PaymentPanelProps {
  /** A verified invoice: its header is the supplier-signed one, the only source of bank details. */
  opened: OpenedInvoice & { header: InvoiceHeader };
  viewer: 'customer' | 'supplier';
  /** The verified history (DESIGN §8): the status comes from it, and nothing is shown while it is loading or blocked. */
  history: VerifiedHistory | null;
}

/**
 * How to pay an invoice, built only from its signed, decrypted header (DESIGN §5): bank details
 * with copy buttons, an EPC QR code for euro invoices and the supplier's payment link. For the
 * customer the IBAN is first checked against every IBAN this user ever paid (DESIGN §3.4): a
 * changed IBAN, one paid to another organization, or one that differs from what was paid to an
 * organization this one looks like is a warning to acknowledge, and a first payment to an
 * organization is an explicit step, before any detail is revealed.
 */
export function PaymentPanel({ opened, viewer, history }: PaymentPanelProps) {
  const t = useT();
  const format = useFormat();
  const { header, invoice } = opened;
  const supplierName = opened.supplier?.name ?? header.seller.name;
  const [today] = useState(() => localDate(new Date()));
  const [acknowledged, setAcknowledged] = useState(false);
  const { keyring } = useKeyring();
  const [check] = useState(() => checkPayee(keyring, invoice.supplierOrgId, header.payment.iban, opened.lookalikes));
  const status = history?.status ?? invoice.status;
  const overdue = !!history && isOverdue({ status, updatedAt: invoice.updatedAt, header }, today);

  const heading = (
    <>
      <h2 id="payment-heading">{t(viewer === 'customer' ? 'pay.heading' : 'pay.heading_supplier')}</h2>
      {header.type === 'invoice' && (
        <p>
          {t('pay.amount_due')} <strong>{format.money(header.amounts.payable, header.currency)}</strong> {t('pay.by')} <time dateTime={header.dueDate}>{format.date(header.dueDate)}</time>
          {overdue && <> <span className="badge warn" data-testid="overdue">{t('pay.overdue_since', { date: format.date(header.dueDate) })}</span></>}
        </p>
      )}
    </>
  );
  const section = (body: ReactNode) => (
    <section className="panel stack" aria-labelledby="payment-heading" data-testid="payment-panel">{heading}{body}</section>
  );

  if (header.type === 'credit-note') return section(<p className="muted">{t('pay.credit_note')}</p>);
  const hold = <PaymentHold history={history} />;
  if (!history || !payable(history)) return section(hold);
  if (viewer === 'supplier') return section(<PaymentDetails header={header} supplierName={supplierName} />);

  const iban = formatIban(header.payment.iban);
  const paidOn = (at: string) => format.date(at);
  if (payeeNeedsWarning(check) && !acknowledged) {
    const last = check.previous[0] ?? check.lookalikes[0];
    return section(
      <div className="alert error stack" role="alert" data-testid="iban-change-warning">
        <strong>
          {check.kind === 'changed'
            ? t('pay.iban_changed', { supplier: supplierName })
            : check.lookalikes.length
              ? t('pay.iban_lookalike', { name: check.lookalikes[0]!.orgName })
              : t('pay.iban_other_org')}
        </strong>
        <dl>
          {last && <><dt>{t('pay.last_paid_to')}</dt><dd className="fingerprint" data-testid="previous-iban">{formatIban(last.iban)} {t('pay.paid_on', { org: last.orgName || supplierName, date: paidOn(last.paidAt) })}</dd></>}
          {check.otherOrgs.map((p) => <Fragment key={`${p.orgId}-${p.paidAt}`}><dt>{t('pay.iban_paid_to')}</dt><dd data-testid="iban-paid-to-other">{t('pay.other_org', { org: p.orgName, date: paidOn(p.paidAt) })}</dd></Fragment>)}
          <dt>{t('pay.asks_for')}</dt><dd className="fingerprint" data-testid="new-iban">{iban}</dd>
        </dl>
        <p>{t('pay.fraud_call', { name: check.lookalikes[0]?.orgName ?? supplierName })}</p>
        <button type="button" className="danger" onClick={() => setAcknowledged(true)}>{t('pay.confirmed_iban', { supplier: supplierName })}</button>
      </div>,
    );
  }
  if (check.kind === 'first' && !acknowledged) {
    return section(
      <div className="alert warn stack" role="note" data-testid="first-payment">
        <strong>{t('pay.first_heading', { supplier: supplierName })}</strong>
        <p>{t('pay.first_text', { supplier: supplierName })}</p>
        <button type="button" onClick={() => setAcknowledged(true)}>{t('pay.first_button', { supplier: supplierName })}</button>
      </div>,
    );
  }

  return section(
    <>
      {check.kind === 'first' && <p className="muted" data-testid="payee-note">{t('pay.first_note', { supplier: supplierName })}</p>}
      {check.kind === 'same' && <p className="muted" data-testid="payee-note">{t('pay.same_note', { supplier: supplierName })}</p>}
      {check.kind !== 'same' && payeeNeedsWarning(check) && <p className="alert warn" role="note" data-testid="payee-note">{t('pay.confirmed_note', { iban, supplier: supplierName })}</p>}
      <PaymentDetails header={header} supplierName={supplierName} />
      {status === 'paid' && <p className="alert ok" role="note">{t('pay.receipt_confirmed', { supplier: supplierName })}</p>}
    </>,
  );
}

/** Whether a verified history lets payment details be shown: it does not block and leads to no final "do not pay" status. */
export function payable(history: VerifiedHistory): boolean {
  return !history.blocked && history.status !== 'cancelled' && history.status !== 'credited';
}

/**
 * What stands in place of the bank details while the verified history does not allow them: still
 * checking, a history that cannot be trusted, or a cancelled or credited invoice. For a member's
 * invoice page and a guest's view alike; nothing when payment details may be shown.
 */
export function PaymentHold({ history }: { history: VerifiedHistory | null }) {
  const t = useT();
  if (!history) return <p className="status" role="status">{t('pay.checking')}</p>;
  if (history.blocked) return <p className="alert error" role="alert" data-testid="payment-blocked">{t('pay.blocked')}</p>;
  if (history.status === 'cancelled' || history.status === 'credited') return <p className="alert warn" role="note">{t(history.status === 'cancelled' ? 'pay.was_cancelled' : 'pay.was_credited')}</p>;
  return null;
}

/** Bank details with copy buttons and the EPC QR code, from the signed header only; also the guest view's (DESIGN §11). */
export function PaymentDetails({ header, supplierName }: { header: InvoiceHeader; supplierName: string }) {
  const t = useT();
  const format = useFormat();
  const { payment, currency } = header;
  const decimals = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const amount = fromUnits(toUnits(header.amounts.payable), decimals);
  // The note is shown to the payer by the banking app (≤ 70 characters; a number has ≤ 64).
  const note = header.number.length <= 62 ? `Invoice ${header.number}` : header.number;
  const epc = buildEpcPayload({ currency, amount: header.amounts.payable, beneficiaryName: payment.payeeName, iban: payment.iban, bic: payment.bic, reference: payment.reference, note });
  const row = (label: string, shown: ReactNode, machine: string, className?: string) => (
    <>
      <dt>{label}</dt>
      <dd className="row copy-row"><span className={className}>{shown}</span><CopyButton label={label} value={machine} /></dd>
    </>
  );

  return (
    <>
      <div className="payment-details">
        <dl data-testid="payment-details">
          {row(t('pay.payee'), payment.payeeName, payment.payeeName)}
          {row(t('pay.iban'), formatIban(payment.iban), payment.iban, 'fingerprint')}
          {payment.bic && row(t('pay.bic'), payment.bic, payment.bic, 'fingerprint')}
          {row(t('pay.amount'), format.money(header.amounts.payable, currency), amount)}
          {row(t('pay.currency'), currency, currency)}
          {payment.reference && row(t('pay.reference'), payment.reference, payment.reference)}
        </dl>
        {epc.ok ? (
          <figure className="epc">
            <EpcQrCode payload={epc.payload} label={t('pay.qr_label', { amount: format.money(header.amounts.payable, currency), payee: payment.payeeName })} />
            <figcaption className="muted">{t('pay.qr_caption')}</figcaption>
            <details>
              <summary>{t('pay.qr_contents')}</summary>
              <pre className="xml" data-testid="epc-payload">{epc.payload}</pre>
            </details>
          </figure>
        ) : (
          <p className="muted" data-testid="epc-refused">{t('pay.no_qr', { reason: t(epc.reason.key, epc.reason.params) })}</p>
        )}
      </div>
      {payment.url && (
        <p>
          {t('pay.payment_page', { supplier: supplierName })}{' '}
          <a href={payment.url} target="_blank" rel="noopener noreferrer" referrerPolicy="no-referrer" data-testid="payment-link">{payment.url}</a>
        </p>
      )}
    </>
  );
}
