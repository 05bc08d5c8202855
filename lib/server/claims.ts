import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { and, asc, count, eq } from 'drizzle-orm';
import { ChainError, hashLink, replayChain, type ChainLink, type SignedChainLink } from '@/lib/crypto/verify';
import { memberships, organizations, orgChainLinks, orgKeys, provisionalOrgs } from '@/lib/db/schema';
import type { InvoiceListDto } from '@/lib/shared/invoice-dto';
import type { InvoiceEventsDto } from '@/lib/shared/schemas/invoice-event';
import { CLAIM_DEFAULT_DAYS, provisionalHandle, type ClaimOpenDto, type ClaimRequest, type CreateProvisionalOrgRequest, type ProvisionalOrgDto, type ProvisionalState } from '@/lib/shared/schemas/claim';
import { recordAudit } from './audit';
import { db } from './db';
import { AppError } from './errors';
import type { RequestContext } from './http';
import { appendChainLinks, loadChain } from './org-chain';
import { listInvoiceEventsToOrg } from './invoice-events';
import { listInvoicesToOrg, openFileStreamToOrg } from './invoices';
import { generateOrgHandle } from './org-handle';
import { findOrgById, requireRole } from './orgs';
import { enforceRateLimit } from './rate-limit';
import type { CurrentSession } from './sessions';

/**
 * Provisional organizations and claim links (DESIGN §11), on the server's side: it stores what the
 * supplier's browser made, checks a guest's proof of the claim secret against the SHA-256 it keeps,
 * and lets a signed-in user claim the org with links it cannot forge. It never sees the secret.
 */
const b64 = (data: Uint8Array): string => Buffer.from(data).toString('base64url');
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64url'));
const DAY_MS = 24 * 60 * 60 * 1000;
/** How many provisional customers one supplier may keep; a real supplier has far fewer open links. */
const MAX_PROVISIONAL_PER_SUPPLIER = 5000;

type ProvisionalRow = typeof provisionalOrgs.$inferSelect;

function stateOf(row: Pick<ProvisionalRow, 'claimedAt' | 'revokedAt' | 'expiresAt'>, now = Date.now()): ProvisionalState {
  if (row.claimedAt) return 'claimed';
  if (row.revokedAt) return 'revoked';
  if (row.expiresAt.getTime() <= now) return 'expired';
  return 'open';
}

/**
 * Stores a provisional org the supplier's browser made: its keys sealed under OS₁ (which the server
 * cannot derive), its `provisional` chain link signed by its own key, the hash of claimAuth and the
 * supplier's sealed note. The org gets an unreachable handle until it is claimed.
 */
