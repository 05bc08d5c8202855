import 'server-only';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { ChainError, computeKeyId, hashAcceptance, hashLink, replayChain, verifyMembershipCertificate, type ChainLink, type ChainState, type MembershipCertificate, type SignedChainLink } from '@/lib/crypto/verify';
import type { Transaction } from '@/lib/db/client';
import { memberships, orgAcceptances, orgChainLinks, orgFormerMembers, orgInvitations, organizations, orgKeys, orgSecretGrants, orgSuccessions, users } from '@/lib/db/schema';
import type { AppendChainRequest, SignedChainLinkDto } from '@/lib/shared/schemas/org';
import { recordAudit } from './audit';
import { enqueueMembershipNotice } from './notifications';
import { AppError } from './errors';
import type { RequestContext } from './http';
import { requireRole } from './orgs';
import type { CurrentSession } from './sessions';

const b64 = (data: Uint8Array): string => Buffer.from(data).toString('base64url');
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64url'));

/** Invitations may be valid for at most this long. */
const MAX_INVITATION_MS = 30 * 24 * 60 * 60 * 1000;
const MAX_CLOCK_SKEW_MS = 10 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function toSignedLink(row: { link: Record<string, unknown>; signature: string; orgSignature: string | null }): SignedChainLinkDto {
  return { link: row.link as SignedChainLinkDto['link'], signature: row.signature, orgSignature: row.orgSignature };
}

export async function loadChain(executor: Pick<Transaction, 'select'>, orgId: string): Promise<SignedChainLinkDto[]> {
  const rows = await executor.select({ link: orgChainLinks.link, signature: orgChainLinks.signature, orgSignature: orgChainLinks.orgSignature }).from(orgChainLinks).where(eq(orgChainLinks.orgId, orgId)).orderBy(asc(orgChainLinks.seq));
  return rows.map(toSignedLink);
}

const refuse = (message: string): never => {
  throw new AppError('bad_request', 'membership_rejected', { params: { detail: message } });
};

/** Replays the stored chain plus the new links; any broken rule is a 400 naming it. */
async function replayWith(orgId: string, stored: SignedChainLinkDto[], added: SignedChainLinkDto[]): Promise<ChainState> {
  try {
    return await replayChain(orgId, [...stored, ...added] as SignedChainLink[]);
  } catch (error) {
    if (error instanceof ChainError) return refuse(error.message);
    throw error;
  }
}

/**
 * A certificate for a chain member, signed by the org key of `epoch`, naming the chain's keys and
 * role; for a former member also the time of its removal, and for a member no such time.
 */
async function checkCertificate(state: ChainState, epoch: number, entry: AppendChainRequest['certificates'][number]): Promise<void> {
  const cert = entry.certificate;
  const member = state.members.get(cert.userId) ?? state.former.get(cert.userId);
  const former = state.former.get(cert.userId);
  const keys = state.epochs[epoch];
  if (!member || !keys || cert.orgId !== state.orgId || cert.version !== epoch || cert.role !== member.role || cert.userSigningKey !== member.signingKey || cert.userEncryptionKey !== member.encryptionKey || cert.removedAt !== former?.removedAt) {
    refuse('a membership certificate does not match the chain.');
  }
  if (!(await verifyMembershipCertificate(bytes(keys!.signingPublicKey), cert as MembershipCertificate, entry.certificateSignature))) refuse('a membership certificate signature is not valid.');
}

function auditFor(link: ChainLink): { action: string; reason?: string } {
  switch (link.type) {
    case 'create': return { action: 'org.chain_created' };
    case 'invite': return { action: 'org.invitation_created', reason: `invite:${link.body.inviteId}` };
    case 'revoke-invite': return { action: 'org.invitation_revoked', reason: `invite:${link.body.inviteId}` };
    case 'add': return { action: 'org.member_confirmed', reason: `user:${link.body.userId}` };
    case 'role': return { action: 'org.role_changed', reason: `user:${link.body.userId}` };
    case 'remove': return { action: 'org.member_removed', reason: `user:${link.body.userId}` };
    case 'rotate': return { action: 'org.keys_rotated', reason: `epoch:${link.body.epoch}` };
    case 'provisional': return { action: 'org.provisional_created', reason: `supplier:${link.body.supplierOrgId}` };
    case 'claim': return { action: 'org.claimed', reason: `user:${link.body.userId}` };
  }
}

/**
 * Appends signed links to an org's membership chain in one transaction, with what they need
 * stored beside them. The org row is locked first, so two appends cannot both continue one head.
 * The server replays the whole chain with the new links (the same rules every member's client
 * applies), checks that the caller signed them with the key it publishes, and then updates its
 * authorization index (memberships, grants, invitations) to match. It never makes a link itself.
 */
