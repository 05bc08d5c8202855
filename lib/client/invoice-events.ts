import 'client-only';

import type { MembershipCertificate } from '@/lib/crypto/certificate';
import {
  computeKeyId,
  decryptEventPayload,
  EVENT_RECORD_VERSION,
  encryptEventPayload,
  payloadDigest,
  payloadMatches,
  signEventRecord,
  verifyEventRecord,
} from '@/lib/crypto/envelope';
import { fromBase64Url, toBase64Url, utf8Decode, utf8Encode } from '@/lib/crypto/encoding';
import { mayAct, replayStatuses, type InvoiceEventType, type Party } from '@/lib/shared/lifecycle';
import type { MessageRef } from '@/lib/shared/i18n';
import type { InvoiceHeader, InvoiceStatus } from '@/lib/shared/schemas/invoice';
import { EVENT_PAYLOAD_SCHEMAS, type EventPayloads, type InvoiceEventDto, type InvoiceEventsDto, type SignedEvent } from '@/lib/shared/schemas/invoice-event';
import type { UnlockedAccount, UnlockedOrg } from './account';
import type { z } from 'zod';
import { invoiceEventsResponseSchema } from '@/lib/shared/schemas/responses';
import { api } from './api';
import { compareWithMark, historyScope, raiseHighWater, readHighWater, type Mark } from './high-water';
import type { Keyring } from './keyring';
import { replayPayments } from './payments';
import { checkCertificate, servedOrg, trustedSigningKey } from './trust';

/** Why an event must not be trusted; each is shown beside it, never hidden (catalog: history.problem.*). */
export type EventProblem = 'signature' | 'certificate' | 'payload' | 'chain' | 'transition' | 'party';

export interface VerifiedEvent {
  dto: InvoiceEventDto;
  type: InvoiceEventType;
  createdAt: string;
  actorName: string;
  orgName: string;
  party: Party | null;
  /** The decrypted details, only when every check passed. */
  payload: Record<string, string> | null;
  problems: EventProblem[];
}

export interface VerifiedHistory {
  events: VerifiedEvent[];
  /** The status the verified history leads to; what actions are offered from. */
  status: InvoiceStatus;
  lastEventId: string | null;
  /** Whole-history notes that do not block: inconsistent payment announcements. */
  warnings: MessageRef[];
  /**
   * Why this history must not be acted on (DESIGN §8): an event failed its checks, the server's
   * status disagrees with the verified one, or the history is shorter than, or differs from, the one
   * this device saw. While set, no action is offered and no payment details are shown.
   */
  blocked: MessageRef | null;
  creditsInvoiceId: string | null;
  creditedBy: string[];
}

/** The invoice as the history panel needs it: opened and verified by open-invoice.ts. */
export interface OpenedForEvents {
  invoiceId: string;
  supplierOrgId: string;
  customerOrgId: string;
  dek: Uint8Array;
  header: InvoiceHeader;
}

export async function fetchHistory(invoiceId: string): Promise<InvoiceEventsDto> {
  return api(`/api/invoices/${invoiceId}/events`, {}, invoiceEventsResponseSchema as z.ZodType<InvoiceEventsDto>);
}

/**
 * This device's high-water mark for an invoice's history. Read it before fetching the history: a
 * newer history fetched at the same time (a poll, the answer to one's own event) may raise the
 * mark while this answer is on its way, and an honest answer would then look shortened.
 */
export function readHistoryMark(userId: string, invoiceId: string): Promise<Mark | null> {
  return readHighWater(userId, historyScope(invoiceId));
}

/**
 * Checks a verified history against `seen`, this device's high-water mark for the invoice (count
 * of events, id of the last one; DESIGN §3.4) as read before the fetch, and raises the mark when
 * the history moved ahead. A shorter history, or one that does not continue the one seen, blocks.
 */
