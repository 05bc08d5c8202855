import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { hashLink, replayChain, verifyMembershipCertificate, type ChainLink, type SignedChainLink } from '@/lib/crypto/verify';
import type { Database, Transaction } from '@/lib/db/client';
import { auditLog, credentials, memberships, orgChainLinks, orgInvitations, organizations, orgKeys, orgSecretGrants, provisionalOrgs, users, type Credential } from '@/lib/db/schema';
import type { KeyBundle, SignUpKeys, SignUpOptionsRequest } from '@/lib/shared/schemas/auth';
import { recordAudit } from './audit';
import { requireClaimAccess } from './claims';
import { enqueueSignUpVerification } from './notifications';
import { db } from './db';
import { AppError } from './errors';
import type { RequestContext } from './http';
import { isTokenUsable, registrationMode, spendToken } from './invitations';
import { generateOrgHandle } from './org-handle';
import { markReauthenticated, startSession, type CurrentSession } from './sessions';
import { authenticationOptions, registrationOptions, verifyAssertion, verifyRegistration, type NewPasskey } from './webauthn';

const bytes = (b64: string): Uint8Array => new Uint8Array(Buffer.from(b64, 'base64url'));
const b64 = (data: Uint8Array): string => Buffer.from(data).toString('base64url');

export async function findCredential(id: string): Promise<Credential | null> {
  const [row] = await db().select().from(credentials).where(eq(credentials.id, id));
  return row ?? null;
}

/** While registration is by invitation, a sign-up needs an unused, unexpired sign-up invitation. */
async function assertMayRegister(invitation: string | undefined): Promise<void> {
  if ((await registrationMode()) === 'open') return;
  if (!invitation) throw new AppError('invitation_required', 'invitation_required');
  if (!(await isTokenUsable(invitation, ['sign-up-invite']))) throw new AppError('invitation_required', 'invitation_invalid');
}

/** A join link's invitation, for a sign-up from it: it must still be open, or the account would wait for nothing. */
async function assertInvitationOpen(executor: Pick<Database, 'select'>, inviteId: string): Promise<void> {
  const [row] = await executor.select({ expiresAt: orgInvitations.expiresAt, revokedAt: orgInvitations.revokedAt, usedAt: orgInvitations.usedAt }).from(orgInvitations).where(eq(orgInvitations.id, inviteId));
  if (!row) throw new AppError('not_found', 'invitation_not_found');
  if (row.usedAt) throw new AppError('conflict', 'invitation_used');
  if (row.revokedAt) throw new AppError('conflict', 'invitation_revoked');
  if (row.expiresAt.getTime() <= Date.now()) throw new AppError('conflict', 'invitation_expired');
}

/**
 * `joinInviteId`: a sign-up from an org's join link, which creates no organization of its own.
 * `claim`: a sign-up from a claim link (DESIGN §11), which creates none either and claims that one
 * next; its proof of the link's secret is checked here (and counted as a guess), and an open claim
 * link lets its holder register where registration is by invitation: the supplier invited it.
 * Like an invitation, a link makes one account (see assertClaimOpen).
 */
export async function beginSignUp({ invitation, claim, ...input }: SignUpOptionsRequest, context: RequestContext) {
  if (claim) {
    await requireClaimAccess(claim.orgId, claim.claimAuth, context);
    await assertClaimOpen(db(), claim.orgId);
  } else await assertMayRegister(invitation);
  const [existing] = await db().select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (existing) throw new AppError('conflict', 'email_taken_sign_in');
  if (input.joinInviteId) await assertInvitationOpen(db(), input.joinInviteId);
  const userId = randomUUID();
  const orgId = input.joinInviteId || claim ? null : randomUUID();
  const options = await registrationOptions('sign-up', { id: userId, email: input.email, displayName: input.displayName }, {
    data: { userId, orgId, ...input, ...(claim ? { claimOrgId: claim.orgId } : {}) },
  });
  return { options, userId, orgId };
}

/** The audit reason of a sign-up through a claim link: what assertClaimOpen counts. */
export const claimSignUpReason = (orgId: string): string => `claim:${orgId}`;

