import 'server-only';
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import { computeKeyId, verifyEventRecord } from '@/lib/crypto/verify';
import type { Transaction } from '@/lib/db/client';
import { invoiceEvents, invoices, memberships, organizations, users } from '@/lib/db/schema';
import type { OrgPublicKeys } from '@/lib/shared/invoice-dto';
import { isLegalFrom, mayAct, TRANSITIONS, type Party } from '@/lib/shared/lifecycle';
import type { InvoiceEventDto, InvoiceEventsDto, SignedEvent } from '@/lib/shared/schemas/invoice-event';
import type { InvoiceStatus } from '@/lib/shared/schemas/invoice';
import { recordAudit } from './audit';
import { db } from './db';
import { AppError } from './errors';
import type { RequestContext } from './http';
import { enqueueInvoiceEvent } from './notifications';
import { findOrgById, requireRole } from './orgs';
import type { CurrentSession } from './sessions';
import { signerCertificates } from './signers';

/**
 * Invoice lifecycle events (DESIGN §8). The server cannot read a payload, but it checks everything
 * the plaintext record says: the actor is the signed-in user, signing with the key it published,
 * as a member of the organization the transition table allows; the event continues the current
 * history (optimistic concurrency on `prevEventId`) and is legal from the current status. Event,
 * status and audit row commit in one transaction; a retried event is answered with the stored one.
 */

/** Signed `createdAt` may differ from the server clock by this much (clock skew, slow networks). */
const MAX_CLOCK_SKEW_MS = 10 * 60 * 1000;
/**
 * A history is short in normal use (a handful of events); these bounds keep one invoice from
 * becoming a store of unlimited ciphertext, each comment being up to 16 KiB sealed.
 */
export const MAX_EVENTS_PER_INVOICE = 200;
export const MAX_COMMENTS_PER_INVOICE = 100;

interface InvoiceParties {
  id: string;
  supplierOrgId: string;
  customerOrgId: string;
}

const b64 = (data: Uint8Array): string => Buffer.from(data).toString('base64url');
const bytes = (b64url: string): Uint8Array => new Uint8Array(Buffer.from(b64url, 'base64url'));

/** The orgs of the invoice the caller belongs to; none → "not found", so invoice ids cannot be probed. */
async function callerParties(session: CurrentSession, invoice: InvoiceParties): Promise<Party[]> {
  const mine = await db()
    .select({ orgId: memberships.orgId })
    .from(memberships)
    .where(and(eq(memberships.userId, session.userId), inArray(memberships.orgId, [invoice.supplierOrgId, invoice.customerOrgId])));
  const parties: Party[] = [];
  if (mine.some((m) => m.orgId === invoice.supplierOrgId)) parties.push('supplier');
  if (mine.some((m) => m.orgId === invoice.customerOrgId)) parties.push('customer');
  if (!parties.length) throw new AppError('not_found', 'invoice_not_found');
  return parties;
}

async function findInvoice(invoiceId: string): Promise<InvoiceParties | null> {
  const [row] = await db().select({ id: invoices.id, supplierOrgId: invoices.supplierOrgId, customerOrgId: invoices.customerOrgId }).from(invoices).where(eq(invoices.id, invoiceId));
  return row ?? null;
}

/**
 * Checks a signed event for an invoice the caller belongs to, before any write: its record names
 * this invoice and the caller, the caller's org may make this transition, the payload is present
 * when required and is the one the record commits to, and the signature is the caller's.
 * `creditNote` is true only inside a credit note's commit: `credited` is never accepted alone.
 */
