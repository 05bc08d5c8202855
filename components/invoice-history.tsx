'use client';

import Link from 'next/link';
import type { Ref } from 'react';
import { useFormat, useT } from '@/lib/client/i18n';
import type { VerifiedEvent, VerifiedHistory } from '@/lib/client/invoice-events';
import type { OpenedInvoice } from '@/lib/client/open-invoice';
import { difference, type AnnouncementFate, type PaymentState } from '@/lib/client/payments';
import { toUnits } from '@/lib/shared/decimal';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';

export interface HistoryProps {
  opened: OpenedInvoice & { header: InvoiceHeader };
  history: VerifiedHistory;
  payments: PaymentState;
  /** What the user's last action did, announced and focused after it. */
  notice: string | null;
  noticeRef: Ref<HTMLParagraphElement>;
  /** The counterparty's key rotations this browser followed through signed succession records (DESIGN §3.3). */
  rotations?: KeyRotation[];
  /** 3 where the history sits inside an invoice's own section (the guest view lists several invoices). */
  headingLevel?: 2 | 3;
  /** Makes the section's ids unique where one page shows several histories. */
  idPrefix?: string;
  /** Where a credit note or the invoice it credits is read: a member's invoice page unless given (a guest has none). */
  invoiceHref?: (invoiceId: string) => string;
}

const memberInvoiceHref = (invoiceId: string): string => `/invoices/${invoiceId}`;

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
export function InvoiceHistory({ opened, history, payments, notice, noticeRef, rotations = [], headingLevel = 2, idPrefix = '', invoiceHref = memberInvoiceHref }: HistoryProps) {
  const { invoice, header } = opened;
  const t = useT();
  const format = useFormat();
  const blocked = history.blocked;
  const Heading = headingLevel === 3 ? 'h3' : 'h2';
  // Status names in a blocking message are the reader's words, not the server's ids.
  const blockedParams = blocked?.key === 'history.block.status_differs' && blocked.params
    ? { ...blocked.params, served: format.status(String(blocked.params.served)), verified: format.status(String(blocked.params.verified)) }
    : blocked?.params;
  // Rotations stand among the events in time order; an event keeps its place when times are equal.
  const entries = [
    ...history.events.map((event) => ({ at: Date.parse(event.createdAt), event, rotation: null })),
    ...rotations.map((rotation) => ({ at: Date.parse(rotation.at), event: null, rotation })),
  ].sort((a, b) => a.at - b.at);
  return (
    <section className="panel stack" aria-labelledby={`${idPrefix}history-heading`} id={`${idPrefix}history`}>
      <Heading id={`${idPrefix}history-heading`}>{t('history.heading')}</Heading>
      {notice && <p ref={noticeRef} tabIndex={-1} className="alert ok" role="status" data-testid="action-notice">{notice}</p>}
      <p>{t('history.current_status')} <strong data-testid="lifecycle-status">{format.status(history.status)}</strong></p>
      {blocked && (
        <div className="alert error" role="alert" data-testid="history-warning" data-blocking="true">
          <strong>{t('history.blocked_lead')}</strong> {t(blocked.key, blockedParams)} {t('history.blocked_explain')}
        </div>
      )}
      {history.warnings.map((w, i) => <div key={`${w.key}-${i}`} className="alert warn" role="alert" data-testid="history-warning">{t(w.key, w.params)}</div>)}
      {history.creditsInvoiceId && (
        <p>{t('history.credits')} <Link href={invoiceHref(history.creditsInvoiceId)}>{header.creditFor?.invoiceId === history.creditsInvoiceId ? t('history.credits_invoice', { number: header.creditFor.number }) : t('history.credits_original')}</Link>.</p>
      )}
      <ol className="stack" aria-label={t('history.list_label')} data-testid="history">
        <li data-testid="history-event" data-type="issued" data-valid="true">
          <strong>{t('history.issued')}</strong> · <time dateTime={invoice.manifest.createdAt}>{format.dateTime(invoice.manifest.createdAt)}</time> · {t('history.by', { actor: opened.signer?.displayName ?? '', org: opened.supplier?.name ?? '' })}
          <div className="muted">{t('history.signed_invoice')}</div>
        </li>
        {entries.map(({ event, rotation }) =>
          event ? (
            <HistoryEvent key={event.dto.record.eventId} event={event} header={header} creditedBy={history.creditedBy} fate={payments.fate.get(event.dto.record.eventId)} invoiceHref={invoiceHref} />
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

function HistoryEvent({ event, header, creditedBy, fate, invoiceHref }: { event: VerifiedEvent; header: InvoiceHeader; creditedBy: string[]; fate: AnnouncementFate | undefined; invoiceHref: (invoiceId: string) => string }) {
  const t = useT();
  const format = useFormat();
  const valid = event.problems.length === 0;
  const p = event.payload;
  const currency = p?.currency ?? header.currency;
  const money = (value: string) => format.money(value, currency);
  const label = p?.replaces ? t('history.correction') : format.event(event.type);
  const confirmed = event.type === 'paid' && p?.amount ? difference(toUnits(p.amount), toUnits(header.amounts.payable)) : null;
  return (
    <li data-testid="history-event" data-type={event.type} data-valid={valid ? 'true' : 'false'} data-fate={fate?.kind}>
      <strong>{label}</strong> · <time dateTime={event.createdAt}>{format.dateTime(event.createdAt)}</time> · {t('history.by', { actor: event.actorName, org: event.orgName })}
      {fate && <> · <span className="badge warn" data-testid="announcement-fate">{t(`history.fate.${fate.kind}`)}</span></>}
      {p && (
        <dl className="event-details">
          {p.amount && (
            <>
              <dt>{t('history.label.amount')}</dt>
              <dd style={fate ? { textDecoration: 'line-through' } : undefined}>
                {money(p.amount)}
                {confirmed && confirmed.kind !== 'same' && <span className="muted" data-testid="paid-difference"> ({t(`history.confirmed_${confirmed.kind}`, { by: money(confirmed.by), payable: money(header.amounts.payable) })})</span>}
              </dd>
            </>
          )}
          {p.date && <><dt>{t('history.label.date')}</dt><dd><time dateTime={p.date}>{format.date(p.date)}</time></dd></>}
          {p.reference && <><dt>{t('history.label.reference')}</dt><dd>{p.reference}</dd></>}
          {p.reason && <><dt>{t('history.label.reason')}</dt><dd style={{ whiteSpace: 'pre-wrap' }}>{p.reason}</dd></>}
          {p.comment && <><dt>{t('history.label.comment')}</dt><dd style={{ whiteSpace: 'pre-wrap' }}>{p.comment}</dd></>}
          {p.creditNoteId && (
            <><dt>{t('history.label.credit_note')}</dt><dd>{creditedBy.includes(p.creditNoteId) ? <Link href={invoiceHref(p.creditNoteId)}>{p.creditNoteNumber}</Link> : t('history.not_found', { number: p.creditNoteNumber ?? '' })}</dd></>
          )}
        </dl>
      )}
      {valid ? (
        <div className="alert ok" data-testid="event-check">{t('history.valid', { actor: event.actorName, org: event.orgName })}</div>
      ) : (
        <div className="alert error" role="alert" data-testid="event-check">
          <strong>{t('history.invalid')}</strong>
          <ul>{event.problems.map((problem) => <li key={problem}>{t(`history.problem.${problem}`)}</li>)}</ul>
        </div>
      )}
    </li>
  );
}