export async function createProvisionalOrg(session: CurrentSession, supplierOrgId: string, input: CreateProvisionalOrgRequest, context: RequestContext): Promise<{ orgId: string; expiresAt: string }> {
  await requireRole(session, supplierOrgId, 'invoice.send');
  const { link } = input.chain;
  if (link.type !== 'provisional' || link.orgId !== input.orgId || link.seq !== 0) throw new AppError('bad_request', 'membership_rejected', { params: { detail: 'a provisional organization starts with its own provisional link.' } });
  const body = link.body as ChainLink<'provisional'>['body'];
  if (body.supplierOrgId !== supplierOrgId || body.encryptionPublicKey !== input.keys.encryptionPublicKey || body.signingPublicKey !== input.keys.signingPublicKey) {
    throw new AppError('bad_request', 'membership_rejected', { params: { detail: 'the provisional link names other keys or another supplier.' } });
  }
  try {
    await replayChain(input.orgId, [input.chain as SignedChainLink]);
  } catch (error) {
    if (error instanceof ChainError) throw new AppError('bad_request', 'membership_rejected', { params: { detail: error.message } });
    throw error;
  }
  const expiresAt = new Date(Date.now() + input.expiresInDays * DAY_MS);
  await db().transaction(async (tx) => {
    const [supplier] = await tx.select({ keyVersion: organizations.currentKeyVersion, suspendedAt: organizations.suspendedAt }).from(organizations).where(eq(organizations.id, supplierOrgId)).for('update');
    if (!supplier) throw new AppError('not_found', 'org_not_found');
    if (supplier.suspendedAt) throw new AppError('forbidden', 'org_suspended');
    // The note must open with the supplier's current OS, so every member can show the link again.
    if (input.recordKeyVersion !== supplier.keyVersion) throw new AppError('conflict', 'org_keys_changed');
    const [existing] = await tx.select({ n: count() }).from(provisionalOrgs).where(eq(provisionalOrgs.supplierOrgId, supplierOrgId));
    if (existing!.n >= MAX_PROVISIONAL_PER_SUPPLIER) throw new AppError('limit_reached', 'provisional_limit');
    const [taken] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, input.orgId));
    if (taken) throw new AppError('conflict', 'provisional_exists');
    await tx.insert(organizations).values({ id: input.orgId, name: input.name, handle: provisionalHandle(input.orgId), currentKeyVersion: 1 });
    await tx.insert(orgKeys).values({ orgId: input.orgId, version: 1, encryptionPublicKey: bytes(input.keys.encryptionPublicKey), signingPublicKey: bytes(input.keys.signingPublicKey), wrappedPrivateKeys: bytes(input.keys.wrappedPrivateKeys) });
    await tx.insert(orgChainLinks).values({ orgId: input.orgId, seq: 0, type: 'provisional', link: input.chain.link, signature: input.chain.signature, orgSignature: null, hash: await hashLink(input.chain.link as ChainLink) });
    await tx.insert(provisionalOrgs).values({ orgId: input.orgId, supplierOrgId, createdBy: session.userId, claimAuthHash: bytes(input.claimAuthHash), sealedRecord: bytes(input.sealedRecord), recordKeyVersion: input.recordKeyVersion, expiresAt });
    await recordAudit({ action: 'org.provisional_created', outcome: 'success', actorUserId: session.userId, credentialId: session.credentialId, objectType: 'organization', objectId: input.orgId, reason: `supplier:${supplierOrgId}` }, context, tx);
  });
  return { orgId: input.orgId, expiresAt: expiresAt.toISOString() };
}

/** An unclaimed provisional org receives invoices from the supplier that made it, and from nobody else. */
export async function mayAddressProvisional(supplierOrgId: string, customerOrgId: string): Promise<boolean> {
  const [row] = await db().select({ supplierOrgId: provisionalOrgs.supplierOrgId, claimedAt: provisionalOrgs.claimedAt }).from(provisionalOrgs).where(eq(provisionalOrgs.orgId, customerOrgId));
  return !row || row.claimedAt !== null || row.supplierOrgId === supplierOrgId;
}

/** The supplier's provisional customers, newest first, for its list and to address invoices. */
export async function listProvisionalOrgs(session: CurrentSession, supplierOrgId: string): Promise<ProvisionalOrgDto[]> {
  await requireRole(session, supplierOrgId, 'invoice.read');
  const rows = await db()
    .select({ row: provisionalOrgs, name: organizations.name })
    .from(provisionalOrgs)
    .innerJoin(organizations, eq(organizations.id, provisionalOrgs.orgId))
    .where(eq(provisionalOrgs.supplierOrgId, supplierOrgId))
    .orderBy(asc(provisionalOrgs.createdAt));
  const now = Date.now();
  const list = await Promise.all(
    rows.map(async ({ row, name }) => ({
      orgId: row.orgId,
      name,
      state: stateOf(row, now),
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      claimedAt: row.claimedAt?.toISOString() ?? null,
      sealedRecord: b64(row.sealedRecord),
      recordKeyVersion: row.recordKeyVersion,
      keys: await findOrgById(row.orgId),
    })),
  );
  return list.reverse();
}