/**
 * The claim link a sign-up followed is still open (not claimed, revoked or expired meanwhile), and
 * no account was made through it yet. The link stands in for an invitation (it lets its holder
 * register where registration is by invitation), and an invitation makes one account: a second
 * person with the link signs in with that account, or is invited by the org's owner once claimed.
 * The count is read from the audit chain's sign-ups (append-only, never pruned); in the sign-up's
 * transaction the link's row is locked first, so two sign-ups through one link cannot both pass.
 */
async function assertClaimOpen(executor: Database | Transaction, orgId: string, lock = false): Promise<void> {
  const query = executor.select({ claimedAt: provisionalOrgs.claimedAt, revokedAt: provisionalOrgs.revokedAt, expiresAt: provisionalOrgs.expiresAt }).from(provisionalOrgs).where(eq(provisionalOrgs.orgId, orgId));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('not_found', 'claim_invalid');
  if (row.claimedAt) throw new AppError('forbidden', 'claim_claimed');
  if (row.revokedAt) throw new AppError('forbidden', 'claim_revoked');
  if (row.expiresAt.getTime() <= Date.now()) throw new AppError('forbidden', 'claim_expired');
  const [used] = await executor.select({ seq: auditLog.seq }).from(auditLog).where(and(eq(auditLog.action, 'account.sign_up'), eq(auditLog.outcome, 'success'), eq(auditLog.reason, claimSignUpReason(orgId)))).limit(1);
  if (used) throw new AppError('conflict', 'claim_sign_up_used');
}

/** Checks that the sign-up key bundle is self-consistent before anything is stored. */
async function checkSignUpKeys(keys: SignUpKeys, userId: string, orgId: string | null): Promise<void> {
  // An own org exactly when the sign-up named one: a join sign-up cannot slip one in, nor skip it.
  if (!orgId || !keys.org) {
    if (orgId || keys.org) throw new AppError('bad_request', 'certificate_mismatch');
    return;
  }
  const cert = keys.org.certificate;
  const consistent =
    cert.userId === userId &&
    cert.orgId === orgId &&
    cert.role === 'owner' &&
    cert.version === 1 &&
    cert.userSigningKey === keys.user.signingPublicKey &&
    cert.userEncryptionKey === keys.user.encryptionPublicKey;
  if (!consistent) throw new AppError('bad_request', 'certificate_mismatch');
  const valid = await verifyMembershipCertificate(bytes(keys.org.signingPublicKey), cert, keys.org.certificateSignature);
  if (!valid) throw new AppError('bad_request', 'certificate_invalid');
  // The chain starts with `create`, naming exactly these keys and signed by the user and the org key.
  const state = await replayChain(orgId, [keys.org.chain as SignedChainLink]).catch(() => null);
  const create = keys.org.chain.link.body;
  const chainMatches =
    state !== null &&
    keys.org.chain.link.signerUserId === userId &&
    create.userId === userId &&
    create.signingPublicKey === keys.org.signingPublicKey &&
    create.encryptionPublicKey === keys.org.encryptionPublicKey &&
    create.userSigningKey === keys.user.signingPublicKey &&
    create.userEncryptionKey === keys.user.encryptionPublicKey &&
    Math.abs(Date.parse(keys.org.chain.link.createdAt) - Date.now()) < 10 * 60 * 1000;
  if (!chainMatches) throw new AppError('bad_request', 'chain_mismatch');
}