export async function checkHistoryMark(userId: string, invoiceId: string, history: VerifiedHistory, seen: Mark | null): Promise<VerifiedHistory> {
  if (history.blocked) return history;
  const ids = history.events.map((e) => e.dto.record.eventId);
  const observed = { seq: ids.length, hash: ids.at(-1) ?? 'none' };
  const check = compareWithMark(seen, observed, (seq) => (seq === 0 ? 'none' : ids[seq - 1]));
  if (check.state === 'rollback') {
    return { ...history, blocked: { key: 'history.block.rollback', params: { count: ids.length, seen: check.mark.seq } } };
  }
  if (check.state === 'fork') return { ...history, blocked: { key: 'history.block.fork' } };
  await raiseHighWater(userId, historyScope(invoiceId), observed);
  return history;
}

/** What a page shows of a history, as one string: a poll whose answer has the same one re-renders nothing. */
export function historyFingerprint(history: VerifiedHistory): string {
  return `${history.events.length}|${history.lastEventId}|${history.status}|${history.blocked}|${history.warnings.join('|')}`;
}

/**
 * The org signing key this reader trusts to certify the members who act for `orgId`, or null when
 * it trusts none: then every event of that org fails its certificate check.
 */
export type EventCertifiers = (orgId: string) => Uint8Array | null;

/**
 * A member's check of a history: its own org's key from its unlocked keys, a counterparty's from
 * the member's keyring (its pin, or on first contact the key the server serves).
 */
export async function verifyHistory(data: InvoiceEventsDto, invoice: OpenedForEvents, org: UnlockedOrg, keyring: Keyring): Promise<VerifiedHistory> {
  return verifyEvents(data, invoice, (orgId) => trustedSigningKey(keyring, orgId, servedOrg(data.orgs, orgId), org));
}

/**
 * A guest's check of a history (DESIGN §11): the guest has no keyring, and trusts only the
 * supplier's signing key its link vouches for (the one the invoice's signature was verified with).
 * The customer side trusts no key at all: until the claim the provisional org has no member — its
 * chain is one `provisional` link — so no customer event can be genuine. One the server shows was
 * made up by the server or signed by someone holding the link's secret (the supplier itself); it
 * fails its certificate check and blocks the history like any forged event.
 */
export async function verifyGuestHistory(data: InvoiceEventsDto, invoice: OpenedForEvents, supplier: { orgId: string; signingPublicKey: Uint8Array }): Promise<VerifiedHistory> {
  return verifyEvents(data, invoice, (orgId) => (orgId === supplier.orgId && orgId === invoice.supplierOrgId ? supplier.signingPublicKey : null));
}

/**
 * Checks every event of a history (DESIGN §8): the actor's membership certificate against the key
 * the reader trusts for the acting org, the record's signature with the certified user key, the
 * payload digest and decryption, the chain of `prevEventId`s, the acting party against the
 * transition table, and each transition against the status the history had reached. A failed check
 * is reported on the event; its details are not shown.
 */