export async function appendChainLinks(tx: Transaction, session: CurrentSession, orgId: string, input: AppendChainRequest, context: RequestContext, options: { claimProven?: boolean } = {}): Promise<{ seq: number; headHash: string }> {
  const [org] = await tx.select({ currentKeyVersion: organizations.currentKeyVersion }).from(organizations).where(eq(organizations.id, orgId)).for('update');
  if (!org) throw new AppError('not_found', 'org_not_found');
  const stored = await loadChain(tx, orgId);
  const links = input.links as SignedChainLink[];
  const types = links.map((l) => l.link.type);
  if (types.includes('provisional')) refuse('a provisional organization starts with its supplier’s request.');
  if (types.includes('claim') !== Boolean(options.claimProven)) refuse('a claim needs the claim link’s proof.');
  if (options.claimProven) {
    // The caller proved claimAuth; the replay below proves the claimant holds the provisional org key.
  } else if (types.includes('create')) {
    if (stored.length) refuse('this organization already has a chain.');
    await requireRole(session, orgId, 'owners.manage', tx);
  } else {
    await requireRole(session, orgId, 'members.manage', tx);
  }
  // A removal or a claim ends an epoch someone else knows: its rotation comes in the same request.
  const rotatedAfter = types.length === 2 && types[1] === 'rotate' ? types[0] : null;
  const paired = rotatedAfter === 'remove' || rotatedAfter === 'claim';
  if (types.length === 2 ? !paired : types.some((t) => t === 'remove' || t === 'rotate' || t === 'claim')) refuse('a removal or a claim must come with its key rotation, in that order, and nothing else.');

  const [me] = await tx.select({ signingPublicKey: users.signingPublicKey, encryptionPublicKey: users.encryptionPublicKey }).from(users).where(eq(users.id, session.userId));
  if (!me?.signingPublicKey || !me.encryptionPublicKey) throw new AppError('forbidden', 'account_has_no_keys');
  const myKeyId = await computeKeyId(me.signingPublicKey);
  for (const { link } of links) {
    if (link.orgId !== orgId) refuse('a link names another organization.');
    // The chain's rules compare times (an add before its invitation expires), so a link's time must be now.
    if (Math.abs(Date.parse(link.createdAt) - Date.now()) > MAX_CLOCK_SKEW_MS) refuse('its time is too far from the server’s clock; check your computer’s clock.');
    if (link.signerUserId !== session.userId || link.signerKeyId !== myKeyId) refuse('every link must be signed by you, with your current key.');
  }

  const before = stored.length ? await replayWith(orgId, stored, []) : null;
  const state = await replayWith(orgId, stored, input.links);
  const epochBefore = before?.epoch ?? 1;
  const grantsFor = (epoch: number) => input.grants.filter((g) => g.epoch === epoch);
  const certificatesUsed = new Set<string>();
  const takeCertificate = async (userId: string, epoch: number) => {
    const entry = input.certificates.find((c) => c.certificate.userId === userId && c.certificate.version === epoch);
    if (!entry) return refuse('a membership certificate is missing.');
    await checkCertificate(state, epoch, entry);
    certificatesUsed.add(userId);
    return entry;
  };

  // A removed member is told before its membership row goes; a new one after its row exists.
  await noticeOfChange(tx, orgId, session.userId, links, ['remove']);
  for (const { link } of links) {
    switch (link.type) {
      case 'create': {
        const [keys] = await tx.select().from(orgKeys).where(and(eq(orgKeys.orgId, orgId), eq(orgKeys.version, 1)));
        if (org.currentKeyVersion !== 1 || !keys) refuse('only an organization still on its first keys can start its chain this way.');
        if (link.body.encryptionPublicKey !== b64(keys!.encryptionPublicKey) || link.body.signingPublicKey !== b64(keys!.signingPublicKey)) refuse('create names other org keys than the published ones.');
        if (link.body.userEncryptionKey !== b64(me.encryptionPublicKey)) refuse('create names another encryption key than yours.');
        const others = await tx.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.orgId, orgId));
        if (others.some((m) => m.userId !== session.userId)) refuse('an organization with several members cannot be started by one of them.');
        break;
      }
      case 'invite': {
        const { inviteId, invitePublicKey, role, expiresAt } = link.body;
        if (!UUID.test(inviteId)) refuse('the invitation id must be a UUID.');
        const expires = Date.parse(expiresAt);
        if (expires <= Date.now() || expires > Date.now() + MAX_INVITATION_MS) refuse('an invitation must expire within 30 days.');
        await tx.insert(orgInvitations).values({ id: inviteId, orgId, role, invitePublicKey, chainSeq: link.seq, createdBy: session.userId, expiresAt: new Date(expires) });
        break;
      }
      case 'revoke-invite':
        await tx.update(orgInvitations).set({ revokedAt: new Date() }).where(and(eq(orgInvitations.id, link.body.inviteId), eq(orgInvitations.orgId, orgId)));
        break;
      case 'add': {
        const { inviteId, userId, userSigningKey, userEncryptionKey, acceptanceHash } = link.body;
        const [accepted] = await tx.select().from(orgAcceptances).where(and(eq(orgAcceptances.inviteId, inviteId), eq(orgAcceptances.orgId, orgId)));
        const [invitee] = await tx.select({ signingPublicKey: users.signingPublicKey, encryptionPublicKey: users.encryptionPublicKey, deletedAt: users.deletedAt }).from(users).where(eq(users.id, userId));
        if (!accepted || accepted.userId !== userId || (await hashAcceptance(accepted.acceptance as never)) !== acceptanceHash) refuse('add does not match the stored acceptance.');
        if (!invitee?.signingPublicKey || invitee.deletedAt || b64(invitee.signingPublicKey) !== userSigningKey || b64(invitee.encryptionPublicKey!) !== userEncryptionKey) refuse('add names other keys than the invitee publishes.');
        const grant = grantsFor(state.epoch).find((g) => g.userId === userId);
        if (!grant) refuse('the new member’s org secret grant is missing.');
        const cert = await takeCertificate(userId, state.epoch);
        await tx.insert(memberships).values({ orgId, userId, role: link.body.role, keyVersion: state.epoch, certificate: cert.certificate, certificateSignature: cert.certificateSignature });
        await tx.insert(orgSecretGrants).values({ orgId, epoch: state.epoch, userId, sealedOrgSecret: bytes(grant!.sealedOrgSecret) });
        await tx.update(orgInvitations).set({ usedAt: new Date() }).where(eq(orgInvitations.id, inviteId));
        await tx.delete(orgFormerMembers).where(and(eq(orgFormerMembers.orgId, orgId), eq(orgFormerMembers.userId, userId)));
        break;
      }
      case 'claim': {
        const { userId, userSigningKey, userEncryptionKey } = link.body;
        if (userId !== session.userId || userSigningKey !== b64(me.signingPublicKey) || userEncryptionKey !== b64(me.encryptionPublicKey)) refuse('claim names other keys than yours.');
        const cert = await takeCertificate(userId, state.epoch);
        await tx.insert(memberships).values({ orgId, userId, role: 'owner', keyVersion: state.epoch, certificate: cert.certificate, certificateSignature: cert.certificateSignature });
        break;
      }
      case 'provisional':
        return refuse('a provisional organization starts with its supplier’s request.');
      case 'role': {
        const cert = await takeCertificate(link.body.userId, state.epoch);
        await tx.update(memberships).set({ role: link.body.role, keyVersion: state.epoch, certificate: cert.certificate, certificateSignature: cert.certificateSignature }).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, link.body.userId)));
        break;
      }
      case 'remove':
        await tx.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, link.body.userId)));
        await tx.delete(orgSecretGrants).where(and(eq(orgSecretGrants.orgId, orgId), eq(orgSecretGrants.userId, link.body.userId)));
        await tx.delete(orgAcceptances).where(and(eq(orgAcceptances.orgId, orgId), eq(orgAcceptances.userId, link.body.userId)));
        break;
      case 'rotate': {
        const { epoch, encryptionPublicKey, signingPublicKey, prevEpoch, successionSignature } = link.body;
        if (!input.rotation) return refuse('a rotation needs the new epoch’s sealed keys.');
        if (prevEpoch !== org.currentKeyVersion) refuse('the rotation does not continue the published keys.');
        // OS' is sealed to exactly the remaining members: no one else, and no one left out.
        const grants = grantsFor(epoch);
        const holders = new Set(grants.map((g) => g.userId));
        if (holders.size !== grants.length || holders.size !== state.members.size || [...state.members.keys()].some((id) => !holders.has(id))) refuse('the new org secret must be sealed to exactly the remaining members.');
        await tx.insert(orgKeys).values({ orgId, version: epoch, encryptionPublicKey: bytes(encryptionPublicKey), signingPublicKey: bytes(signingPublicKey), wrappedPrivateKeys: bytes(input.rotation.wrappedPrivateKeys), wrappedPreviousSecret: bytes(input.rotation.wrappedPreviousSecret) });
        await tx.insert(orgSecretGrants).values(grants.map((g) => ({ orgId, epoch, userId: g.userId, sealedOrgSecret: bytes(g.sealedOrgSecret) })));
        await tx.insert(orgSuccessions).values({ orgId, epoch, record: { v: 1, orgId, epoch, prevEpoch, encryptionPublicKey, signingPublicKey }, signature: successionSignature });
        for (const member of state.members.values()) {
          const cert = await takeCertificate(member.userId, epoch);
          await tx.update(memberships).set({ role: member.role, keyVersion: epoch, certificate: cert.certificate, certificateSignature: cert.certificateSignature }).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, member.userId)));
        }
        // Everyone removed so far is certified anew under the new key as a former member, so what
        // they signed while members keeps verifying for readers who follow the org to this epoch.
        for (const former of state.former.values()) {
          const cert = await takeCertificate(former.userId, epoch);
          const row = { removedAt: new Date(former.removedAt), keyVersion: epoch, certificate: cert.certificate, certificateSignature: cert.certificateSignature };
          await tx.insert(orgFormerMembers).values({ orgId, userId: former.userId, ...row }).onConflictDoUpdate({ target: [orgFormerMembers.orgId, orgFormerMembers.userId], set: row });
        }
        await tx.update(organizations).set({ currentKeyVersion: epoch }).where(eq(organizations.id, orgId));
        break;
      }
    }
  }
  if (input.certificates.some((c) => !certificatesUsed.has(c.certificate.userId))) refuse('a certificate was sent that no link needs.');
  if (state.epoch === epochBefore && input.grants.some((g) => !links.some(({ link }) => link.type === 'add' && link.body.userId === g.userId))) refuse('a grant was sent that no link needs.');

  await noticeOfChange(tx, orgId, session.userId, links, ['add', 'role']);
  for (const signed of links) {
    await tx.insert(orgChainLinks).values({ orgId, seq: signed.link.seq, type: signed.link.type, link: signed.link, signature: signed.signature, orgSignature: signed.orgSignature ?? null, hash: signed === links.at(-1) ? state.headHash : await hashLink(signed.link) });
    await recordAudit({ ...auditFor(signed.link), outcome: 'success', actorUserId: session.userId, credentialId: session.credentialId, objectType: 'organization', objectId: orgId }, context, tx);
  }
  return { seq: state.seq, headHash: state.headHash };
}

