'use client';

import Link from 'next/link';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { UnlockedAccount, UnlockedOrg } from '@/lib/client/account';
import { useDescribeError } from '@/lib/client/i18n';
import { announcedUnits, buildSignedEvent, postEvent, type VerifiedHistory } from '@/lib/client/invoice-events';
import type { OpenedInvoice } from '@/lib/client/open-invoice';
import { useKeyring } from '@/lib/client/keys-context';
import { rememberPayment } from '@/lib/client/trust';
import { fromUnits, toUnits } from '@/lib/shared/decimal';
import { legalActions, mayCredit, type InvoiceEventType, type Party } from '@/lib/shared/lifecycle';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';
import { EVENT_PAYLOAD_SCHEMAS, type EventPayloads } from '@/lib/shared/schemas/invoice-event';
import { ErrorAlert, FormField } from './form-field';

const today = () => new Date().toISOString().slice(0, 10);

interface Props {
  account: UnlockedAccount;
  org: UnlockedOrg;
  opened: OpenedInvoice & { header: InvoiceHeader; dek: Uint8Array };
  party: Party;
  history: VerifiedHistory;
  onChanged: () => Promise<void>;
}

/** The actions the transition table allows this party now, each a small form. */
export function InvoiceActions({ account, org, opened, party, history, onChanged }: Props) {
  const { invoice, header, dek } = opened;
  // A credit note is not paid by the customer; it can still be disputed, commented on or cancelled.
  const actions = legalActions(history.status, party).filter((a) => header.type === 'invoice' || !['payment_announced', 'partially_paid', 'paid'].includes(a));
  const canCredit = party === 'supplier' && header.type === 'invoice' && mayCredit(history.status);
  const payable = toUnits(header.amounts.payable);
  const announced = announcedUnits(history.events);
  const due = payable > announced ? payable - announced : 0n;
  const { updateKeyring } = useKeyring();

  async function submit<T extends InvoiceEventType>(type: T, payload: EventPayloads[T] | null): Promise<void> {
    const event = await buildSignedEvent({ account, actorOrgId: org.orgId, invoiceId: invoice.id, dek, type, payload, prevEventId: history.lastEventId });
    await postEvent(event);
    if (type === 'payment_announced' || type === 'partially_paid') await updateKeyring(rememberPayment({ orgId: invoice.supplierOrgId, name: opened.supplier?.name ?? header.seller.name }, header.payment.iban));
    await onChanged();
  }

  if (!actions.some((a) => a !== 'viewed') && !canCredit) return null;
  return (
    <section className="panel stack" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Actions</h2>
      {(actions.includes('payment_announced') || actions.includes('partially_paid')) && (
        <ActionForm title="I have paid" submitLabel="Announce payment" onSubmit={(form) => {
          const payment = EVENT_PAYLOAD_SCHEMAS.payment_announced.parse({ amount: form.get('amount'), currency: header.currency, date: form.get('date'), reference: form.get('reference') });
          // The server cannot see amounts: this browser decides whether the payment completes the invoice.
          return submit(announced + toUnits(payment.amount) >= payable ? 'payment_announced' : 'partially_paid', payment);
        }}>
          <FormField label={`Amount paid (${header.currency})`} name="amount" inputMode="decimal" defaultValue={fromUnits(due)} required />
          <FormField label="Payment date" name="date" type="date" defaultValue={today()} required />
          <FormField label="Payment reference" name="reference" defaultValue={header.payment.reference} />
        </ActionForm>
      )}
      {actions.includes('paid') && (
        <ActionForm title="Confirm payment received" submitLabel="Confirm payment" onSubmit={(form) =>
          submit('paid', EVENT_PAYLOAD_SCHEMAS.paid.parse({ amount: form.get('amount'), currency: header.currency, date: form.get('date') }))}>
          <FormField label={`Amount received (${header.currency})`} name="amount" inputMode="decimal" defaultValue={fromUnits(announced > 0n ? announced : payable)} required />
          <FormField label="Date received" name="date" type="date" defaultValue={today()} required />
        </ActionForm>
      )}
      {actions.includes('disputed') && (
        <ActionForm title="Dispute" submitLabel="Send dispute" onSubmit={(form) => submit('disputed', EVENT_PAYLOAD_SCHEMAS.disputed.parse({ reason: form.get('reason') }))}>
          <TextArea label="Reason for the dispute" name="reason" required />
        </ActionForm>
      )}
      {actions.includes('dispute_comment') && (
        <ActionForm title="Comment on the dispute" submitLabel="Send comment" onSubmit={(form) => submit('dispute_comment', EVENT_PAYLOAD_SCHEMAS.dispute_comment.parse({ comment: form.get('comment') }))}>
          <TextArea label="Comment" name="comment" required />
        </ActionForm>
      )}
      {actions.includes('dispute_withdrawn') && (
        <ActionForm title="Withdraw the dispute" submitLabel="Withdraw dispute" onSubmit={() => submit('dispute_withdrawn', null)} />
      )}
      {actions.includes('cancelled') && (
        <ActionForm title="Cancel this invoice" submitLabel="Cancel invoice" danger onSubmit={(form) => {
          const reason = String(form.get('reason') ?? '').trim();
          return submit('cancelled', reason ? { reason } : null);
        }}>
          <TextArea label="Reason (optional)" name="reason" />
        </ActionForm>
      )}
      {canCredit && <p><Link className="button secondary" href={`/invoices/new?creditFor=${invoice.id}`}>Issue credit note</Link></p>}
    </section>
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

/** One action: a disclosure with its form; errors from validation or the server are shown in it. */
function ActionForm({ title, submitLabel, onSubmit, danger, children }: { title: string; submitLabel: string; onSubmit: (form: FormData) => Promise<void>; danger?: boolean; children?: ReactNode }) {
  const describeError = useDescribeError();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function handle(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
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
    <details>
      <summary>{title}</summary>
      <form className="stack" onSubmit={handle} aria-label={title} noValidate>
        <fieldset className="stack" disabled={busy}>{children}</fieldset>
        <ErrorAlert message={error} />
        <div className="row"><button type="submit" className={danger ? 'danger' : undefined} disabled={busy}>{submitLabel}</button></div>
      </form>
    </details>
  );
}