/** `locale`: the language of the sign-up page, which the first e-mail (the address confirmation) is written in. */
export async function completeSignUp(input: { response: Parameters<typeof verifyRegistration>[0]; passkeyName: string; keys: SignUpKeys; invitation?: string; locale: 'en' | 'de' | null }, context: RequestContext) {
  const { challenge, passkey } = await verifyRegistration(input.response, 'sign-up');
  const pending = challenge.data as { userId: string; orgId: string | null; email: string; displayName: string; orgName?: string; joinInviteId?: string; claimOrgId?: string };
  await checkSignUpKeys(input.keys, pending.userId, pending.orgId);
  const { keys } = input;
  const own = pending.orgId && keys.org && pending.orgName ? { orgId: pending.orgId, org: keys.org, handle: await generateOrgHandle(pending.orgName), name: pending.orgName } : null;

  await db().transaction(async (tx) => {
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, pending.email));
    if (taken) throw new AppError('conflict', 'email_taken');
    // Spent in the transaction that creates the account, so one link makes at most one account.
    const invited = input.invitation && !pending.claimOrgId ? await spendToken(tx, input.invitation, ['sign-up-invite'], pending.userId) : null;
    if (pending.claimOrgId) await assertClaimOpen(tx, pending.claimOrgId, true);
    else if (!invited && (await registrationMode(tx)) === 'invitation') throw new AppError('invitation_required', input.invitation ? 'invitation_invalid' : 'invitation_required');
    await tx.insert(users).values({
      id: pending.userId,
      email: pending.email,
      displayName: pending.displayName,
      locale: input.locale,
      lastSignInAt: new Date(),
      encryptionPublicKey: bytes(keys.user.encryptionPublicKey),
      signingPublicKey: bytes(keys.user.signingPublicKey),
      wrappedPrivateKeys: bytes(keys.user.wrappedPrivateKeys),
      recoveryWrappedAccountKey: bytes(keys.recoveryWrappedAccountKey),
      recoveryAuthHash: bytes(keys.recoveryAuthHash),
      encryptedKeyring: bytes(keys.keyring),
      keyringVersion: 1,
    });
    await insertPasskey(tx, pending.userId, passkey, input.passkeyName, keys.passkeyWrappedAccountKey);
    if (own) await insertOwnOrg(tx, pending.userId, own);
    // From a join link: no org at all until an owner or admin of the inviting org confirms the acceptance.
    else if (pending.joinInviteId) await assertInvitationOpen(tx, pending.joinInviteId);
    await enqueueSignUpVerification(tx, { id: pending.userId, displayName: pending.displayName, email: pending.email, locale: input.locale });
    const object = own ? { objectType: 'organization', objectId: own.orgId } : { objectType: 'user', objectId: pending.userId };
    await recordAudit({ action: 'account.sign_up', outcome: 'success', actorUserId: pending.userId, credentialId: passkey.id, ...object, ...(invited ? { reason: 'invitation' } : own ? {} : pending.claimOrgId ? { reason: claimSignUpReason(pending.claimOrgId) } : { reason: `invite:${pending.joinInviteId}` }) }, context, tx);
    await startSession(pending.userId, passkey.id, context, tx);
  });
  return { userId: pending.userId, orgId: pending.orgId, credentialId: passkey.id };
}

/** The new account's own org: its keys, the owner's membership and grant, and its chain's `create` link. */
async function insertOwnOrg(tx: Transaction, userId: string, own: { orgId: string; org: NonNullable<SignUpKeys['org']>; handle: string; name: string }): Promise<void> {
  const { orgId, org } = own;
  await tx.insert(organizations).values({ id: orgId, name: own.name, handle: own.handle, currentKeyVersion: 1 });
  await tx.insert(orgKeys).values({ orgId, version: 1, encryptionPublicKey: bytes(org.encryptionPublicKey), signingPublicKey: bytes(org.signingPublicKey), wrappedPrivateKeys: bytes(org.wrappedPrivateKeys) });
  await tx.insert(memberships).values({ orgId, userId, role: 'owner', keyVersion: 1, certificate: org.certificate, certificateSignature: org.certificateSignature });
  await tx.insert(orgSecretGrants).values({ orgId, epoch: 1, userId, sealedOrgSecret: bytes(org.sealedOrgSecret) });
  const { chain } = org;
  await tx.insert(orgChainLinks).values({ orgId, seq: 0, type: 'create', link: chain.link, signature: chain.signature, orgSignature: chain.orgSignature ?? null, hash: await hashLink(chain.link as ChainLink) });
}

export async function insertPasskey(executor: Pick<ReturnType<typeof db>, 'insert'>, userId: string, passkey: NewPasskey, name: string, wrappedAccountKey?: string): Promise<void> {
  await executor.insert(credentials).values({
    id: passkey.id,
    userId,
    name,
    publicKey: passkey.publicKey,
    counter: passkey.counter,
    transports: passkey.transports,
    deviceType: passkey.deviceType,
    backedUp: passkey.backedUp,
    wrappedAccountKey: wrappedAccountKey ? bytes(wrappedAccountKey) : null,
  });
}

