'use client';

import Link from 'next/link';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { UnlockedAccount, UnlockedOrg } from '@/lib/client/account';
import { LocalizedError } from '@/lib/client/errors';
import { useDescribeError, useFormat, useT } from '@/lib/client/i18n';
import { buildSignedEvent, postEvent, type VerifiedHistory } from '@/lib/client/invoice-events';
import type { OpenedInvoice } from '@/lib/client/open-invoice';
import { useKeyring } from '@/lib/client/keys-context';
import { rememberPayment } from '@/lib/client/trust';
import { difference, type Announcement, type PaymentState } from '@/lib/client/payments';
import { fromUnits, toUnits } from '@/lib/shared/decimal';
import type { Translate } from '@/lib/shared/i18n';
import { issueMessage } from '@/lib/shared/i18n/errors';
import { decimalSeparator, parseAmount } from '@/lib/shared/i18n/parse';
import { legalActions, mayCredit, type InvoiceEventType, type Party } from '@/lib/shared/lifecycle';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';
import { EVENT_PAYLOAD_SCHEMAS, type EventPayloads } from '@/lib/shared/schemas/invoice-event';
import { ErrorAlert, FormField } from './form-field';

/** Every action this panel offers; the summary card's primary action opens one of them. */
export type ActionId = 'announce' | 'correct' | 'withdraw-payment' | 'paid' | 'dispute' | 'comment' | 'withdraw-dispute' | 'cancel';

const today = () => new Date().toISOString().slice(0, 10);

/** An exact amount as this locale writes it in a field ("1487,50" in German). */
function amountInput(value: string, t: Translate): string {
  return value.replace('.', decimalSeparator(t.tag));
}

/** The amount field as typed in the reader's locale, or why it cannot be read. */
function readAmount(data: FormData, t: Translate): string {
  const amount = parseAmount(String(data.get('amount') ?? ''), t.tag);
  if (amount === null || amount.startsWith('-')) throw new LocalizedError('action.amount_invalid', { example: amountInput('1250.00', t) });
  return amount;
}

/** A required text, trimmed; empty is refused before the schema would say so in English. */
function readText(data: FormData, name: string): string {
  const text = String(data.get(name) ?? '').trim();
  if (!text) throw new LocalizedError('action.required');
  return text;
}

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
  const t = useT();
  const format = useFormat();
  const money = (units: bigint) => format.money(fromUnits(units), header.currency);
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
      <h2 id="actions-heading">{t('action.heading')}</h2>
      {form('announce', (
        <PaymentForm id="announce" requested={requested} title={t('action.announce.title')} submitLabel={t('action.announce.submit')} currency={header.currency}
          amountLabel={t('action.announce.amount', { currency: header.currency })} initial={{ amount: fromUnits(payments.due), date: today(), reference: header.payment.reference }} due={payments.due}
          onSubmit={(payment) => submit(announceType(payments.announced + toUnits(payment.amount)), payment, t('action.announce.done', { amount: format.money(payment.amount, header.currency), supplier: supplierName }))} />
      ))}
      {form('correct', <CorrectForm requested={requested} header={header} payments={payments} onSubmit={(payment, replaced) => submit(announceType(payments.announced - toUnits(replaced.amount) + toUnits(payment.amount)), { ...payment, replaces: replaced.eventId }, t('action.correct.done', { amount: format.money(payment.amount, header.currency) }))} />)}
      {form('withdraw-payment', (
        <ActionForm id="withdraw-payment" requested={requested} title={t('action.withdraw_payment.title')} submitLabel={t('action.withdraw_payment.submit')} danger onSubmit={(data) => {
          const reason = String(data.get('reason') ?? '').trim();
          return submit('payment_withdrawn', reason ? { reason } : null, t('action.withdraw_payment.done'));
        }}>
          <p className="muted">{payments.open.length === 1 ? t('action.withdraw_payment.explain_one') : t('action.withdraw_payment.explain', { count: payments.open.length })}</p>
          <TextArea label={t('action.reason_optional')} name="reason" />
        </ActionForm>
      ))}
      {form('paid', <ConfirmPaidForm requested={requested} header={header} payments={payments} money={money} onSubmit={(paid, notice) => submit('paid', paid, notice)} />)}
      {form('dispute', (
        <ActionForm id="dispute" requested={requested} title={t('action.dispute.title')} submitLabel={t('action.dispute.submit')} onSubmit={(data) => submit('disputed', EVENT_PAYLOAD_SCHEMAS.disputed.parse({ reason: readText(data, 'reason') }), t('action.dispute.done'))}>
          <TextArea label={t('action.dispute.reason')} name="reason" required />
        </ActionForm>
      ))}
      {form('comment', (
        <ActionForm id="comment" requested={requested} title={t('action.comment.title')} submitLabel={t('action.comment.submit')} onSubmit={(data) => submit('dispute_comment', EVENT_PAYLOAD_SCHEMAS.dispute_comment.parse({ comment: readText(data, 'comment') }), t('action.comment.done'))}>
          <TextArea label={t('action.comment.label')} name="comment" required />
        </ActionForm>
      ))}
      {form('withdraw-dispute', <ActionForm id="withdraw-dispute" requested={requested} title={t('action.withdraw_dispute.title')} submitLabel={t('action.withdraw_dispute.submit')} onSubmit={() => submit('dispute_withdrawn', null, t('action.withdraw_dispute.done'))} />)}
      {form('cancel', (
        <ActionForm id="cancel" requested={requested} title={t('action.cancel.title')} submitLabel={t('action.cancel.submit')} danger onSubmit={(data) => {
          const reason = String(data.get('reason') ?? '').trim();
          return submit('cancelled', reason ? { reason } : null, t('action.cancel.done'));
        }}>
          <TextArea label={t('action.reason_optional')} name="reason" />
        </ActionForm>
      ))}
      {canCredit && <p><Link className="button secondary" href={`/invoices/new?creditFor=${invoice.id}`}>{t('action.credit')}</Link></p>}
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
  const t = useT();
  const format = useFormat();
  const money = (value: string) => format.money(value, currency);
  const [overpay, setOverpay] = useState<{ amount: string; more: string } | null>(null);
  return (
    <ActionForm id={id} requested={requested} title={title} submitLabel={overpay ? t('action.overpay.confirm', { amount: money(overpay.amount), more: money(overpay.more) }) : submitLabel}
      onSubmit={async (data) => {
        const payment = EVENT_PAYLOAD_SCHEMAS.payment_announced.parse({ amount: readAmount(data, t), currency, date: data.get('date'), reference: data.get('reference') });
        const amount = toUnits(payment.amount);
        if (amount > due && overpay?.amount !== payment.amount) {
          setOverpay({ amount: payment.amount, more: fromUnits(amount - due) });
          return;
        }
        await onSubmit(payment);
      }}>
      {children}
      <FormField label={amountLabel} name="amount" inputMode="decimal" defaultValue={amountInput(initial.amount, t)} required onChange={() => setOverpay(null)} />
      {overpay && <div className="alert warn" role="alert" data-testid="overpayment-warning">{t('action.overpay.warning', { amount: money(overpay.amount), more: money(overpay.more), due: money(fromUnits(due)) })}</div>}
      <FormField label={t('action.announce.date')} name="date" type="date" defaultValue={initial.date} required />
      <FormField label={t('action.announce.reference')} name="reference" defaultValue={initial.reference} />
    </ActionForm>
  );
}