/** Tells the org's members but the actor by e-mail who joined, changed role or was removed (names and roles only). */
async function noticeOfChange(tx: Transaction, orgId: string, actorUserId: string, links: SignedChainLink[], types: ChainLink['type'][]): Promise<void> {
  links = links.filter(({ link }) => types.includes(link.type));
  if (!links.length) return;
  const ids = [actorUserId, ...links.flatMap(({ link }) => ('userId' in link.body && link.type !== 'create' ? [link.body.userId as string] : []))];
  const rows = await tx.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, ids));
  const name = (id: string) => (rows.find((r) => r.id === id)?.displayName ?? 'A user').replace(/[\r\n\t]+/g, ' ').slice(0, 120);
  const actor = name(actorUserId);
  for (const { link } of links) {
    if (link.type === 'add') await enqueueMembershipNotice(tx, orgId, actorUserId, `${actor} confirmed ${name(link.body.userId)} as a new ${link.body.role}`);
    if (link.type === 'role') await enqueueMembershipNotice(tx, orgId, actorUserId, `${actor} changed the role of ${name(link.body.userId)} to ${link.body.role}`);
    if (link.type === 'remove') await enqueueMembershipNotice(tx, orgId, actorUserId, `${actor} removed ${name(link.body.userId)} from the organization, and its keys were rotated`);
  }
}

/** Open invitations of an org, for its members page. */
export async function openInvitations(executor: Pick<Transaction, 'select'>, orgId: string) {
  return executor
    .select({ inviteId: orgInvitations.id, role: orgInvitations.role, createdBy: orgInvitations.createdBy, createdByName: users.displayName, createdAt: orgInvitations.createdAt, expiresAt: orgInvitations.expiresAt })
    .from(orgInvitations)
    .innerJoin(users, eq(users.id, orgInvitations.createdBy))
    .where(and(eq(orgInvitations.orgId, orgId), isNull(orgInvitations.revokedAt), isNull(orgInvitations.usedAt)))
    .orderBy(asc(orgInvitations.createdAt));
}

export async function grantHolders(executor: Pick<Transaction, 'select'>, orgId: string, epoch: number): Promise<string[]> {
  const rows = await executor.select({ userId: orgSecretGrants.userId }).from(orgSecretGrants).where(and(eq(orgSecretGrants.orgId, orgId), eq(orgSecretGrants.epoch, epoch)));
  return rows.map((r) => r.userId);
}
