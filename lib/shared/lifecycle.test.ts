import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, FINAL_STATUSES, isLegalFrom, legalActions, mayAct, mayCredit, replayStatuses, TRANSITIONS, type InvoiceEventType } from './lifecycle';
import { INVOICE_STATUSES } from './schemas/invoice';

describe('invoice lifecycle table', () => {
  it('lets only the customer announce payment, dispute and withdraw; only the supplier confirm, cancel and credit', () => {
    for (const type of ['viewed', 'payment_announced', 'partially_paid', 'payment_withdrawn', 'disputed', 'dispute_withdrawn'] as const) {
      expect([mayAct(type, 'customer'), mayAct(type, 'supplier')]).toEqual([true, false]);
    }
    for (const type of ['paid', 'cancelled', 'credited'] as const) {
      expect([mayAct(type, 'customer'), mayAct(type, 'supplier')]).toEqual([false, true]);
    }
    expect([mayAct('dispute_comment', 'customer'), mayAct('dispute_comment', 'supplier')]).toEqual([true, true]);
  });

  it('allows nothing from a final status', () => {
    for (const status of FINAL_STATUSES) {
      for (const type of EVENT_TYPES) expect(isLegalFrom(type, status), `${type} from ${status}`).toBe(false);
    }
  });

  it('offers the expected actions', () => {
    expect(legalActions('issued', 'customer')).toEqual(['viewed', 'payment_announced', 'partially_paid', 'disputed']);
    expect(legalActions('viewed', 'supplier')).toEqual(['paid', 'cancelled']);
    expect(legalActions('disputed', 'customer')).toEqual(['payment_announced', 'partially_paid', 'dispute_withdrawn', 'dispute_comment']);
    expect(legalActions('disputed', 'supplier')).toEqual(['dispute_comment', 'cancelled']);
    expect(legalActions('payment_announced', 'supplier')).toEqual(['paid']);
    // Until the supplier confirms, the customer may correct (announce again) or withdraw.
    expect(legalActions('payment_announced', 'customer')).toEqual(['payment_announced', 'partially_paid', 'payment_withdrawn', 'disputed']);
    expect(legalActions('partially_paid', 'customer')).toEqual(['payment_announced', 'partially_paid', 'payment_withdrawn', 'disputed']);
    expect(legalActions('viewed', 'customer')).not.toContain('payment_withdrawn');
    expect(legalActions('paid', 'customer')).toEqual([]);
    // A credit note is its own flow, not an action on the events API.
    for (const status of INVOICE_STATUSES) expect(legalActions(status, 'supplier')).not.toContain('credited');
    expect(INVOICE_STATUSES.filter(mayCredit)).toEqual(['issued', 'viewed', 'payment_announced', 'partially_paid', 'disputed']);
  });

  it('replays a history: a withdrawn dispute returns to the status before it', () => {
    expect(replayStatuses(['viewed', 'partially_paid', 'disputed', 'dispute_comment', 'dispute_withdrawn', 'payment_announced', 'paid'])).toEqual([
      'viewed', 'partially_paid', 'disputed', 'disputed', 'partially_paid', 'payment_announced', 'paid',
    ]);
    expect(replayStatuses(['disputed', 'dispute_withdrawn'])).toEqual(['disputed', 'issued']);
  });

  it('replays a corrected and a withdrawn announcement', () => {
    expect(replayStatuses(['viewed', 'payment_announced', 'partially_paid', 'payment_withdrawn', 'payment_announced', 'paid'])).toEqual([
      'viewed', 'payment_announced', 'partially_paid', 'viewed', 'payment_announced', 'paid',
    ]);
    expect(replayStatuses(['viewed', 'payment_withdrawn'])).toEqual(['viewed', null]);
    expect(replayStatuses(['viewed', 'payment_announced', 'paid', 'payment_withdrawn'])).toEqual(['viewed', 'payment_announced', 'paid', null]);
  });

  it('marks the first illegal event and everything after it', () => {
    expect(replayStatuses(['viewed', 'viewed', 'paid'])).toEqual(['viewed', null, null]);
    expect(replayStatuses(['paid', 'disputed'])).toEqual(['paid', null]);
  });

  it('never leaves a final status in any random history', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<InvoiceEventType>(...EVENT_TYPES), { maxLength: 12 }), (types) => {
        const statuses = replayStatuses(types);
        const firstFinal = statuses.findIndex((s) => s !== null && FINAL_STATUSES.includes(s));
        if (firstFinal >= 0) expect(statuses.slice(firstFinal + 1).every((s) => s === null)).toBe(true);
        statuses.forEach((s, i) => {
          if (s !== null && TRANSITIONS[types[i]!].to !== null && TRANSITIONS[types[i]!].to !== 'previous') expect(s).toBe(TRANSITIONS[types[i]!].to);
        });
      }),
    );
  });
});
