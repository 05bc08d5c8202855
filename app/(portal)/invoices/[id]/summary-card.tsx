'use client';

import type { ActionId } from '@/components/invoice-actions';
import type { PaymentState } from '@/lib/client/payments';
import { useFormat, useT } from '@/lib/client/i18n';
import { fromUnits } from '@/lib/shared/decimal';
import type { Party } from '@/lib/shared/lifecycle';
import type { InvoiceHeader, InvoiceStatus } from '@/lib/shared/schemas/invoice';
import styles from './invoice-page.module.css';

export interface SummaryCardProps {
  header: InvoiceHeader;
  status: InvoiceStatus;
  party: Party;
  counterparty: string;
  payments: PaymentState;
  overdue: boolean;
  actions: ActionId[];
  /**
   * A warning on the page to read before paying or acting (a history that cannot be trusted; for
   * the customer also a lookalike of a paid supplier, a bank account other than the one paid
   * before, an e-invoice that disagrees): the badge is no green tick then, and Pay is no primary
   * button, so the card does not contradict the warning.
   */
  caution: boolean;
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
  const t = useT();
  const format = useFormat();
  const { header, status, party, payments, overdue } = props;
  const money = (units: bigint) => format.money(fromUnits(units), header.currency);
  const settled = status === 'paid' || status === 'cancelled' || status === 'credited';
  const amount = header.type === 'credit-note' ? t('card.credit_note') : settled ? t('card.nothing_due') : money(payments.due);
  const dueDate = format.date(header.dueDate);
  return (
    <section className={`panel ${styles.card}`} aria-labelledby="summary-heading" data-testid="invoice-summary-card">
      <div className="stack">
        <h2 id="summary-heading" className={styles.visuallyHidden}>{t('card.heading')}</h2>
        <dl className={styles.figures}>
          <div>
            <dt>{party === 'customer' ? t('card.amount_due') : t('card.outstanding')}</dt>
            <dd className={styles.amount} data-testid="summary-amount-due">{amount}</dd>
          </div>
          {header.type === 'invoice' && (
            <div>
              <dt>{t('card.due_date')}</dt>
              <dd className={overdue ? styles.overdue : undefined} data-testid="summary-due-date">
                <time dateTime={header.dueDate}>{dueDate}</time>{overdue && <> — {t('card.overdue')}</>}
              </dd>
            </div>
          )}
          <div>
            <dt>{t('card.status')}</dt>
            <dd data-testid="summary-status">{format.status(status)}</dd>
          </div>
          <div className={styles.party}>
            <dt>{party === 'customer' ? t('card.supplier') : t('card.customer')}</dt>
            <dd>{props.counterparty}</dd>
          </div>
        </dl>
        {payments.announced > 0n && !settled && <p className="muted">{t('card.announced', { amount: money(payments.announced) })}</p>}
      </div>
      <div className={styles.side}>
        <button type="button" className={props.caution ? `${styles.badge} ${styles.caution}` : styles.badge} aria-expanded={props.verificationOpen} aria-controls="verification" onClick={props.onToggleVerification} data-testid="verification-badge"
          title={t('card.verification_details')}>
          {props.caution ? t('card.verified_caution') : party === 'supplier' ? t('card.verified_own') : t('card.verified')}
        </button>
        <PrimaryAction {...props} />
      </div>
    </section>
  );
}

/** One primary action for this role and status (issue #14: Pay / I have paid / Confirm payment received). */
function PrimaryAction({ party, actions, payments, counterparty, caution, onPay, onAction }: SummaryCardProps) {
  const t = useT();
  if (party === 'customer') {
    if (actions.includes('announce')) {
      return (
        <>
          <button type="button" className={caution ? 'secondary' : undefined} onClick={onPay} data-testid="primary-action">{t(caution ? 'card.pay_check' : 'card.pay')}</button>
          <button type="button" className="secondary" onClick={() => onAction('announce')}>{t('card.have_paid')}</button>
        </>
      );
    }
    if (actions.includes('correct')) {
      return (
        <>
          <p className={styles.waiting}>{t('card.waiting_supplier', { supplier: counterparty })}</p>
          <button type="button" className="secondary" onClick={() => onAction('correct')}>{t('card.correct')}</button>
        </>
      );
    }
    return null;
  }
  if (actions.includes('paid')) {
    const announced = payments.open.length > 0;
    return (
      <>
        {!announced && <p className={styles.waiting}>{t('card.waiting_customer')}</p>}
        <button type="button" className={announced ? undefined : 'secondary'} onClick={() => onAction('paid')} data-testid={announced ? 'primary-action' : undefined}>{t('card.confirm')}</button>
      </>
    );
  }
  return null;
}
