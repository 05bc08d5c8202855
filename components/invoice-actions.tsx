'use client';

import Link from 'next/link';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { UnlockedAccount, UnlockedOrg } from '@/lib/client/account';
import { useDescribeError } from '@/lib/client/i18n';
import { buildSignedEvent, postEvent, type VerifiedHistory } from '@/lib/client/invoice-events';
import type { OpenedInvoice } from '@/lib/client/open-invoice';
import { useKeyring } from '@/lib/client/keys-context';
import { rememberPayment } from '@/lib/client/trust';
import { difference, type Announcement, type PaymentState } from '@/lib/client/payments';
import { formatMoney, fromUnits, toUnits } from '@/lib/shared/decimal';
import { legalActions, mayCredit, type InvoiceEventType, type Party } from '@/lib/shared/lifecycle';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';
import { EVENT_PAYLOAD_SCHEMAS, type EventPayloads } from '@/lib/shared/schemas/invoice-event';
import { ErrorAlert, FormField } from './form-field';

/** Every action this panel offers; the summary card's primary action opens one of them. */
export type ActionId = 'announce' | 'correct' | 'withdraw-payment' | 'paid' | 'dispute' | 'comment' | 'withdraw-dispute' | 'cancel';

const TEXT = {
  heading: 'Actions',
  announce: { title: 'I have paid', submit: 'Announce payment', amount: (c: string) => `Amount paid (${c})`, date: 'Payment date', reference: 'Payment reference', done: (amount: string, supplier: string) => `Payment of ${amount} announced. ${supplier} will confirm when it arrives.` },
  correct: { title: 'Correct the payment announcement', submit: 'Save correction', which: 'Announcement to correct', option: (a: Announcement, amount: string) => `${amount} on ${a.date}${a.reference ? ` (${a.reference})` : ''}`, amount: (c: string) => `Correct amount paid (${c})`, done: (amount: string) => `Payment announcement corrected to ${amount}.` },
  withdrawPayment: { title: 'Withdraw the payment announcement', submit: 'Withdraw announcement', explain: (n: number) => (n === 1 ? 'Takes back your announced payment: the supplier no longer expects it.' : `Takes back all ${n} announced payments: the supplier no longer expects them.`), reason: 'Reason (optional)', done: 'Payment announcement withdrawn. The invoice is open for payment again.' },
  overpay: {
    warning: (amount: string, more: string, due: string) => `You are announcing ${amount}, which is ${more} more than the ${due} still payable. Check the amount; if you really paid more, confirm it.`,
    confirm: (amount: string, more: string) => `Announce ${amount} anyway (${more} more than payable)`,
  },
  paid: {
    title: 'Confirm payment received', submit: 'Confirm payment', amount: (c: string) => `Amount received (${c})`, date: 'Date received',
    announced: (amount: string) => `The customer announced ${amount}.`,
    differs: (amount: string, kind: 'more' | 'less', by: string, payable: string) => `You are confirming ${amount}, ${by} ${kind} than the ${payable} payable.`,
    done: (amount: string) => `Payment of ${amount} confirmed as received. The invoice is paid.`,
    doneDiffers: (kind: 'more' | 'less', by: string, payable: string) => `That is ${by} ${kind} than the ${payable} payable.`,
  },
  dispute: { title: 'Dispute', submit: 'Send dispute', reason: 'Reason for the dispute', done: 'Dispute sent. The supplier sees your reason in the history.' },
  comment: { title: 'Comment on the dispute', submit: 'Send comment', label: 'Comment', done: 'Comment sent.' },
  withdrawDispute: { title: 'Withdraw the dispute', submit: 'Withdraw dispute', done: 'Dispute withdrawn.' },
  cancel: { title: 'Cancel this invoice', submit: 'Cancel invoice', reason: 'Reason (optional)', done: 'Invoice cancelled. The customer sees that it must not be paid.' },
  credit: 'Issue credit note',
};

const today = () => new Date().toISOString().slice(0, 10);

interface Props {
  account: UnlockedAccount;
  org: UnlockedOrg;
  opened: OpenedInvoice & { header: InvoiceHeader; dek: Uint8Array };
  party: Party;
  history: VerifiedHistory;
  payments: PaymentState;
  /** The action the page asked to open (the summary card's primary action), with a counter so asking again reopens it. */
  requested: { id: ActionId; n: number } | null;
  /** Called after an event was accepted, with the sentence that says what happened. */
  onDone: (notice: string) => Promise<void>;
}