export async function checkSignedEvent(session: CurrentSession, invoice: InvoiceParties, input: SignedEvent, options: { creditNote: boolean }): Promise<void> {
  const parties = await callerParties(session, invoice);
  const { record } = input;
  const transition = TRANSITIONS[record.type];
  const bad = (message: string): never => {
    throw new AppError('bad_request', 'event_rejected', { params: { detail: message } });
  };
  if (record.invoiceId !== invoice.id) bad('it names another invoice.');
  if (record.actorUserId !== session.userId) bad('it names another actor.');
  const actingParty: Party | null = record.actorOrgId === invoice.supplierOrgId ? 'supplier' : record.actorOrgId === invoice.customerOrgId ? 'customer' : null;
  if (!actingParty || !parties.includes(actingParty)) throw new AppError('forbidden', 'event_wrong_org');
  if (!mayAct(record.type, actingParty)) throw new AppError('forbidden', actingParty === 'supplier' ? 'event_customer_only' : 'event_supplier_only');
  // Marking an invoice viewed is a read receipt, which a viewer may leave; everything else acts.
  await requireRole(session, record.actorOrgId, record.type === 'viewed' ? 'invoice.read' : 'invoice.act');
  const [actingOrg] = await db().select({ suspendedAt: organizations.suspendedAt }).from(organizations).where(eq(organizations.id, record.actorOrgId));
  if (actingOrg?.suspendedAt) throw new AppError('forbidden', 'org_suspended_events');
  if (!!transition.viaCreditNote !== options.creditNote) bad(options.creditNote ? 'a credit note can only record a “credited” event.' : 'an invoice is credited by sending a credit note.');

  const sealed = input.sealedPayload === null ? null : bytes(input.sealedPayload);
  if (transition.payload === 'required' && sealed === null) bad('this event needs its details.');
  const digest = sealed === null ? null : createHash('sha256').update(sealed).digest('base64url');
  if (digest !== record.payloadSha256) bad('the details do not match the signed record.');
  if (Math.abs(Date.parse(record.createdAt) - Date.now()) > MAX_CLOCK_SKEW_MS) bad('its time is too far from the server’s clock; check your computer’s clock.');

  const [signer] = await db().select({ signingPublicKey: users.signingPublicKey }).from(users).where(eq(users.id, session.userId));
  const key = signer?.signingPublicKey;
  if (!key || record.signerKeyId !== (await computeKeyId(key)) || !(await verifyEventRecord(key, record, input.signature))) bad('the signature is not valid.');
}

function toDto(row: typeof invoiceEvents.$inferSelect): InvoiceEventDto {
  return {
    seq: row.seq,
    record: row.record as InvoiceEventDto['record'],
    signature: row.signature,
    sealedPayload: row.sealedPayload ? b64(row.sealedPayload) : null,
    statusAfter: row.statusAfter,
    recordedAt: row.recordedAt.toISOString(),
  };
}

/** A retry carries the same record (compared as JCS), signature and payload bytes. */
function sameEvent(row: typeof invoiceEvents.$inferSelect, input: SignedEvent): boolean {
  const payload = input.sealedPayload === null ? null : b64(bytes(input.sealedPayload));
  return canonicalize(row.record) === canonicalize(input.record) && row.signature === input.signature && (row.sealedPayload ? b64(row.sealedPayload) : null) === payload;
}

/**
 * Appends a checked event inside `tx`: locks the invoice row, answers a retry of a stored event
 * with that event, refuses an event that does not continue the current history or is not legal
 * from the current status (409), then inserts, moves the status and audits.
 */
export async function applyEvent(tx: Transaction, invoiceId: string, input: SignedEvent, session: CurrentSession, context: RequestContext): Promise<{ event: InvoiceEventDto; created: boolean }> {
  const { record } = input;
  const [invoice] = await tx.select({ status: invoices.status, supplierOrgId: invoices.supplierOrgId, customerOrgId: invoices.customerOrgId }).from(invoices).where(eq(invoices.id, invoiceId)).for('update');
  if (!invoice) throw new AppError('not_found', 'invoice_not_found');
  const [existing] = await tx.select().from(invoiceEvents).where(eq(invoiceEvents.id, record.eventId));
  if (existing) {
    if (existing.invoiceId === invoiceId && sameEvent(existing, input)) return { event: toDto(existing), created: false };
    throw new AppError('conflict', 'event_exists');
  }
  const [last] = await tx.select().from(invoiceEvents).where(eq(invoiceEvents.invoiceId, invoiceId)).orderBy(desc(invoiceEvents.seq)).limit(1);
  if ((last?.id ?? null) !== record.prevEventId) throw new AppError('conflict', 'invoice_changed');
  if (!isLegalFrom(record.type, invoice.status)) throw new AppError('conflict', 'event_not_possible', { params: { status: invoice.status } });
  if ((last?.seq ?? 0) >= MAX_EVENTS_PER_INVOICE) throw new AppError('limit_reached', 'event_limit', { params: { max: MAX_EVENTS_PER_INVOICE } });
  if (record.type === 'dispute_comment') {
    const [comments] = await tx.select({ n: count() }).from(invoiceEvents).where(and(eq(invoiceEvents.invoiceId, invoiceId), eq(invoiceEvents.type, 'dispute_comment')));
    if ((comments?.n ?? 0) >= MAX_COMMENTS_PER_INVOICE) throw new AppError('limit_reached', 'comment_limit', { params: { max: MAX_COMMENTS_PER_INVOICE } });
  }
  const statusAfter = await statusAfterEvent(tx, invoiceId, record.type, invoice.status);
  const [row] = await tx
    .insert(invoiceEvents)
    .values({
      id: record.eventId,
      invoiceId,
      seq: (last?.seq ?? 0) + 1,
      type: record.type,
      actorUserId: record.actorUserId,
      actorOrgId: record.actorOrgId,
      prevEventId: record.prevEventId,
      statusAfter,
      record,
      signature: input.signature,
      sealedPayload: input.sealedPayload === null ? null : bytes(input.sealedPayload),
      createdAt: new Date(record.createdAt),
    })
    .returning();
  await tx.update(invoices).set({ status: statusAfter, updatedAt: new Date() }).where(eq(invoices.id, invoiceId));
  await recordAudit({ action: `invoice.${record.type}`, outcome: 'success', actorUserId: session.userId, credentialId: session.credentialId, objectType: 'invoice', objectId: invoiceId }, context, tx);
  await enqueueInvoiceEvent(tx, { invoiceId, type: record.type, actorOrgId: record.actorOrgId, actorUserId: session.userId, supplierOrgId: invoice.supplierOrgId, customerOrgId: invoice.customerOrgId });
  return { event: toDto(row!), created: true };
}

