'use client';

import Link from 'next/link';
import type { Ref } from 'react';
import { useFormat, useT } from '@/lib/client/i18n';
import { EVENT_PROBLEM_TEXT, type VerifiedEvent, type VerifiedHistory } from '@/lib/client/invoice-events';
import type { OpenedInvoice } from '@/lib/client/open-invoice';
import { difference, type AnnouncementFate, type PaymentState } from '@/lib/client/payments';
import { formatMoney, toUnits } from '@/lib/shared/decimal';
import type { InvoiceEventType } from '@/lib/shared/lifecycle';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';

const TEXT = {
  heading: 'History',
  currentStatus: 'Current status:',
  blockedLead: 'Do not pay or act on this invoice for now.',
  blockedExplain: 'No actions are offered and no payment details are shown until this is resolved; contact the other party using a number you already know.',
  issued: 'Issued',
  signedInvoice: '✓ Signed invoice (see the verification above)',
  by: (actor: string, org: string) => `by ${actor} (${org})`,
  correction: 'Payment announcement corrected',
  fate: (fate: AnnouncementFate) => (fate.kind === 'replaced' ? 'Corrected later — no longer counts' : 'Withdrawn — no longer counts'),
  confirmedDiffers: (kind: 'more' | 'less', by: string, payable: string) => `${by} ${kind} than the ${payable} payable`,
  valid: (actor: string, org: string) => `✓ Signature valid; ${actor} is a certified member of ${org}.`,
  invalid: '✗ Not valid — do not rely on this event.',
  credits: 'This credit note credits',
  creditsOriginal: '(see the original)',
  notFound: '(not found on the server)',
  labels: { amount: 'Amount', date: 'Date', reference: 'Reference', reason: 'Reason', comment: 'Comment', creditNote: 'Credit note' },
};

const EVENT_LABEL: Record<InvoiceEventType, string> = {
  viewed: 'Opened by the customer',
  payment_announced: 'Payment announced',
  partially_paid: 'Partial payment announced',
  payment_withdrawn: 'Payment announcement withdrawn',
  paid: 'Payment received',
  disputed: 'Disputed',
  dispute_withdrawn: 'Dispute withdrawn',
  dispute_comment: 'Comment on the dispute',
  cancelled: 'Cancelled',
  credited: 'Credited by a credit note',
};

export interface HistoryProps {
  opened: OpenedInvoice & { header: InvoiceHeader };
  history: VerifiedHistory;
  payments: PaymentState;
  /** What the user's last action did, announced and focused after it. */
  notice: string | null;
  noticeRef: Ref<HTMLParagraphElement>;
  /** The counterparty's key rotations this browser followed through signed succession records (DESIGN §3.3). */
  rotations?: KeyRotation[];
}

export interface KeyRotation {
  org: string;
  epoch: number;
  /** When this browser followed it (the succession record carries no time of its own). */
  at: string;
}

/**
 * The signed history of an invoice (DESIGN §8). Every event was checked in this browser; one that
 * failed a check is marked invalid and its details withheld. Corrected and withdrawn payment
 * announcements stay in the history, marked as no longer counting.
 */