/** The actions this party may take now (lib/shared/lifecycle.ts), ones that pay first. */
export function availableActions(status: VerifiedHistory['status'], party: Party, header: InvoiceHeader, payments: PaymentState): ActionId[] {
  const legal = legalActions(status, party);
  const payable = header.type === 'invoice';
  const ids: ActionId[] = [];
  if (payable && legal.includes('payment_announced') && status !== 'payment_announced') ids.push('announce');
  if (payable && legal.includes('payment_announced') && payments.open.length > 0 && (status === 'payment_announced' || status === 'partially_paid')) ids.push('correct');
  if (payable && legal.includes('payment_withdrawn') && payments.open.length > 0) ids.push('withdraw-payment');
  if (payable && legal.includes('paid')) ids.push('paid');
  if (legal.includes('disputed')) ids.push('dispute');
  if (legal.includes('dispute_comment')) ids.push('comment');
  if (legal.includes('dispute_withdrawn')) ids.push('withdraw-dispute');
  if (legal.includes('cancelled')) ids.push('cancel');
  return ids;
}

export function InvoiceActions({ account, org, opened, party, history, payments, requested, onDone }: Props) {
  const { invoice, header, dek } = opened;
  const actions = availableActions(history.status, party, header, payments);
  const canCredit = party === 'supplier' && header.type === 'invoice' && mayCredit(history.status);
  const money = (units: bigint) => formatMoney(fromUnits(units), header.currency);
  const supplierName = opened.supplier?.name ?? header.seller.name;
  const { updateKeyring } = useKeyring();

  async function submit<T extends InvoiceEventType>(type: T, payload: EventPayloads[T] | null, notice: string): Promise<void> {
    const event = await buildSignedEvent({ account, actorOrgId: org.orgId, invoiceId: invoice.id, dek, type, payload, prevEventId: history.lastEventId });
    await postEvent(event);
    if (type === 'payment_announced' || type === 'partially_paid') await updateKeyring(rememberPayment({ orgId: invoice.supplierOrgId, name: supplierName }, header.payment.iban));
    await onDone(notice);
  }

  /** The customer's browser chooses complete or partial: the server cannot see amounts. */
  const announceType = (total: bigint) => (total >= payments.payable ? 'payment_announced' : 'partially_paid');

  if (actions.length === 0 && !canCredit) return null;
  const form = (id: ActionId, node: ReactNode) => (actions.includes(id) ? node : null);
  return (
    <section className="panel stack" aria-labelledby="actions-heading" id="actions">
      <h2 id="actions-heading">{TEXT.heading}</h2>
      {form('announce', (
        <PaymentForm id="announce" requested={requested} title={TEXT.announce.title} submitLabel={TEXT.announce.submit} currency={header.currency}
          amountLabel={TEXT.announce.amount(header.currency)} initial={{ amount: fromUnits(payments.due), date: today(), reference: header.payment.reference }} due={payments.due}
          onSubmit={(payment) => submit(announceType(payments.announced + toUnits(payment.amount)), payment, TEXT.announce.done(formatMoney(payment.amount, header.currency), supplierName))} />
      ))}
      {form('correct', <CorrectForm requested={requested} header={header} payments={payments} onSubmit={(payment, replaced) => submit(announceType(payments.announced - toUnits(replaced.amount) + toUnits(payment.amount)), { ...payment, replaces: replaced.eventId }, TEXT.correct.done(formatMoney(payment.amount, header.currency)))} />)}
      {form('withdraw-payment', (
        <ActionForm id="withdraw-payment" requested={requested} title={TEXT.withdrawPayment.title} submitLabel={TEXT.withdrawPayment.submit} danger onSubmit={(data) => {
          const reason = String(data.get('reason') ?? '').trim();
          return submit('payment_withdrawn', reason ? { reason } : null, TEXT.withdrawPayment.done);
        }}>
          <p className="muted">{TEXT.withdrawPayment.explain(payments.open.length)}</p>
          <TextArea label={TEXT.withdrawPayment.reason} name="reason" />
        </ActionForm>
      ))}
      {form('paid', <ConfirmPaidForm requested={requested} header={header} payments={payments} money={money} onSubmit={(paid, notice) => submit('paid', paid, notice)} />)}
      {form('dispute', (
        <ActionForm id="dispute" requested={requested} title={TEXT.dispute.title} submitLabel={TEXT.dispute.submit} onSubmit={(data) => submit('disputed', EVENT_PAYLOAD_SCHEMAS.disputed.parse({ reason: data.get('reason') }), TEXT.dispute.done)}>
          <TextArea label={TEXT.dispute.reason} name="reason" required />
        </ActionForm>
      ))}
      {form('comment', (
        <ActionForm id="comment" requested={requested} title={TEXT.comment.title} submitLabel={TEXT.comment.submit} onSubmit={(data) => submit('dispute_comment', EVENT_PAYLOAD_SCHEMAS.dispute_comment.parse({ comment: data.get('comment') }), TEXT.comment.done)}>
          <TextArea label={TEXT.comment.label} name="comment" required />
        </ActionForm>
      ))}
      {form('withdraw-dispute', <ActionForm id="withdraw-dispute" requested={requested} title={TEXT.withdrawDispute.title} submitLabel={TEXT.withdrawDispute.submit} onSubmit={() => submit('dispute_withdrawn', null, TEXT.withdrawDispute.done)} />)}
      {form('cancel', (
        <ActionForm id="cancel" requested={requested} title={TEXT.cancel.title} submitLabel={TEXT.cancel.submit} danger onSubmit={(data) => {
          const reason = String(data.get('reason') ?? '').trim();
          return submit('cancelled', reason ? { reason } : null, TEXT.cancel.done);
        }}>
          <TextArea label={TEXT.cancel.reason} name="reason" />
        </ActionForm>
      ))}
      {canCredit && <p><Link className="button secondary" href={`/invoices/new?creditFor=${invoice.id}`}>{TEXT.credit}</Link></p>}
    </section>
  );
}