async function verifyEvents(data: InvoiceEventsDto, invoice: OpenedForEvents, certifierOf: EventCertifiers): Promise<VerifiedHistory> {
  const statuses = replayStatuses(data.events.map((e) => e.record.type));
  const events: VerifiedEvent[] = [];
  let prev: string | null = null;
  for (const [index, dto] of data.events.entries()) {
    const { record } = dto;
    const problems = new Set<EventProblem>();
    const party: Party | null = record.actorOrgId === invoice.supplierOrgId ? 'supplier' : record.actorOrgId === invoice.customerOrgId ? 'customer' : null;
    if (!party || !mayAct(record.type, party)) problems.add('party');
    if (record.invoiceId !== invoice.invoiceId || record.prevEventId !== prev) problems.add('chain');
    if (statuses[index] === null) problems.add('transition');

    const actor = data.actors[`${record.actorUserId}|${record.actorOrgId}`];
    const certificate = actor?.certificate as MembershipCertificate | undefined;
    const orgKey = certifierOf(record.actorOrgId);
    const certified = !!actor && !!orgKey && (await checkCertificate(orgKey, certificate, actor.certificateSignature, { userId: record.actorUserId, orgId: record.actorOrgId, signedAt: record.createdAt }));
    if (!certified) problems.add('certificate');
    const userKey = certificate && typeof certificate.userSigningKey === 'string' ? fromBase64Url(certificate.userSigningKey) : null;
    if (!userKey || userKey.length !== 32 || !(await verifyEventRecord(userKey, record, dto.signature))) problems.add('signature');

    let payload: Record<string, string> | null = null;
    const sealed = dto.sealedPayload === null ? null : fromBase64Url(dto.sealedPayload);
    if (!(await payloadMatches(record, sealed))) problems.add('payload');
    else if (sealed) {
      try {
        const parsed = EVENT_PAYLOAD_SCHEMAS[record.type].safeParse(JSON.parse(utf8Decode(await decryptEventPayload(invoice.dek, { invoiceId: invoice.invoiceId, eventId: record.eventId }, sealed, record.v))));
        if (parsed.success) payload = parsed.data as Record<string, string>;
        else problems.add('payload');
      } catch {
        problems.add('payload');
      }
    }
    events.push({
      dto,
      type: record.type,
      createdAt: record.createdAt,
      actorName: actor?.displayName ?? 'unknown',
      orgName: data.orgs[record.actorOrgId]?.name ?? 'unknown organization',
      party,
      payload: problems.size ? null : payload,
      problems: [...problems],
    });
    prev = record.eventId;
  }

  // The status is the one the verified events lead to, never the server's: up to the first event
  // that failed a check, and a history with such an event or a disagreeing server status blocks.
  const firstInvalid = events.findIndex((e) => e.problems.length > 0);
  const trusted = firstInvalid === -1;
  const verifiedCount = trusted ? events.length : firstInvalid;
  const status: InvoiceStatus = (verifiedCount > 0 ? statuses[verifiedCount - 1] : null) ?? 'issued';
  const warnings: MessageRef[] = [];
  let blocked: MessageRef | null = null;
  if (!trusted) blocked = { key: 'history.block.invalid_events' };
  else if (data.status !== status) blocked = { key: 'history.block.status_differs', params: { served: data.status, verified: status } };
  warnings.push(...paymentWarnings(events, invoice.header));
  return { events, status, lastEventId: prev, warnings, blocked, creditsInvoiceId: data.creditsInvoiceId, creditedBy: data.creditedBy };
}

/** The sum of the customer's standing payment announcements, in units (lib/shared/decimal.ts). */
export function announcedUnits(events: VerifiedEvent[], header: InvoiceHeader): bigint {
  return replayPayments(events, header).announced;
}

/** Inconsistent payment events (lib/client/payments.ts): the server cannot see amounts, every reader re-checks them. */
function paymentWarnings(events: VerifiedEvent[], header: InvoiceHeader): MessageRef[] {
  return replayPayments(events, header).warnings;
}

/**
 * Builds one signed event: the payload sealed under HKDF(DEK, eventId), the record naming this
 * user, the acting org and the previous event, signed with the user's key.
 */
export async function buildSignedEvent<T extends InvoiceEventType>(input: {
  account: UnlockedAccount;
  actorOrgId: string;
  invoiceId: string;
  dek: Uint8Array;
  type: T;
  payload: EventPayloads[T] | null;
  prevEventId: string | null;
}): Promise<SignedEvent> {
  const eventId = crypto.randomUUID();
  const sealed = input.payload === null ? null : await encryptEventPayload(input.dek, { invoiceId: input.invoiceId, eventId }, utf8Encode(JSON.stringify(EVENT_PAYLOAD_SCHEMAS[input.type].parse(input.payload))), EVENT_RECORD_VERSION);
  const record: SignedEvent['record'] = {
    v: EVENT_RECORD_VERSION,
    eventId,
    invoiceId: input.invoiceId,
    type: input.type,
    actorUserId: input.account.userId,
    actorOrgId: input.actorOrgId,
    signerKeyId: await computeKeyId(input.account.keys.signingPublicKey),
    createdAt: new Date().toISOString(),
    prevEventId: input.prevEventId,
    payloadSha256: sealed ? await payloadDigest(sealed) : null,
  };
  return { record, signature: await signEventRecord(input.account.keys.signingPrivateKey, record), sealedPayload: sealed ? toBase64Url(sealed) : null };
}

/** Signs and posts an event; a retry of the same signed event is answered with the stored one. */
export async function postEvent(event: SignedEvent): Promise<InvoiceEventDto> {
  return (await api<{ event: InvoiceEventDto }>(`/api/invoices/${event.record.invoiceId}/events`, { body: event })).event;
}