export function InvoiceHistory({ opened, history, payments, notice, noticeRef, rotations = [] }: HistoryProps) {
  const { invoice, header } = opened;
  const format = useFormat();
  const t = useT();
  // Rotations stand among the events in time order; an event keeps its place when times are equal.
  const entries = [
    ...history.events.map((event) => ({ at: Date.parse(event.createdAt), event, rotation: null })),
    ...rotations.map((rotation) => ({ at: Date.parse(rotation.at), event: null, rotation })),
  ].sort((a, b) => a.at - b.at);
  return (
    <section className="panel stack" aria-labelledby="history-heading" id="history">
      <h2 id="history-heading">{TEXT.heading}</h2>
      {notice && <p ref={noticeRef} tabIndex={-1} className="alert ok" role="status" data-testid="action-notice">{notice}</p>}
      <p>{TEXT.currentStatus} <strong data-testid="lifecycle-status">{format.status(history.status)}</strong></p>
      {history.blocked && (
        <div className="alert error" role="alert" data-testid="history-warning" data-blocking="true">
          <strong>{TEXT.blockedLead}</strong> {history.blocked} {TEXT.blockedExplain}
        </div>
      )}
      {history.warnings.map((w) => <div key={w} className="alert warn" role="alert" data-testid="history-warning">{w}</div>)}
      {history.creditsInvoiceId && (
        <p>{TEXT.credits} <Link href={`/invoices/${history.creditsInvoiceId}`}>invoice {header.creditFor?.invoiceId === history.creditsInvoiceId ? header.creditFor.number : TEXT.creditsOriginal}</Link>.</p>
      )}
      <ol className="stack" aria-label="Invoice history" data-testid="history">
        <li data-testid="history-event" data-type="issued" data-valid="true">
          <strong>{TEXT.issued}</strong> · {new Date(invoice.manifest.createdAt).toLocaleString()} · {TEXT.by(opened.signer?.displayName ?? '', opened.supplier?.name ?? '')}
          <div className="muted">{TEXT.signedInvoice}</div>
        </li>
        {entries.map(({ event, rotation }) =>
          event ? (
            <HistoryEvent key={event.dto.record.eventId} event={event} header={header} creditedBy={history.creditedBy} fate={payments.fate.get(event.dto.record.eventId)} />
          ) : (
            <li key={`rotation-${rotation.epoch}`} data-testid="history-rotation" data-type="keys_rotated">
              <strong>{t('history.keys_rotated', { org: rotation.org, epoch: rotation.epoch })}</strong> · <time dateTime={rotation.at}>{format.dateTime(rotation.at)}</time>
              <div className="muted">{t('history.keys_rotated_hint')}</div>
            </li>
          ),
        )}
      </ol>
    </section>
  );
}

function HistoryEvent({ event, header, creditedBy, fate }: { event: VerifiedEvent; header: InvoiceHeader; creditedBy: string[]; fate: AnnouncementFate | undefined }) {
  const valid = event.problems.length === 0;
  const p = event.payload;
  const currency = p?.currency ?? header.currency;
  const label = p?.replaces ? TEXT.correction : EVENT_LABEL[event.type];
  const confirmed = event.type === 'paid' && p?.amount ? difference(toUnits(p.amount), toUnits(header.amounts.payable)) : null;
  return (
    <li data-testid="history-event" data-type={event.type} data-valid={valid ? 'true' : 'false'} data-fate={fate?.kind}>
      <strong>{label}</strong> · <time dateTime={event.createdAt}>{new Date(event.createdAt).toLocaleString()}</time> · {TEXT.by(event.actorName, event.orgName)}
      {fate && <> · <span className="badge warn" data-testid="announcement-fate">{TEXT.fate(fate)}</span></>}
      {p && (
        <dl className="event-details">
          {p.amount && (
            <>
              <dt>{TEXT.labels.amount}</dt>
              <dd style={fate ? { textDecoration: 'line-through' } : undefined}>
                {formatMoney(p.amount, currency)}
                {confirmed && confirmed.kind !== 'same' && <span className="muted" data-testid="paid-difference"> ({TEXT.confirmedDiffers(confirmed.kind, formatMoney(confirmed.by, currency), formatMoney(header.amounts.payable, currency))})</span>}
              </dd>
            </>
          )}
          {p.date && <><dt>{TEXT.labels.date}</dt><dd>{p.date}</dd></>}
          {p.reference && <><dt>{TEXT.labels.reference}</dt><dd>{p.reference}</dd></>}
          {p.reason && <><dt>{TEXT.labels.reason}</dt><dd style={{ whiteSpace: 'pre-wrap' }}>{p.reason}</dd></>}
          {p.comment && <><dt>{TEXT.labels.comment}</dt><dd style={{ whiteSpace: 'pre-wrap' }}>{p.comment}</dd></>}
          {p.creditNoteId && (
            <><dt>{TEXT.labels.creditNote}</dt><dd>{creditedBy.includes(p.creditNoteId) ? <Link href={`/invoices/${p.creditNoteId}`}>{p.creditNoteNumber}</Link> : `${p.creditNoteNumber} ${TEXT.notFound}`}</dd></>
          )}
        </dl>
      )}
      {valid ? (
        <div className="alert ok" data-testid="event-check">{TEXT.valid(event.actorName, event.orgName)}</div>
      ) : (
        <div className="alert error" role="alert" data-testid="event-check">
          <strong>{TEXT.invalid}</strong>
          <ul>{event.problems.map((problem) => <li key={problem}>{EVENT_PROBLEM_TEXT[problem]}</li>)}</ul>
        </div>
      )}
    </li>
  );
}
