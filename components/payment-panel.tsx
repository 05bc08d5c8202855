'use client';

import { Fragment, useState, type ReactNode } from 'react';
import { useKeyring } from '@/lib/client/keys-context';
import type { VerifiedHistory } from '@/lib/client/invoice-events';
import type { OpenedInvoice } from '@/lib/client/open-invoice';
import { isOverdue, localDate } from '@/lib/client/summary';
import { checkPayee, payeeNeedsWarning } from '@/lib/client/trust';
import { formatMoney, fromUnits, toUnits } from '@/lib/shared/decimal';
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
      <h2 id="payment-heading">{viewer === 'customer' ? 'Payment' : 'Payment details sent to the customer'}</h2>
      {header.type === 'invoice' && (
        <p>
          Amount due <strong>{formatMoney(header.amounts.payable, header.currency)}</strong> by {header.dueDate}
          {overdue && <> <span className="badge warn" data-testid="overdue">Overdue since {header.dueDate}</span></>}
        </p>
      )}
    </>
  );
  const section = (body: ReactNode) => (
    <section className="panel stack" aria-labelledby="payment-heading" data-testid="payment-panel">{heading}{body}</section>
  );

  if (header.type === 'credit-note') return section(<p className="muted">This is a credit note: there is nothing to pay on it.</p>);
  if (!history) return section(<p className="status" role="status">Checking the signed history before showing payment details…</p>);
  if (history.blocked) {
    return section(<p className="alert error" role="alert" data-testid="payment-blocked">Payment details are not shown: the history of this invoice cannot be trusted (see History below).</p>);
  }
  if (status === 'cancelled' || status === 'credited') {
    return section(<p className="alert warn" role="note">This invoice was {status}. Do not pay it.</p>);
  }
  if (viewer === 'supplier') return section(<PaymentDetails header={header} supplierName={supplierName} />);

  const iban = formatIban(header.payment.iban);
  const paidOn = (at: string) => new Date(at).toLocaleDateString();
  if (payeeNeedsWarning(check) && !acknowledged) {
    const last = check.previous[0] ?? check.lookalikes[0];
    return section(
      <div className="alert error stack" role="alert" data-testid="iban-change-warning">
        <strong>
          {check.kind === 'changed'
            ? `The bank account for ${supplierName} has changed.`
            : check.lookalikes.length
              ? `This invoice asks you to pay another bank account than the one you paid to ${check.lookalikes[0]!.orgName}, which this organization looks like.`
              : `This bank account belongs to another organization you paid.`}
        </strong>
        <dl>
          {last && <><dt>Last paid to</dt><dd className="fingerprint" data-testid="previous-iban">{formatIban(last.iban)} ({last.orgName || supplierName}, on {paidOn(last.paidAt)})</dd></>}
          {check.otherOrgs.map((p) => <Fragment key={`${p.orgId}-${p.paidAt}`}><dt>This IBAN was paid to</dt><dd data-testid="iban-paid-to-other">{p.orgName}, another organization (on {paidOn(p.paidAt)})</dd></Fragment>)}
          <dt>This invoice asks for</dt><dd className="fingerprint" data-testid="new-iban">{iban}</dd>
        </dl>
        <p>
          Changed bank details are how invoice fraud works. Before paying, call {check.lookalikes[0]?.orgName ?? supplierName} on a phone number you already know — not one
          from this invoice or an e-mail about it — and confirm the IBAN with them.
        </p>
        <button type="button" className="danger" onClick={() => setAcknowledged(true)}>I have confirmed this IBAN with {supplierName}; show the payment details</button>
      </div>,
    );
  }
  if (check.kind === 'first' && !acknowledged) {
    return section(
      <div className="alert warn stack" role="note" data-testid="first-payment">
        <strong>First payment to {supplierName}.</strong>
        <p>
          You have never paid {supplierName} from this account, so there is no earlier payment to compare its bank details with. If this is a new
          supplier, make sure you expect an invoice from it. Once you announce a payment (“I have paid”), a later change of IBAN will be flagged.
        </p>
        <button type="button" onClick={() => setAcknowledged(true)}>This is my first payment to {supplierName}; show the payment details</button>
      </div>,
    );
  }

  return section(
    <>
      {check.kind === 'first' && <p className="muted" data-testid="payee-note">First payment to {supplierName} from your account.</p>}
      {check.kind === 'same' && <p className="muted" data-testid="payee-note">Same IBAN as your earlier payment to {supplierName}.</p>}
      {check.kind !== 'same' && payeeNeedsWarning(check) && <p className="alert warn" role="note" data-testid="payee-note">You confirmed the IBAN {iban} with {supplierName}.</p>}
      <PaymentDetails header={header} supplierName={supplierName} />
      {status === 'paid' && <p className="alert ok" role="note">{supplierName} confirmed receipt of the payment.</p>}
    </>,
  );
}

function PaymentDetails({ header, supplierName }: { header: InvoiceHeader; supplierName: string }) {
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
          {row('Payee', payment.payeeName, payment.payeeName)}
          {row('IBAN', formatIban(payment.iban), payment.iban, 'fingerprint')}
          {payment.bic && row('BIC', payment.bic, payment.bic, 'fingerprint')}
          {row('Amount', formatMoney(header.amounts.payable, currency), amount)}
          {row('Currency', currency, currency)}
          {payment.reference && row('Reference', payment.reference, payment.reference)}
        </dl>
        {epc.ok ? (
          <figure className="epc">
            <EpcQrCode payload={epc.payload} label={`EPC QR code: transfer of ${formatMoney(header.amounts.payable, currency)} to ${payment.payeeName}`} />
            <figcaption className="muted">Scan with your banking app (EPC QR, “GiroCode”). Check the details it shows against the ones here.</figcaption>
            <details>
              <summary>What the QR code contains</summary>
              <pre className="xml" data-testid="epc-payload">{epc.payload}</pre>
            </details>
          </figure>
        ) : (
          <p className="muted" data-testid="epc-refused">No QR code: {epc.reason}</p>
        )}
      </div>
      {payment.url && (
        <p>
          {supplierName} offers a payment page:{' '}
          <a href={payment.url} target="_blank" rel="noopener noreferrer" referrerPolicy="no-referrer" data-testid="payment-link">{payment.url}</a>
        </p>
      )}
    </>
  );
}