type PaymentInput = EventPayloads['payment_announced'];

/**
 * Amount, date and reference of a payment. An amount above what is still payable (`due`) is sent
 * only after a second, explicit confirmation that names the difference.
 */
function PaymentForm({ id, requested, title, submitLabel, amountLabel, currency, initial, due, onSubmit, children }: {
  id: ActionId; requested: Props['requested']; title: string; submitLabel: string; amountLabel: string; currency: string;
  initial: { amount: string; date: string; reference: string }; due: bigint; onSubmit: (payment: PaymentInput) => Promise<void>; children?: ReactNode;
}) {
  const [overpay, setOverpay] = useState<{ amount: string; more: string } | null>(null);
  return (
    <ActionForm id={id} requested={requested} title={title} submitLabel={overpay ? TEXT.overpay.confirm(formatMoney(overpay.amount, currency), formatMoney(overpay.more, currency)) : submitLabel}
      onSubmit={async (data) => {
        const payment = EVENT_PAYLOAD_SCHEMAS.payment_announced.parse({ amount: data.get('amount'), currency, date: data.get('date'), reference: data.get('reference') });
        const amount = toUnits(payment.amount);
        if (amount > due && overpay?.amount !== payment.amount) {
          setOverpay({ amount: payment.amount, more: fromUnits(amount - due) });
          return;
        }
        await onSubmit(payment);
      }}>
      {children}
      <FormField label={amountLabel} name="amount" inputMode="decimal" defaultValue={initial.amount} required onChange={() => setOverpay(null)} />
      {overpay && <div className="alert warn" role="alert" data-testid="overpayment-warning">{TEXT.overpay.warning(formatMoney(overpay.amount, currency), formatMoney(overpay.more, currency), formatMoney(fromUnits(due), currency))}</div>}
      <FormField label={TEXT.announce.date} name="date" type="date" defaultValue={initial.date} required />
      <FormField label={TEXT.announce.reference} name="reference" defaultValue={initial.reference} />
    </ActionForm>
  );
}

function CorrectForm({ requested, header, payments, onSubmit }: { requested: Props['requested']; header: InvoiceHeader; payments: PaymentState; onSubmit: (payment: PaymentInput, replaced: Announcement) => Promise<void> }) {
  const [chosen, setChosen] = useState(payments.open.at(-1)!.eventId);
  const replaced = payments.open.find((a) => a.eventId === chosen) ?? payments.open.at(-1)!;
  // What is payable if the chosen announcement did not count.
  const dueWithout = payments.payable - (payments.announced - toUnits(replaced.amount));
  return (
    <PaymentForm key={replaced.eventId} id="correct" requested={requested} title={TEXT.correct.title} submitLabel={TEXT.correct.submit} currency={header.currency}
      amountLabel={TEXT.correct.amount(header.currency)} initial={replaced} due={dueWithout > 0n ? dueWithout : 0n} onSubmit={(payment) => onSubmit(payment, replaced)}>
      {payments.open.length > 1 && (
        <label>
          {TEXT.correct.which}
          <select name="replaces" value={replaced.eventId} onChange={(e) => setChosen(e.target.value)}>
            {payments.open.map((a) => <option key={a.eventId} value={a.eventId}>{TEXT.correct.option(a, formatMoney(a.amount, a.currency))}</option>)}
          </select>
        </label>
      )}
    </PaymentForm>
  );
}

