'use client';

import type { ActionId } from '@/components/invoice-actions';
import { statusLabel } from '@/components/invoice-list';
import type { PaymentState } from '@/lib/client/payments';
import { formatMoney, fromUnits } from '@/lib/shared/decimal';
import type { Party } from '@/lib/shared/lifecycle';
import type { InvoiceHeader, InvoiceStatus } from '@/lib/shared/schemas/invoice';
import styles from './invoice-page.module.css';

const TEXT = {
  heading: 'Summary',
  amountDue: 'Amount due',
  outstanding: 'Outstanding',
  nothingDue: 'Nothing to pay',
  creditNote: 'Credit note',
  dueDate: 'Due date',
  overdue: 'overdue',
  status: 'Status',
  supplier: 'Supplier',
  customer: 'Customer',
  verified: '✓ Verified',
  verifiedOwn: '✓ Signed by your organization',
  verificationDetails: 'Verification details',
  pay: 'Pay',
  havePaid: 'I have paid',
  correct: 'Correct or withdraw the payment',
  confirm: 'Confirm payment received',
  waitingForSupplier: (supplier: string) => `Payment announced; waiting for ${supplier} to confirm receipt.`,
  waitingForCustomer: 'Waiting for the customer’s payment.',
  announced: (amount: string) => `Announced by the customer: ${amount}`,
};

export interface SummaryCardProps {
  header: InvoiceHeader;
  status: InvoiceStatus;
  party: Party;
  counterparty: string;
  payments: PaymentState;
  overdue: boolean;
  actions: ActionId[];
  /** Whether the verification details are shown. */
  verificationOpen: boolean;
  onToggleVerification: () => void;
  onPay: () => void;
  onAction: (id: ActionId) => void;
}

/**
 * What a finance clerk looks for first: how much is due and by when, the status, the other party,
 * and the one thing to do next for this role and status. The verification is a compact badge that
 * opens its details; the details themselves follow the card.
 */
export function SummaryCard(props: SummaryCardProps) {
  const { header, status, party, payments, overdue } = props;
  const money = (units: bigint) => formatMoney(fromUnits(units), header.currency);
  const settled = status === 'paid' || status === 'cancelled' || status === 'credited';
  const amount = header.type === 'credit-note' ? TEXT.creditNote : settled ? TEXT.nothingDue : money(payments.due);
  const dueDate = new Date(`${header.dueDate}T00:00:00`).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  return (
    <section className={`panel ${styles.card}`} aria-labelledby="summary-heading" data-testid="invoice-summary-card">
      <div className="stack">
        <h2 id="summary-heading" className={styles.visuallyHidden}>{TEXT.heading}</h2>
        <dl className={styles.figures}>
          <div>
            <dt>{party === 'customer' ? TEXT.amountDue : TEXT.outstanding}</dt>
            <dd className={styles.amount} data-testid="summary-amount-due">{amount}</dd>
          </div>
          {header.type === 'invoice' && (
            <div>
              <dt>{TEXT.dueDate}</dt>
              <dd className={overdue ? styles.overdue : undefined} data-testid="summary-due-date">
                <time dateTime={header.dueDate}>{dueDate}</time>{overdue && <> — {TEXT.overdue}</>}
              </dd>
            </div>
          )}
          <div>
            <dt>{TEXT.status}</dt>
            <dd data-testid="summary-status">{statusLabel(status)}</dd>
          </div>
          <div>
            <dt>{party === 'customer' ? TEXT.supplier : TEXT.customer}</dt>
            <dd>{props.counterparty}</dd>
          </div>
        </dl>
        {payments.announced > 0n && !settled && <p className="muted">{TEXT.announced(money(payments.announced))}</p>}
      </div>
      <div className={styles.side}>
        <button type="button" className={styles.badge} aria-expanded={props.verificationOpen} aria-controls="verification" onClick={props.onToggleVerification} data-testid="verification-badge"
          title={TEXT.verificationDetails}>
          {party === 'supplier' ? TEXT.verifiedOwn : TEXT.verified}
        </button>
        <PrimaryAction {...props} />
      </div>
    </section>
  );
}

/** One primary action for this role and status (issue #14: Pay / I have paid / Confirm payment received). */
function PrimaryAction({ party, actions, payments, counterparty, onPay, onAction }: SummaryCardProps) {
  if (party === 'customer') {
    if (actions.includes('announce')) {
      return (
        <>
          <button type="button" onClick={onPay} data-testid="primary-action">{TEXT.pay}</button>
          <button type="button" className="secondary" onClick={() => onAction('announce')}>{TEXT.havePaid}</button>
        </>
      );
    }
    if (actions.includes('correct')) {
      return (
        <>
          <p className={styles.waiting}>{TEXT.waitingForSupplier(counterparty)}</p>
          <button type="button" className="secondary" onClick={() => onAction('correct')}>{TEXT.correct}</button>
        </>
      );
    }
    return null;
  }
  if (actions.includes('paid')) {
    const announced = payments.open.length > 0;
    return (
      <>
        {!announced && <p className={styles.waiting}>{TEXT.waitingForCustomer}</p>}
        <button type="button" className={announced ? undefined : 'secondary'} onClick={() => onAction('paid')} data-testid={announced ? 'primary-action' : undefined}>{TEXT.confirm}</button>
      </>
    );
  }
  return null;
}