function CorrectForm({ requested, header, payments, onSubmit }: { requested: Props['requested']; header: InvoiceHeader; payments: PaymentState; onSubmit: (payment: PaymentInput, replaced: Announcement) => Promise<void> }) {
  const t = useT();
  const format = useFormat();
  const [chosen, setChosen] = useState(payments.open.at(-1)!.eventId);
  const replaced = payments.open.find((a) => a.eventId === chosen) ?? payments.open.at(-1)!;
  // What is payable if the chosen announcement did not count.
  const dueWithout = payments.payable - (payments.announced - toUnits(replaced.amount));
  return (
    <PaymentForm key={replaced.eventId} id="correct" requested={requested} title={t('action.correct.title')} submitLabel={t('action.correct.submit')} currency={header.currency}
      amountLabel={t('action.correct.amount', { currency: header.currency })} initial={replaced} due={dueWithout > 0n ? dueWithout : 0n} onSubmit={(payment) => onSubmit(payment, replaced)}>
      {payments.open.length > 1 && (
        <label>
          {t('action.correct.which')}
          <select name="replaces" value={replaced.eventId} onChange={(e) => setChosen(e.target.value)}>
            {payments.open.map((a) => {
              const params = { amount: format.money(a.amount, a.currency), date: format.date(a.date), reference: a.reference };
              return <option key={a.eventId} value={a.eventId}>{a.reference ? t('action.correct.option_reference', params) : t('action.correct.option', params)}</option>;
            })}
          </select>
        </label>
      )}
    </PaymentForm>
  );
}

/** The supplier confirms what arrived: prefilled with the amount payable, and a different amount is named before it is sent. */
function ConfirmPaidForm({ requested, header, payments, money, onSubmit }: { requested: Props['requested']; header: InvoiceHeader; payments: PaymentState; money: (units: bigint) => string; onSubmit: (paid: EventPayloads['paid'], notice: string) => Promise<void> }) {
  const t = useT();
  const format = useFormat();
  const [amount, setAmount] = useState(() => amountInput(fromUnits(payments.payable), t));
  const read = parseAmount(amount, t.tag);
  const diff = read !== null && !read.startsWith('-') ? difference(toUnits(read), payments.payable) : null;
  const amountText = (value: string) => format.money(value, header.currency);
  const differs = (a: string) => {
    const d = difference(toUnits(a), payments.payable);
    return d.kind === 'same' ? '' : ` ${t(`action.paid.done_${d.kind}`, { by: amountText(d.by), payable: money(payments.payable) })}`;
  };
  return (
    <ActionForm id="paid" requested={requested} title={t('action.paid.title')} submitLabel={t('action.paid.submit')} onSubmit={async (data) => {
      const paid = EVENT_PAYLOAD_SCHEMAS.paid.parse({ amount: readAmount(data, t), currency: header.currency, date: data.get('date') });
      await onSubmit(paid, `${t('action.paid.done', { amount: amountText(paid.amount) })}${differs(paid.amount)}`);
    }}>
      {payments.announced > 0n && <p className="muted" data-testid="announced-amount">{t('action.paid.announced', { amount: money(payments.announced) })}</p>}
      <FormField label={t('action.paid.amount', { currency: header.currency })} name="amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required />
      {diff && read !== null && diff.kind !== 'same' && (
        <p className="alert warn" role="status" data-testid="paid-difference-notice">{t(`action.paid.differs_${diff.kind}`, { amount: amountText(read), by: amountText(diff.by), payable: money(payments.payable) })}</p>
      )}
      <FormField label={t('action.paid.date')} name="date" type="date" defaultValue={today()} required />
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
  const t = useT();
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
      setError(issues ? issues.map((i) => issueMessage(t, i.message)).join(' ') : describeError(err));
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
