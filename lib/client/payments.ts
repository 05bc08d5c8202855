import { fromUnits, toUnits } from '@/lib/shared/decimal';
import type { MessageRef } from '@/lib/shared/i18n';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';
import type { VerifiedEvent } from './invoice-events';

/** One payment the customer announced and has neither corrected nor withdrawn. */
export interface Announcement {
  eventId: string;
  amount: string;
  currency: string;
  date: string;
  reference: string;
  createdAt: string;
}

/** What became of an announcement that no longer stands. */
export type AnnouncementFate = { kind: 'replaced'; by: string } | { kind: 'withdrawn'; by: string };

export interface PaymentState {
  /** The announcements standing now, oldest first. */
  open: Announcement[];
  /** Sum of the standing announcements, in units (lib/shared/decimal.ts). */
  announced: bigint;
  payable: bigint;
  /** What is still payable after the standing announcements; never negative. */
  due: bigint;
  /** Announcements that were corrected or withdrawn, by event id. */
  fate: Map<string, AnnouncementFate>;
  /** The supplier's confirmation, once made. */
  confirmed: { amount: string; date: string } | null;
  warnings: MessageRef[];
}

const isAnnouncement = (e: VerifiedEvent) => e.type === 'payment_announced' || e.type === 'partially_paid';

/**
 * Replays the verified payment events of a history (DESIGN §8): announcements add up, a correction
 * (an announcement whose payload names the one it replaces) takes that one's place, a withdrawal
 * takes back every standing announcement, and the supplier's confirmation ends it. The server
 * cannot see amounts, so it also re-checks the customer's browser's choice between
 * payment_announced (covers the amount payable) and partially_paid. Events that failed a check
 * are skipped; the history shows them as invalid.
 */
export function replayPayments(events: readonly VerifiedEvent[], header: InvoiceHeader): PaymentState {
  const payable = toUnits(header.amounts.payable);
  const open: Announcement[] = [];
  const fate = new Map<string, AnnouncementFate>();
  const warnings: MessageRef[] = [];
  let confirmed: PaymentState['confirmed'] = null;
  const sum = () => open.reduce((total, a) => total + toUnits(a.amount), 0n);

  for (const e of events) {
    if (e.problems.length > 0) continue;
    const p = e.payload;
    const eventId = e.dto.record.eventId;
    if (e.type === 'payment_withdrawn') {
      for (const a of open) fate.set(a.eventId, { kind: 'withdrawn', by: eventId });
      open.length = 0;
    } else if (!p) {
      continue;
    } else if (isAnnouncement(e)) {
      const announcement: Announcement = { eventId, amount: p.amount!, currency: p.currency!, date: p.date!, reference: p.reference ?? '', createdAt: e.createdAt };
      if (p.currency !== header.currency) warnings.push({ key: 'history.warn.other_currency', params: { paid: p.currency!, invoice: header.currency } });
      const replaced = p.replaces ? open.findIndex((a) => a.eventId === p.replaces) : -1;
      if (p.replaces && replaced < 0) warnings.push({ key: 'history.warn.corrects_nothing' });
      if (replaced >= 0) {
        fate.set(open[replaced]!.eventId, { kind: 'replaced', by: eventId });
        open.splice(replaced, 1, announcement);
      } else {
        open.push(announcement);
      }
      const total = sum();
      if (e.type === 'payment_announced' && total < payable) warnings.push({ key: 'history.warn.complete_but_less' });
      if (e.type === 'partially_paid' && total >= payable) warnings.push({ key: 'history.warn.partial_but_covers' });
    } else if (e.type === 'paid') {
      confirmed = { amount: p.amount!, date: p.date! };
    }
  }
  const announced = sum();
  return { open, announced, payable, due: payable > announced ? payable - announced : 0n, fate, confirmed, warnings };
}

/** How an amount compares with a reference amount, for notices that name the difference. */
export function difference(amount: bigint, reference: bigint): { kind: 'more' | 'less' | 'same'; by: string } {
  if (amount === reference) return { kind: 'same', by: '0' };
  return { kind: amount > reference ? 'more' : 'less', by: fromUnits(amount > reference ? amount - reference : reference - amount) };
}