async function statusAfterEvent(tx: Transaction, invoiceId: string, type: SignedEvent['record']['type'], status: InvoiceStatus): Promise<InvoiceStatus> {
  const { to } = TRANSITIONS[type];
  if (to === null) return status;
  if (to !== 'previous') return to;
  // A withdrawn dispute returns to the status before the (latest) dispute.
  const [dispute] = await tx.select({ prevEventId: invoiceEvents.prevEventId }).from(invoiceEvents).where(and(eq(invoiceEvents.invoiceId, invoiceId), eq(invoiceEvents.type, 'disputed'))).orderBy(desc(invoiceEvents.seq)).limit(1);
  if (!dispute?.prevEventId) return 'issued';
  const [before] = await tx.select({ statusAfter: invoiceEvents.statusAfter }).from(invoiceEvents).where(eq(invoiceEvents.id, dispute.prevEventId));
  return before?.statusAfter ?? 'issued';
}

/** POST /api/invoices/:id/events. */
export async function appendInvoiceEvent(session: CurrentSession, invoiceId: string, input: SignedEvent, context: RequestContext): Promise<{ event: InvoiceEventDto; created: boolean }> {
  const invoice = await findInvoice(invoiceId);
  if (!invoice) throw new AppError('not_found', 'invoice_not_found');
  await checkSignedEvent(session, invoice, input, { creditNote: false });
  return db().transaction((tx) => applyEvent(tx, invoiceId, input, session, context));
}

/** GET /api/invoices/:id/events: the whole history, for members of either party only. */
export async function listInvoiceEvents(session: CurrentSession, invoiceId: string): Promise<InvoiceEventsDto> {
  const invoice = await findHistoryInvoice(invoiceId);
  if (!invoice) throw new AppError('not_found', 'invoice_not_found');
  await callerParties(session, invoice);
  return invoiceHistory(invoice);
}

/**
 * The same history of an invoice sent to `customerOrgId`, for a caller who proved its right to that
 * org some other way (a guest's claim link, DESIGN §11); read-only. Another org's invoice is "not
 * found", so a link to one org cannot probe the ids of invoices sent elsewhere.
 */
export async function listInvoiceEventsToOrg(customerOrgId: string, invoiceId: string): Promise<InvoiceEventsDto> {
  const invoice = await findHistoryInvoice(invoiceId);
  if (!invoice || invoice.customerOrgId !== customerOrgId) throw new AppError('not_found', 'invoice_not_found');
  return invoiceHistory(invoice);
}

type HistoryInvoice = InvoiceParties & { status: InvoiceStatus; creditsInvoiceId: string | null };

async function findHistoryInvoice(invoiceId: string): Promise<HistoryInvoice | null> {
  const [invoice] = await db()
    .select({ id: invoices.id, supplierOrgId: invoices.supplierOrgId, customerOrgId: invoices.customerOrgId, status: invoices.status, creditsInvoiceId: invoices.creditsInvoiceId })
    .from(invoices)
    .where(eq(invoices.id, invoiceId));
  return invoice ?? null;
}

async function invoiceHistory(invoice: HistoryInvoice): Promise<InvoiceEventsDto> {
  const invoiceId = invoice.id;
  const rows = await db().select().from(invoiceEvents).where(eq(invoiceEvents.invoiceId, invoiceId)).orderBy(asc(invoiceEvents.seq));
  const creditNotes = await db().select({ id: invoices.id }).from(invoices).where(eq(invoices.creditsInvoiceId, invoiceId));
  const actors = await signerCertificates(rows.map((r) => `${r.actorUserId}|${r.actorOrgId}`));
  const orgs: Record<string, OrgPublicKeys> = {};
  for (const orgId of [invoice.supplierOrgId, invoice.customerOrgId]) {
    const org = await findOrgById(orgId);
    if (org) orgs[orgId] = org;
  }
  return { invoiceId, status: invoice.status, creditsInvoiceId: invoice.creditsInvoiceId, creditedBy: creditNotes.map((c) => c.id), events: rows.map(toDto), actors, orgs };
}