/** Revokes a link for good, or renews an expired (not revoked, not claimed) one for the default period. */
export async function updateProvisionalOrg(session: CurrentSession, supplierOrgId: string, orgId: string, action: 'revoke' | 'renew', context: RequestContext): Promise<{ state: ProvisionalState; expiresAt: string }> {
  await requireRole(session, supplierOrgId, 'invoice.send');
  return db().transaction(async (tx) => {
    const [row] = await tx.select().from(provisionalOrgs).where(and(eq(provisionalOrgs.orgId, orgId), eq(provisionalOrgs.supplierOrgId, supplierOrgId))).for('update');
    if (!row) throw new AppError('not_found', 'provisional_not_found');
    if (row.claimedAt || row.revokedAt) throw new AppError('conflict', 'provisional_not_open');
    const change = action === 'revoke' ? { revokedAt: new Date() } : { expiresAt: new Date(Date.now() + CLAIM_DEFAULT_DAYS * DAY_MS) };
    const [updated] = await tx.update(provisionalOrgs).set(change).where(eq(provisionalOrgs.orgId, orgId)).returning();
    await recordAudit({ action: action === 'revoke' ? 'org.claim_revoked' : 'org.claim_renewed', outcome: 'success', actorUserId: session.userId, credentialId: session.credentialId, objectType: 'organization', objectId: orgId }, context, tx);
    return { state: stateOf(updated!), expiresAt: updated!.expiresAt.toISOString() };
  });
}

function sameHash(claimAuth: string, stored: Uint8Array): boolean {
  const hash = createHash('sha256').update(bytes(claimAuth)).digest();
  return hash.length === stored.length && timingSafeEqual(hash, stored);
}

/** Guessing is bounded per address and per org (a proof is 256 bits; this keeps probing slow and visible). */
async function limitClaimAttempts(orgId: string, context: RequestContext): Promise<void> {
  await enforceRateLimit(`claim-ip:${context.ip ?? 'unknown'}`, 60);
  await enforceRateLimit(`claim-org:${orgId}`, 120);
}

/**
 * Checks a guest's proof of the claim secret. A wrong proof and an unknown org look the same; the
 * state (expired, revoked, claimed) is told only to someone who proved the secret, so the link's
 * holder learns what to ask the supplier for.
 */
export async function requireClaimAccess(orgId: string, claimAuth: string, context: RequestContext): Promise<ProvisionalRow> {
  await limitClaimAttempts(orgId, context);
  const [row] = await db().select().from(provisionalOrgs).where(eq(provisionalOrgs.orgId, orgId));
  return checkClaimProof(row, claimAuth);
}

function checkClaimProof(row: ProvisionalRow | undefined, claimAuth: string): ProvisionalRow {
  if (!row || !sameHash(claimAuth, row.claimAuthHash)) throw new AppError('not_found', 'claim_invalid');
  const state = stateOf(row);
  if (state === 'claimed') throw new AppError('forbidden', 'claim_claimed');
  if (state === 'revoked') throw new AppError('forbidden', 'claim_revoked');
  if (state === 'expired') throw new AppError('forbidden', 'claim_expired');
  return row;
}

/** What the guest's browser needs to open the org (chain, epoch-1 keys sealed under OS₁) and check its supplier. */
export async function openClaim(orgId: string, claimAuth: string, context: RequestContext): Promise<ClaimOpenDto> {
  const row = await requireClaimAccess(orgId, claimAuth, context);
  const [[org], [keys], chain, supplier, supplierEpochs] = await Promise.all([
    db().select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId)),
    db().select().from(orgKeys).where(and(eq(orgKeys.orgId, orgId), eq(orgKeys.version, 1))),
    loadChain(db(), orgId),
    findOrgById(row.supplierOrgId),
    db().select({ epoch: orgKeys.version, signingPublicKey: orgKeys.signingPublicKey, encryptionPublicKey: orgKeys.encryptionPublicKey }).from(orgKeys).where(eq(orgKeys.orgId, row.supplierOrgId)).orderBy(asc(orgKeys.version)),
  ]);
  if (!org || !keys || !supplier) throw new AppError('not_found', 'claim_invalid');
  return {
    orgId,
    name: org.name,
    expiresAt: row.expiresAt.toISOString(),
    chain,
    epoch: { epoch: 1, encryptionPublicKey: b64(keys.encryptionPublicKey), signingPublicKey: b64(keys.signingPublicKey), wrappedPrivateKeys: b64(keys.wrappedPrivateKeys), wrappedPreviousSecret: null },
    supplier,
    supplierEpochs: supplierEpochs.map((e) => ({ epoch: e.epoch, signingPublicKey: b64(e.signingPublicKey), encryptionPublicKey: b64(e.encryptionPublicKey) })),
  };
}

