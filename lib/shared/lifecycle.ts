import type { InvoiceStatus } from './schemas/invoice';

/**
 * The invoice lifecycle (DESIGN §8) in one table, used by the server to enforce transitions and by
 * the browser to offer only legal actions and to re-check a history it was served.
 *
 * | event             | by       | allowed from                                          | status after        |
 * |-------------------|----------|-------------------------------------------------------|---------------------|
 * | viewed            | customer | issued                                                | viewed              |
 * | payment_announced | customer | issued, viewed, partially_paid, payment_announced, disputed | payment_announced |
 * | partially_paid    | customer | issued, viewed, partially_paid, payment_announced, disputed | partially_paid    |
 * | payment_withdrawn | customer | payment_announced, partially_paid                     | viewed              |
 * | paid              | supplier | issued, viewed, payment_announced, partially_paid     | paid                |
 * | disputed          | customer | issued, viewed, payment_announced, partially_paid     | disputed            |
 * | dispute_withdrawn | customer | disputed                                              | status before it    |
 * | dispute_comment   | either   | disputed                                              | (unchanged)         |
 * | cancelled         | supplier | issued, viewed, disputed                              | cancelled           |
 * | credited          | supplier | any but paid, cancelled, credited (credit note only)  | credited            |
 *
 * The server never sees amounts, so the customer's browser chooses payment_announced (the
 * announced payments cover what is payable) or partially_paid; readers re-check that choice.
 * Until the supplier confirms, the customer may correct an announcement — a new announcement whose
 * encrypted payload names the one it replaces, hence legal from payment_announced too — or withdraw
 * every open announcement (payment_withdrawn), which returns the invoice to viewed
 * (lib/client/payments.ts replays which announcements stand).
 */
export const EVENT_TYPES = ['viewed', 'payment_announced', 'partially_paid', 'payment_withdrawn', 'paid', 'disputed', 'dispute_withdrawn', 'dispute_comment', 'cancelled', 'credited'] as const;
export type InvoiceEventType = (typeof EVENT_TYPES)[number];

export type Party = 'supplier' | 'customer';

export interface Transition {
  by: Party | 'either';
  from: readonly InvoiceStatus[];
  /** The status afterwards; 'previous' is the status before the dispute, null leaves it unchanged. */
  to: InvoiceStatus | 'previous' | null;
  /** Whether the event carries an encrypted payload. */
  payload: 'required' | 'optional';
  /** Only as part of committing a credit note, never through the events API on its own. */
  viaCreditNote?: true;
}

const OPEN_FOR_PAYMENT = ['issued', 'viewed', 'partially_paid', 'disputed'] as const;
/** Announcing from payment_announced is how a customer corrects a complete announcement. */
const OPEN_FOR_ANNOUNCEMENT = [...OPEN_FOR_PAYMENT, 'payment_announced'] as const;
/** Statuses in which the customer has announcements the supplier has not yet confirmed. */
export const ANNOUNCED_STATUSES: readonly InvoiceStatus[] = ['payment_announced', 'partially_paid'];
export const FINAL_STATUSES: readonly InvoiceStatus[] = ['paid', 'cancelled', 'credited'];

export const TRANSITIONS: Record<InvoiceEventType, Transition> = {
  viewed: { by: 'customer', from: ['issued'], to: 'viewed', payload: 'optional' },
  payment_announced: { by: 'customer', from: OPEN_FOR_ANNOUNCEMENT, to: 'payment_announced', payload: 'required' },
  partially_paid: { by: 'customer', from: OPEN_FOR_ANNOUNCEMENT, to: 'partially_paid', payload: 'required' },
  payment_withdrawn: { by: 'customer', from: ANNOUNCED_STATUSES, to: 'viewed', payload: 'optional' },
  paid: { by: 'supplier', from: ['issued', 'viewed', 'payment_announced', 'partially_paid'], to: 'paid', payload: 'required' },
  disputed: { by: 'customer', from: ['issued', 'viewed', 'payment_announced', 'partially_paid'], to: 'disputed', payload: 'required' },
  dispute_withdrawn: { by: 'customer', from: ['disputed'], to: 'previous', payload: 'optional' },
  dispute_comment: { by: 'either', from: ['disputed'], to: null, payload: 'required' },
  cancelled: { by: 'supplier', from: ['issued', 'viewed', 'disputed'], to: 'cancelled', payload: 'optional' },
  credited: { by: 'supplier', from: ['issued', 'viewed', 'payment_announced', 'partially_paid', 'disputed'], to: 'credited', payload: 'required', viaCreditNote: true },
};

export function mayAct(type: InvoiceEventType, party: Party): boolean {
  const { by } = TRANSITIONS[type];
  return by === 'either' || by === party;
}

export function isLegalFrom(type: InvoiceEventType, status: InvoiceStatus): boolean {
  return TRANSITIONS[type].from.includes(status);
}

/** What a party may do now: the actions a UI offers. Credit notes have their own flow. */
export function legalActions(status: InvoiceStatus, party: Party): InvoiceEventType[] {
  return EVENT_TYPES.filter((type) => !TRANSITIONS[type].viaCreditNote && mayAct(type, party) && isLegalFrom(type, status));
}

/** Whether the supplier may issue a credit note for an invoice in this status. */
export function mayCredit(status: InvoiceStatus): boolean {
  return isLegalFrom('credited', status);
}

/**
 * The status after each event of a history, from `issued`; null where an event was not legal
 * from the status before it. `previous` for a withdrawn dispute is the status before the dispute.
 */
export function replayStatuses(types: readonly InvoiceEventType[]): (InvoiceStatus | null)[] {
  const statuses: (InvoiceStatus | null)[] = [];
  let status: InvoiceStatus = 'issued';
  let beforeDispute: InvoiceStatus = 'issued';
  let broken = false;
  for (const type of types) {
    const next: InvoiceStatus | null = broken ? null : nextStatus(type, status, beforeDispute);
    if (next === null) {
      broken = true;
      statuses.push(null);
      continue;
    }
    if (type === 'disputed') beforeDispute = status;
    status = next;
    statuses.push(status);
  }
  return statuses;
}

/** The status after `type` from `status`, or null when illegal. */
export function nextStatus(type: InvoiceEventType, status: InvoiceStatus, beforeDispute: InvoiceStatus): InvoiceStatus | null {
  if (!isLegalFrom(type, status)) return null;
  const { to } = TRANSITIONS[type];
  if (to === null) return status;
  if (to === 'previous') return beforeDispute;
  return to;
}
