import 'server-only';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { verifyAcceptance, type SignedAcceptance } from '@/lib/crypto/verify';
import { memberships, orgAcceptances, orgInvitations, organizations, orgKeys, sessions, users } from '@/lib/db/schema';
import type { AcceptInvitationRequest, AppendChainRequest, InvitationDto, OrgEpochDto, OrgMembersDto } from '@/lib/shared/schemas/org';
import { recordAudit } from './audit';
import { db } from './db';
import { enqueueMembershipNotice } from './notifications';
import { AppError } from './errors';
import type { RequestContext } from './http';
import { appendChainLinks, grantHolders, loadChain, openInvitations } from './org-chain';
import { requireRole } from './orgs';
import type { CurrentSession } from './sessions';

const b64 = (data: Uint8Array): string => Buffer.from(data).toString('base64url');

/** The members page's data, for any member: the chain to replay, who holds grants, what is pending. */
export async function orgMembers(session: CurrentSession, orgId: string): Promise<OrgMembersDto> {
  await requireRole(session, orgId, 'invoice.read');
  const [org] = await db().select({ name: organizations.name, currentEpoch: organizations.currentKeyVersion }).from(organizations).where(eq(organizations.id, orgId));
  if (!org) throw new AppError('not_found', 'org_not_found');
  const [chain, members, invitations, acceptances, holders] = await Promise.all([
    loadChain(db(), orgId),
    db()
      .select({ userId: users.id, displayName: users.displayName, email: users.email, role: memberships.role, joinedAt: memberships.createdAt, signingPublicKey: users.signingPublicKey, encryptionPublicKey: users.encryptionPublicKey })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.orgId, orgId))
      .orderBy(asc(memberships.createdAt)),
    openInvitations(db(), orgId),
    db()
      .select({ row: orgAcceptances, displayName: users.displayName, email: users.email, signingPublicKey: users.signingPublicKey, encryptionPublicKey: users.encryptionPublicKey })
      .from(orgAcceptances)
      .innerJoin(users, eq(users.id, orgAcceptances.userId))
      // Only acceptances still waiting: a used (confirmed) or revoked invitation's acceptance is history.
      .innerJoin(orgInvitations, and(eq(orgInvitations.id, orgAcceptances.inviteId), isNull(orgInvitations.usedAt), isNull(orgInvitations.revokedAt)))
      .where(eq(orgAcceptances.orgId, orgId))
      .orderBy(asc(orgAcceptances.createdAt)),
    grantHolders(db(), orgId, org.currentEpoch),
  ]);
  return {
    orgId,
    name: org.name,
    currentEpoch: org.currentEpoch,
    chain,
    members: members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString(), signingPublicKey: b64(m.signingPublicKey!), encryptionPublicKey: b64(m.encryptionPublicKey!) })),
    invitations: invitations.map((i) => ({ ...i, createdAt: i.createdAt.toISOString(), expiresAt: i.expiresAt.toISOString() })),
    acceptances: acceptances.map(({ row, ...user }) => ({
      acceptance: row.acceptance as AcceptInvitationRequest['acceptance'],
      inviteSignature: row.inviteSignature,
      userSignature: row.userSignature,
      displayName: user.displayName,
      email: user.email,
      signingPublicKey: b64(user.signingPublicKey!),
      encryptionPublicKey: b64(user.encryptionPublicKey!),
    })),
    grantHolders: holders,
  };
}

/** Every epoch's public keys, sealed private keys and epoch-chain link, for a member's unlock. */
export async function orgEpochs(session: CurrentSession, orgId: string): Promise<OrgEpochDto[]> {
  await requireRole(session, orgId, 'invoice.read');
  const rows = await db().select().from(orgKeys).where(eq(orgKeys.orgId, orgId)).orderBy(asc(orgKeys.version));
  return rows.map((r) => ({
    epoch: r.version,
    encryptionPublicKey: b64(r.encryptionPublicKey),
    signingPublicKey: b64(r.signingPublicKey),
    wrappedPrivateKeys: b64(r.wrappedPrivateKeys),
    wrappedPreviousSecret: r.wrappedPreviousSecret ? b64(r.wrappedPreviousSecret) : null,
  }));
}

export async function appendToChain(session: CurrentSession, orgId: string, input: AppendChainRequest, context: RequestContext): Promise<{ seq: number; headHash: string }> {
  return db().transaction((tx) => appendChainLinks(tx, session, orgId, input, context));
}

function invitationState(row: { expiresAt: Date; revokedAt: Date | null; usedAt: Date | null }): InvitationDto['state'] {
  if (row.usedAt) return 'used';
  if (row.revokedAt) return 'revoked';
  return row.expiresAt.getTime() <= Date.now() ? 'expired' : 'open';
}

/**
 * What a join link's page shows. The invitation id is 122 random bits, so knowing it is what lets
 * one see the org's name and the role; the secret that proves the invitation is not involved.
 */