/** The guest view's invoices: what was sent to the org, as a member's list has it (DESIGN §11). */
export async function claimInvoices(orgId: string, claimAuth: string, context: RequestContext): Promise<InvoiceListDto & { viewerOrgId: string }> {
  await requireClaimAccess(orgId, claimAuth, context);
  return { ...(await listInvoicesToOrg(orgId)), viewerOrgId: orgId };
}

/**
 * One document of an invoice sent to the org, for the guest view's preview and download: the stored
 * ciphertext, which only the org's keys (opened in the guest's browser) decrypt. A guest opens many
 * documents with one proven link, so only proofs that fail count against the guessing limits; the
 * route limits how many downloads one address makes.
 */
export async function claimFileStream(orgId: string, claimAuth: string, invoiceId: string, fileId: string, context: RequestContext): Promise<{ stream: ReadableStream<Uint8Array>; size: number }> {
  await requireRepeatedClaimAccess(orgId, claimAuth, context);
  return openFileStreamToOrg(orgId, invoiceId, fileId);
}

/**
 * The signed history of an invoice sent to the org, as a member gets it, so the guest's browser
 * verifies and shows its status (a cancelled or credited invoice must not look payable). Read-only:
 * a guest cannot append events. Asked once per invoice, so like documents only failed proofs count.
 */
export async function claimInvoiceEvents(orgId: string, claimAuth: string, invoiceId: string, context: RequestContext): Promise<InvoiceEventsDto> {
  await requireRepeatedClaimAccess(orgId, claimAuth, context);
  return listInvoiceEventsToOrg(orgId, invoiceId);
}

/** The proof for a request a proven guest makes many of: only a proof that fails counts against the guessing limits. */
async function requireRepeatedClaimAccess(orgId: string, claimAuth: string, context: RequestContext): Promise<ProvisionalRow> {
  const [row] = await db().select().from(provisionalOrgs).where(eq(provisionalOrgs.orgId, orgId));
  if (!row || !sameHash(claimAuth, row.claimAuthHash)) await limitClaimAttempts(orgId, context);
  return checkClaimProof(row, claimAuth);
}

/**
 * A signed-in user claims the org: the proof of the claim secret, then `claim` (signed by the user
 * and by the provisional org key) and `rotate` to an epoch the supplier never knew, replayed and
 * stored like any chain append. The org gets a real handle and the guest link stops working.
 */
export async function claimProvisionalOrg(session: CurrentSession, orgId: string, input: ClaimRequest, context: RequestContext): Promise<{ orgId: string; handle: string; seq: number; headHash: string }> {
  const { claimAuth, ...append } = input;
  const [named] = await db().select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId));
  await limitClaimAttempts(orgId, context);
  const handle = await generateOrgHandle(named?.name ?? 'org');
  return db().transaction(async (tx) => {
    const [locked] = await tx.select().from(provisionalOrgs).where(eq(provisionalOrgs.orgId, orgId)).for('update');
    checkClaimProof(locked, claimAuth);
    // DESIGN §11: the supplier knows c but is never a member of its customer's organization.
    const [supplierMember] = await tx.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.orgId, locked!.supplierOrgId), eq(memberships.userId, session.userId)));
    if (supplierMember) throw new AppError('forbidden', 'claim_by_supplier');
    const head = await appendChainLinks(tx, session, orgId, append, context, { claimProven: true });
    await tx.update(organizations).set({ handle }).where(eq(organizations.id, orgId));
    await tx.update(provisionalOrgs).set({ claimedAt: new Date(), claimedBy: session.userId }).where(eq(provisionalOrgs.orgId, orgId));
    return { orgId, handle, ...head };
  });
}
