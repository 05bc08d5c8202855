import { describe, expect, it } from 'vitest';
import { englishT, type MessageRef } from '@/lib/shared/i18n';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';
import type { VerifiedEvent } from './invoice-events';
import { difference, replayPayments } from './payments';

const header = { currency: 'EUR', amounts: { net: '1250.00', tax: '237.50', gross: '1487.50', payable: '1487.50' } } as InvoiceHeader;

const english = (warnings: MessageRef[]) => warnings.map((w) => englishT(w.key, w.params));

let counter = 0;
function event(type: VerifiedEvent['type'], payload: Record<string, string> | null, problems: VerifiedEvent['problems'] = []): VerifiedEvent {
  const eventId = `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;
  return { dto: { record: { eventId } } as VerifiedEvent['dto'], type, createdAt: '2026-11-30T10:00:00.000Z', actorName: 'A', orgName: 'O', party: 'customer', payload, problems };
}
const pay = (type: 'payment_announced' | 'partially_paid', amount: string, extra: Record<string, string> = {}) => event(type, { amount, currency: 'EUR', date: '2026-11-30', reference: 'R', ...extra });
const id = (e: VerifiedEvent) => e.dto.record.eventId;

describe('payment replay', () => {
  it('adds partial payments up to what is due', () => {
    const state = replayPayments([event('viewed', {}), pay('partially_paid', '1000.00'), pay('payment_announced', '487.50')], header);
    expect(state.announced).toBe(14_875_000n);
    expect(state.due).toBe(0n);
    expect(state.warnings).toEqual([]);
  });

  it('lets a correction take the place of the announcement it names', () => {
    const first = pay('partially_paid', '1000.00');
    const correction = pay('payment_announced', '1487.50', { replaces: id(first) });
    const state = replayPayments([first, correction], header);
    expect(state.open.map((a) => a.eventId)).toEqual([id(correction)]);
    expect(state.fate.get(id(first))).toEqual({ kind: 'replaced', by: id(correction) });
    expect(state.due).toBe(0n);
    expect(state.warnings).toEqual([]);
  });

  it('takes back every standing announcement on a withdrawal', () => {
    const a = pay('partially_paid', '100.00');
    const b = pay('partially_paid', '200.00');
    const withdrawal = event('payment_withdrawn', { reason: '' });
    const state = replayPayments([a, b, withdrawal], header);
    expect(state.open).toEqual([]);
    expect(state.due).toBe(14_875_000n);
    expect([state.fate.get(id(a)), state.fate.get(id(b))]).toEqual([{ kind: 'withdrawn', by: id(withdrawal) }, { kind: 'withdrawn', by: id(withdrawal) }]);
  });

  it('warns about a correction of an announcement that is not open, and counts it as a payment of its own', () => {
    const a = pay('payment_announced', '1487.50');
    const withdrawal = event('payment_withdrawn', null);
    const late = pay('partially_paid', '10.00', { replaces: id(a) });
    const state = replayPayments([a, withdrawal, late], header);
    expect(state.open.map((x) => x.eventId)).toEqual([id(late)]);
    expect(english(state.warnings)).toEqual(['A correction names an announcement that was not open any more; it is counted as a payment of its own.']);
  });

  it('re-checks the complete/partial choice and the currency, and ignores events that failed their checks', () => {
    const state = replayPayments([pay('payment_announced', '10.00'), pay('partially_paid', '2000.00'), event('partially_paid', { amount: '5.00', currency: 'USD', date: '2026-11-30', reference: '' }), pay('partially_paid', '999.00')].map((e, i) => (i === 3 ? { ...e, problems: ['signature' as const] } : e)), header);
    expect(state.announced).toBe(20_150_000n);
    expect(english(state.warnings)).toEqual([
      'A payment was announced as complete, but the announced payments add up to less than the amount payable.',
      'A payment was announced as partial, but the announced payments cover the amount payable.',
      'A payment was announced in USD, but the invoice is in EUR.',
      'A payment was announced as partial, but the announced payments cover the amount payable.',
    ]);
  });

  it('records the supplier’s confirmation and names a difference', () => {
    const state = replayPayments([pay('payment_announced', '14875.00'), event('paid', { amount: '1400.00', currency: 'EUR', date: '2026-11-30' })], header);
    expect(state.confirmed).toEqual({ amount: '1400.00', date: '2026-11-30' });
    expect(difference(14_000_000n, state.payable)).toEqual({ kind: 'less', by: '87.50' });
    expect(difference(148_750_000n, state.payable)).toEqual({ kind: 'more', by: '13387.50' });
    expect(difference(state.payable, state.payable)).toEqual({ kind: 'same', by: '0' });
  });
});