export async function getInvitation(session: CurrentSession | null, inviteId: string): Promise<InvitationDto> {
  const [row] = await db()
    .select({ invitation: orgInvitations, orgName: organizations.name })
    .from(orgInvitations)
    .innerJoin(organizations, eq(organizations.id, orgInvitations.orgId))
    .where(eq(orgInvitations.id, inviteId));
  if (!row) throw new AppError('not_found', 'invitation_not_found');
  const { invitation } = row;
  let accepted = false;
  let member = false;
  if (session) {
    const [mine] = await db().select({ userId: orgAcceptances.userId }).from(orgAcceptances).where(and(eq(orgAcceptances.inviteId, inviteId), eq(orgAcceptances.userId, session.userId)));
    const [membership] = await db().select({ role: memberships.role }).from(memberships).where(and(eq(memberships.orgId, invitation.orgId), eq(memberships.userId, session.userId)));
    accepted = !!mine;
    member = !!membership;
  }
  return {
    inviteId,
    orgId: invitation.orgId,
    orgName: row.orgName,
    role: invitation.role,
    invitePublicKey: invitation.invitePublicKey,
    expiresAt: invitation.expiresAt.toISOString(),
    state: invitationState(invitation),
    accepted,
    member,
  };
}

/**
 * Stores an invitee's acceptance after checking both signatures: the invitation key (proof that
 * the caller holds the link's secret) and the caller's own published key. It grants nothing: an
 * owner or admin must still confirm it from their browser, which appends `add`.
 */
export async function acceptInvitation(session: CurrentSession, inviteId: string, input: AcceptInvitationRequest, context: RequestContext): Promise<void> {
  const { acceptance } = input;
  await db().transaction(async (tx) => {
    const [invitation] = await tx.select().from(orgInvitations).where(eq(orgInvitations.id, inviteId)).for('update');
    if (!invitation) throw new AppError('not_found', 'invitation_not_found');
    const state = invitationState(invitation);
    if (state !== 'open') throw new AppError('conflict', state === 'expired' ? 'invitation_expired' : state === 'used' ? 'invitation_used' : 'invitation_revoked');
    const [me] = await tx.select({ signingPublicKey: users.signingPublicKey, encryptionPublicKey: users.encryptionPublicKey }).from(users).where(eq(users.id, session.userId));
    if (acceptance.inviteId !== inviteId || acceptance.orgId !== invitation.orgId || acceptance.userId !== session.userId) throw new AppError('bad_request', 'acceptance_mismatch');
    if (!me?.signingPublicKey || b64(me.signingPublicKey) !== acceptance.userSigningKey || b64(me.encryptionPublicKey!) !== acceptance.userEncryptionKey) throw new AppError('bad_request', 'acceptance_keys_mismatch');
    if (!(await verifyAcceptance(invitation.invitePublicKey, input as SignedAcceptance))) throw new AppError('bad_request', 'acceptance_signature_invalid');
    const [already] = await tx.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.orgId, invitation.orgId), eq(memberships.userId, session.userId)));
    if (already) throw new AppError('conflict', 'already_member');
    const [existing] = await tx.select({ userId: orgAcceptances.userId }).from(orgAcceptances).where(eq(orgAcceptances.inviteId, inviteId));
    if (existing) {
      if (existing.userId !== session.userId) throw new AppError('conflict', 'invitation_taken');
      return;
    }
    await tx.insert(orgAcceptances).values({ inviteId, orgId: invitation.orgId, userId: session.userId, acceptance, inviteSignature: input.inviteSignature, userSignature: input.userSignature });
    const [joiner] = await tx.select({ displayName: users.displayName }).from(users).where(eq(users.id, session.userId));
    await enqueueMembershipNotice(tx, invitation.orgId, session.userId, `${(joiner?.displayName ?? 'A user').replace(/[\r\n\t]+/g, ' ').slice(0, 120)} accepted an invitation and waits for an owner or admin to confirm them on the Members page`);
    await recordAudit({ action: 'org.invitation_accepted', outcome: 'success', actorUserId: session.userId, credentialId: session.credentialId, objectType: 'organization', objectId: invitation.orgId, reason: `invite:${inviteId}` }, context, tx);
  });
}

/** The invitations this user accepted and that are still waiting for confirmation. */
export async function pendingJoins(session: CurrentSession): Promise<{ inviteId: string; orgId: string; orgName: string }[]> {
  return db()
    .select({ inviteId: orgAcceptances.inviteId, orgId: orgAcceptances.orgId, orgName: organizations.name })
    .from(orgAcceptances)
    .innerJoin(organizations, eq(organizations.id, orgAcceptances.orgId))
    .innerJoin(orgInvitations, and(eq(orgInvitations.id, orgAcceptances.inviteId), isNull(orgInvitations.usedAt), isNull(orgInvitations.revokedAt)))
    .where(eq(orgAcceptances.userId, session.userId));
}

/** The org this session acts for; a non-member org is refused like any other. */
export async function setActiveOrg(session: CurrentSession, orgId: string): Promise<void> {
  await requireRole(session, orgId, 'invoice.read');
  await db().update(sessions).set({ activeOrgId: orgId }).where(eq(sessions.id, session.sessionId));
}

/** The org the session chose last (the switcher), if any; the client checks it is one of its own. */
export async function sessionActiveOrg(session: CurrentSession): Promise<string | null> {
  const [row] = await db().select({ activeOrgId: sessions.activeOrgId }).from(sessions).where(eq(sessions.id, session.sessionId));
  return row?.activeOrgId ?? null;
}