export async function beginSignIn() {
  return authenticationOptions('sign-in');
}

async function recordAssertionUse(credential: Credential, newCounter: number, backedUp: boolean): Promise<void> {
  await db().update(credentials).set({ counter: newCounter, backedUp, lastUsedAt: new Date() }).where(eq(credentials.id, credential.id));
}

export async function completeSignIn(response: Parameters<typeof verifyAssertion>[0], context: RequestContext) {
  const { credential, newCounter, backedUp } = await verifyAssertion(response, 'sign-in', findCredential);
  const [user] = await db().select({ disabledAt: users.disabledAt, isPlatformAdmin: users.isPlatformAdmin }).from(users).where(eq(users.id, credential.userId));
  if (!user || user.disabledAt) throw new AppError('account_disabled', 'account_disabled');
  await recordAssertionUse(credential, newCounter, backedUp);
  await db().transaction(async (tx) => {
    await tx.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, credential.userId));
    await recordAudit({ action: 'account.sign_in', outcome: 'success', actorUserId: credential.userId, credentialId: credential.id }, context, tx);
    await startSession(credential.userId, credential.id, context, tx);
  });
  return {
    userId: credential.userId,
    isPlatformAdmin: user.isPlatformAdmin,
    credentialId: credential.id,
    wrappedAccountKey: credential.wrappedAccountKey ? b64(credential.wrappedAccountKey) : null,
  };
}

async function userPasskeys(userId: string): Promise<{ id: string; transports: string[] }[]> {
  return db().select({ id: credentials.id, transports: credentials.transports }).from(credentials).where(eq(credentials.userId, userId));
}

/** A fresh assertion inside a session: to unlock keys, to step up, or to read a new passkey's PRF. */
export async function beginReauth(session: CurrentSession, credentialId?: string) {
  const allow = (await userPasskeys(session.userId)).filter((c) => !credentialId || c.id === credentialId);
  if (allow.length === 0) throw new AppError('not_found', 'passkey_not_found');
  return authenticationOptions('reauth', { userId: session.userId, sessionId: session.sessionId, allow });
}

export async function completeReauth(session: CurrentSession, input: { response: Parameters<typeof verifyAssertion>[0]; wrappedAccountKey?: string }, context: RequestContext) {
  const { challenge, credential, newCounter, backedUp } = await verifyAssertion(input.response, 'reauth', findCredential);
  if (challenge.sessionId !== session.sessionId || credential.userId !== session.userId) {
    throw new AppError('challenge_invalid', 'passkey_other_session');
  }
  await recordAssertionUse(credential, newCounter, backedUp);
  await markReauthenticated(session.sessionId);
  let wrapped = credential.wrappedAccountKey;
  // The assertion just proved possession of this passkey, so its PRF-wrapped account key may be
  // stored now (the two-ceremony PRF path); an existing wrap is never replaced.
  if (!wrapped && input.wrappedAccountKey) {
    wrapped = bytes(input.wrappedAccountKey);
    await db().transaction(async (tx) => {
      await tx.update(credentials).set({ wrappedAccountKey: wrapped }).where(eq(credentials.id, credential.id));
      await recordAudit({ action: 'passkey.unlock_enabled', outcome: 'success', actorUserId: session.userId, credentialId: credential.id }, context, tx);
    });
  }
  return { credentialId: credential.id, wrappedAccountKey: wrapped ? b64(wrapped) : null };
}