/** The supplier confirms what arrived: prefilled with the amount payable, and a different amount is named before it is sent. */
function ConfirmPaidForm({ requested, header, payments, money, onSubmit }: { requested: Props['requested']; header: InvoiceHeader; payments: PaymentState; money: (units: bigint) => string; onSubmit: (paid: EventPayloads['paid'], notice: string) => Promise<void> }) {
  const [amount, setAmount] = useState(fromUnits(payments.payable));
  const valid = /^\d{1,15}(\.\d{1,4})?$/.test(amount.trim());
  const diff = valid ? difference(toUnits(amount.trim()), payments.payable) : null;
  const differs = (a: string) => {
    const d = difference(toUnits(a), payments.payable);
    return d.kind === 'same' ? '' : ` ${TEXT.paid.doneDiffers(d.kind, formatMoney(d.by, header.currency), money(payments.payable))}`;
  };
  return (
    <ActionForm id="paid" requested={requested} title={TEXT.paid.title} submitLabel={TEXT.paid.submit} onSubmit={async (data) => {
      const paid = EVENT_PAYLOAD_SCHEMAS.paid.parse({ amount: data.get('amount'), currency: header.currency, date: data.get('date') });
      await onSubmit(paid, `${TEXT.paid.done(formatMoney(paid.amount, header.currency))}${differs(paid.amount)}`);
    }}>
      {payments.announced > 0n && <p className="muted" data-testid="announced-amount">{TEXT.paid.announced(money(payments.announced))}</p>}
      <FormField label={TEXT.paid.amount(header.currency)} name="amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required />
      {diff && diff.kind !== 'same' && (
        <p className="alert warn" role="status" data-testid="paid-difference-notice">{TEXT.paid.differs(formatMoney(amount.trim(), header.currency), diff.kind, formatMoney(diff.by, header.currency), money(payments.payable))}</p>
      )}
      <FormField label={TEXT.paid.date} name="date" type="date" defaultValue={today()} required />
    </ActionForm>
  );
}

function TextArea({ label, name, required }: { label: string; name: string; required?: boolean }) {
  return (
    <label>
      {label}
      <textarea name={name} maxLength={2000} required={required} />
    </label>
  );
}

/**
 * One action: a disclosure with its form; errors from validation or the server are shown in it.
 * Opened by its summary or by the page (the summary card's primary action), which also moves focus
 * to its first field.
 */
function ActionForm({ id, requested, title, submitLabel, onSubmit, danger, children }: { id: ActionId; requested: Props['requested']; title: string; submitLabel: string; onSubmit: (form: FormData) => Promise<void>; danger?: boolean; children?: ReactNode }) {
  const describeError = useDescribeError();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const details = useRef<HTMLDetailsElement>(null);

  useEffect(() => {
    if (requested?.id !== id || !details.current) return;
    details.current.open = true;
    details.current.scrollIntoView({ block: 'start' });
    details.current.querySelector<HTMLElement>('input, select, textarea, button[type="submit"]')?.focus();
  }, [requested, id]);

  async function handle(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    setBusy(true);
    try {
      await onSubmit(new FormData(event.currentTarget));
    } catch (err) {
      const issues = err && typeof err === 'object' && 'issues' in err ? (err as { issues: { message: string }[] }).issues : null;
      setError(issues ? issues.map((i) => i.message).join(' ') : describeError(err));
    }
    setBusy(false);
  }
  return (
    <details ref={details} className="action" data-action={id}>
      <summary className={danger ? 'button danger' : 'button secondary'}>{title}</summary>
      <form className="stack" onSubmit={handle} aria-label={title} noValidate>
        <fieldset className="stack" disabled={busy}>{children}</fieldset>
        <ErrorAlert message={error} />
        <div className="row"><button type="submit" className={danger ? 'danger' : undefined} disabled={busy}>{submitLabel}</button></div>
      </form>
    </details>
  );
}
