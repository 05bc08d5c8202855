'use client';

import { useEffect, useState, type ReactNode } from 'react';
import type { UnlockedAccount } from '@/lib/client/account';
import { useDescribeError } from '@/lib/client/i18n';
import { loadKeyring } from '@/lib/client/keyring';
import type { OpenedInvoice } from '@/lib/client/open-invoice';
import { checkPayee, type PayeeCheck } from '@/lib/client/payees';
import { isOverdue, localDate } from '@/lib/client/summary';
import { formatMoney, fromUnits, toUnits } from '@/lib/shared/decimal';
import { buildEpcPayload } from '@/lib/shared/epc-qr';
import { formatIban } from '@/lib/shared/iban';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';
import { CopyButton } from './copy-button';
import { EpcQrCode } from './epc-qr-code';
import { ErrorAlert } from './form-field';

export interface PaymentPanelProps {
  account: UnlockedAccount;
  /** A verified invoice: its header is the supplier-signed one, the only source of bank details. */
  opened: OpenedInvoice & { header: InvoiceHeader };
  viewer: 'customer' | 'supplier';
}

/**
 * How to pay an invoice, built only from its signed, decrypted header (DESIGN §5): bank details
 * with copy buttons, an EPC QR code for euro invoices and the supplier's payment link. For the
 * customer the IBAN is first checked against the one last paid to this supplier; a change is
 * shown as a warning that must be acknowledged before any detail is revealed.
 */
export function PaymentPanel({ account, opened, viewer }: PaymentPanelProps) {
  const describeError = useDescribeError();
  const { header, invoice } = opened;
  const supplierName = opened.supplier?.name ?? header.seller.name;
  const [today] = useState(() => localDate(new Date()));
  const [check, setCheck] = useState<PayeeCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [acknowledged, setAcknowledged] = useState(false);
  const overdue = isOverdue({ status: invoice.status, updatedAt: invoice.updatedAt, header }, today);

  useEffect(() => {
    if (viewer !== 'customer') return;
    let current = true;
    loadKeyring(account)
      .then(({ keyring }) => current && setCheck(checkPayee(keyring, invoice.supplierOrgId, header.payment.iban)))
      .catch((err: unknown) => current && setError(describeError(err)));
    return () => {
      current = false;
    };
  }, [account, describeError, viewer, invoice.supplierOrgId, header.payment.iban]);

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
  if (invoice.status === 'cancelled' || invoice.status === 'credited') {
    return section(<p className="alert warn" role="note">This invoice was {invoice.status}. Do not pay it.</p>);
  }
  if (viewer === 'supplier') return section(<PaymentDetails header={header} supplierName={supplierName} />);
  if (error) return section(<ErrorAlert message={`The bank details could not be checked against your last payment, so they are not shown: ${error}`} />);
  if (!check) return section(<p className="status" role="status">Checking the bank details against your last payment to {supplierName}…</p>);

  if (check.state === 'changed' && !acknowledged) {
    return section(
      <div className="alert error stack" role="alert" data-testid="iban-change-warning">
        <strong>The bank account for {supplierName} has changed.</strong>
        <dl>
          <dt>Last paid to</dt><dd className="fingerprint" data-testid="previous-iban">{formatIban(check.previousIban)} (on {new Date(check.paidAt).toLocaleDateString()})</dd>
          <dt>This invoice asks for</dt><dd className="fingerprint" data-testid="new-iban">{formatIban(header.payment.iban)}</dd>
        </dl>
        <p>
          Changed bank details are how invoice fraud works. Before paying, call {supplierName} on a phone number you already know — not one
          from this invoice or an e-mail about it — and confirm the new IBAN with them.
        </p>
        <button type="button" className="danger" onClick={() => setAcknowledged(true)}>I have confirmed the new IBAN with {supplierName}; show the payment details</button>
      </div>,
    );
  }

  return section(
    <>
      {check.state === 'first' && <p className="muted" data-testid="payee-note">First payment to {supplierName} from your account: once you announce a payment (“I have paid”), a later change of IBAN will be flagged.</p>}
      {check.state === 'same' && <p className="muted" data-testid="payee-note">Same IBAN as your last payment to {supplierName} (on {new Date(check.paidAt).toLocaleDateString()}).</p>}
      {check.state === 'changed' && <p className="alert warn" role="note" data-testid="payee-note">You confirmed that {supplierName} changed its IBAN from {formatIban(check.previousIban)}.</p>}
      <PaymentDetails header={header} supplierName={supplierName} />
      {invoice.status === 'paid' && <p className="alert ok" role="note">{supplierName} confirmed receipt of the payment.</p>}
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