export async function keyBundle(session: CurrentSession): Promise<KeyBundle> {
  const [user] = await db()
    .select({ encryptionPublicKey: users.encryptionPublicKey, signingPublicKey: users.signingPublicKey, wrappedPrivateKeys: users.wrappedPrivateKeys, recoveryWrappedAccountKey: users.recoveryWrappedAccountKey })
    .from(users)
    .where(eq(users.id, session.userId));
  if (!user?.encryptionPublicKey || !user.signingPublicKey || !user.wrappedPrivateKeys || !user.recoveryWrappedAccountKey) {
    throw new AppError('not_found', 'account_has_no_keys');
  }
  const orgs = await db()
    .select({
      orgId: organizations.id,
      name: organizations.name,
      handle: organizations.handle,
      role: memberships.role,
      keyVersion: organizations.currentKeyVersion,
      encryptionPublicKey: orgKeys.encryptionPublicKey,
      signingPublicKey: orgKeys.signingPublicKey,
      wrappedPrivateKeys: orgKeys.wrappedPrivateKeys,
      sealedOrgSecret: orgSecretGrants.sealedOrgSecret,
      certificate: memberships.certificate,
      certificateSignature: memberships.certificateSignature,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .innerJoin(orgKeys, and(eq(orgKeys.orgId, memberships.orgId), eq(orgKeys.version, organizations.currentKeyVersion)))
    .innerJoin(orgSecretGrants, and(eq(orgSecretGrants.orgId, memberships.orgId), eq(orgSecretGrants.userId, memberships.userId), eq(orgSecretGrants.epoch, organizations.currentKeyVersion)))
    .where(eq(memberships.userId, session.userId))
    .orderBy(asc(memberships.createdAt));
  return {
    userId: session.userId,
    user: { encryptionPublicKey: b64(user.encryptionPublicKey), signingPublicKey: b64(user.signingPublicKey), wrappedPrivateKeys: b64(user.wrappedPrivateKeys) },
    recoveryWrappedAccountKey: b64(user.recoveryWrappedAccountKey),
    organizations: orgs.map((o) => ({
      ...o,
      encryptionPublicKey: b64(o.encryptionPublicKey),
      signingPublicKey: b64(o.signingPublicKey),
      wrappedPrivateKeys: b64(o.wrappedPrivateKeys),
      sealedOrgSecret: b64(o.sealedOrgSecret),
      certificate: o.certificate as KeyBundle['organizations'][number]['certificate'],
    })),
  };
}

export async function confirmRecoveryKey(session: CurrentSession, context: RequestContext): Promise<void> {
  await db().transaction(async (tx) => {
    await tx.update(users).set({ recoveryConfirmedAt: new Date() }).where(eq(users.id, session.userId));
    await recordAudit({ action: 'recovery_key.confirmed', outcome: 'success', actorUserId: session.userId }, context, tx);
  });
}

/** Replaces the recovery key (e.g. when the first one was lost before it was confirmed). */
export async function rotateRecoveryKey(session: CurrentSession, input: { recoveryWrappedAccountKey: string; recoveryAuthHash: string }, context: RequestContext): Promise<void> {
  await db().transaction(async (tx) => {
    await tx
      .update(users)
      .set({ recoveryWrappedAccountKey: bytes(input.recoveryWrappedAccountKey), recoveryAuthHash: bytes(input.recoveryAuthHash), recoveryConfirmedAt: null })
      .where(eq(users.id, session.userId));
    await recordAudit({ action: 'recovery_key.rotated', outcome: 'success', actorUserId: session.userId }, context, tx);
  });
}

export { registrationOptions, userPasskeys };

export async function getKeyring(session: CurrentSession): Promise<{ encryptedKeyring: string | null; version: number }> {
  const [row] = await db().select({ keyring: users.encryptedKeyring, version: users.keyringVersion }).from(users).where(eq(users.id, session.userId));
  return { encryptedKeyring: row?.keyring ? b64(row.keyring) : null, version: row?.version ?? 0 };
}

/** Compare-and-set: a write based on an older version is refused, so no pin is silently lost. */
export async function putKeyring(session: CurrentSession, input: { encryptedKeyring: string; expectedVersion: number }): Promise<{ version: number }> {
  const [row] = await db()
    .update(users)
    .set({ encryptedKeyring: bytes(input.encryptedKeyring), keyringVersion: input.expectedVersion + 1 })
    .where(and(eq(users.id, session.userId), eq(users.keyringVersion, input.expectedVersion)))
    .returning({ version: users.keyringVersion });
  if (!row) throw new AppError('conflict', 'keyring_changed');
  return { version: row.version };
}
