import { signMembershipCertificate, type MembershipCertificate } from '@/lib/crypto/certificate';
import { fromBase64Url, toBase64Url } from '@/lib/crypto/encoding';
import { generateKeyPairs, wrapPrivateKeys } from '@/lib/crypto/keys';
import {
  deriveInviteKeyPair,
  emptyChainHead,
  generateInviteSecret,
  generateOrgSecret,
  hashAcceptance,
  hashLink,
  importOrgSecret,
  nextLink,
  orgPrivateKeysAad,
  sealOrgSecretToMember,
  sealPreviousEpochSecret,
  signAcceptance,
  signCreateWithOrgKey,
  signLink,
  signSuccession,
  verifyAcceptance,
  type Acceptance,
  type ChainBodies,
  type ChainLink,
  type ChainLinkType,
  type ChainState,
  type SignedAcceptance,
  type SignedChainLink,
  type SuccessionRecord,
} from '@/lib/crypto/org';
import { englishT, type MessageKey } from '@/lib/shared/i18n';
import type { OrgRole } from '@/lib/shared/roles';
import { INVITATION_DEFAULT_DAYS } from '@/lib/shared/roles';
import type { AcceptInvitationRequest, AppendChainRequest, InvitationDto, PendingAcceptanceDto } from '@/lib/shared/schemas/org';
import type { UnlockedAccount, UnlockedOrg } from './account';

/**
 * Membership changes made in the browser (DESIGN §3.3): each returns the signed request the server
 * stores; none sends anything. Every link continues the chain state this client replayed itself,
 * so a server that serves another head gets a link it cannot append.
 */

type Signer = Pick<UnlockedAccount, 'userId' | 'keys'>;

async function sign<T extends ChainLinkType>(account: Signer, head: Pick<ChainState, 'orgId' | 'seq' | 'headHash'>, type: T, body: ChainBodies[T]): Promise<SignedChainLink> {
  const link = (await nextLink(head, type, body, { userId: account.userId, signingPublicKey: account.keys.signingPublicKey })) as ChainLink;
  return { link, signature: await signLink(account.keys.signingPrivateKey, link) };
}

async function headAfter(state: Pick<ChainState, 'orgId' | 'seq' | 'headHash'>, signed: SignedChainLink): Promise<Pick<ChainState, 'orgId' | 'seq' | 'headHash'>> {
  return { orgId: state.orgId, seq: signed.link.seq, headHash: await hashLink(signed.link) };
}

/** The `create` link for an org made before chains existed, by its sole owner (DESIGN §3.3). */
export async function buildGenesis(account: Signer, org: Pick<UnlockedOrg, 'orgId' | 'keys'>): Promise<AppendChainRequest> {
  const link = (await nextLink(emptyChainHead(org.orgId), 'create', {
    epoch: 1,
    encryptionPublicKey: toBase64Url(org.keys.encryptionPublicKey),
    signingPublicKey: toBase64Url(org.keys.signingPublicKey),
    userId: account.userId,
    userSigningKey: toBase64Url(account.keys.signingPublicKey),
    userEncryptionKey: toBase64Url(account.keys.encryptionPublicKey),
  }, { userId: account.userId, signingPublicKey: account.keys.signingPublicKey })) as ChainLink;
  return {
    links: [{ link, signature: await signLink(account.keys.signingPrivateKey, link), orgSignature: await signCreateWithOrgKey(org.keys.signingPrivateKey, link as ChainLink<'create'>) }],
    grants: [],
    certificates: [],
  };
}

export interface NewInvitation {
  request: AppendChainRequest;
  inviteId: string;
  /** The path and fragment to hand over: `/join/<id>#<secret>`; the fragment never reaches the server. */
  path: string;
}

export async function buildInvitation(account: Signer, state: ChainState, role: OrgRole, days = INVITATION_DEFAULT_DAYS): Promise<NewInvitation> {
  const inviteId = globalThis.crypto.randomUUID();
  const secret = generateInviteSecret();
  const inviteKey = await deriveInviteKeyPair(secret, state.orgId, inviteId);
  const expiresAt = new Date(Date.now() + days * 24 * 60 * 60 * 1000).toISOString();
  const link = await sign(account, state, 'invite', { inviteId, invitePublicKey: toBase64Url(inviteKey.publicKey), role, expiresAt });
  const path = `/join/${inviteId}#${toBase64Url(secret)}`;
  secret.fill(0);
  return { request: { links: [link], grants: [], certificates: [] }, inviteId, path };
}

export async function buildRevokeInvitation(account: Signer, state: ChainState, inviteId: string): Promise<AppendChainRequest> {
  return { links: [await sign(account, state, 'revoke-invite', { inviteId })], grants: [], certificates: [] };
}

/** Parses the fragment of a join link: 32 bytes of base64url, or null. */
export function parseInviteSecret(fragment: string): Uint8Array | null {
  try {
    const secret = fromBase64Url(fragment.replace(/^#/, ''));
    return secret.length === 32 ? secret : null;
  } catch {
    return null;
  }
}

/**
 * The invitee's acceptance, signed with the key derived from the link's secret and with its own
 * key. The derived public key must be the one the server says the invitation has; the chain's
 * `invite` link is what an owner/admin checks it against later.
 */
export async function buildAcceptance(account: Signer, invitation: Pick<InvitationDto, 'inviteId' | 'orgId' | 'invitePublicKey'>, secret: Uint8Array): Promise<AcceptInvitationRequest> {
  const inviteKey = await deriveInviteKeyPair(secret, invitation.orgId, invitation.inviteId);
  if (toBase64Url(inviteKey.publicKey) !== invitation.invitePublicKey) throw new Error('This link’s secret does not belong to this invitation. Open the complete link you were given.');
  const acceptance: Acceptance = {
    v: 1,
    orgId: invitation.orgId,
    inviteId: invitation.inviteId,
    userId: account.userId,
    userSigningKey: toBase64Url(account.keys.signingPublicKey),
    userEncryptionKey: toBase64Url(account.keys.encryptionPublicKey),
    createdAt: new Date().toISOString(),
  };
  return signAcceptance(acceptance, inviteKey.privateKey, account.keys.signingPrivateKey);
}

export type AcceptanceVerdict = { ok: true } | { ok: false; reason: MessageKey };

/**
 * Checks an acceptance the server says is waiting against the replayed chain: an open, unexpired
 * `invite` link for it, both signatures (the invitation key proves the link's secret), and the
 * keys the acceptance names are the ones the server publishes for that user.
 */
export async function checkAcceptance(state: ChainState, pending: PendingAcceptanceDto): Promise<AcceptanceVerdict> {
  const { acceptance } = pending;
  const invite = state.invites.get(acceptance.inviteId);
  if (!invite) return { ok: false, reason: 'members.check_no_invite' };
  if (invite.state !== 'open') return { ok: false, reason: 'members.check_invite_state' };
  if (Date.parse(invite.expiresAt) <= Date.now()) return { ok: false, reason: 'members.check_expired' };
  if (acceptance.orgId !== state.orgId) return { ok: false, reason: 'members.check_other_org' };
  if (state.members.has(acceptance.userId)) return { ok: false, reason: 'members.check_already' };
  if (!(await verifyAcceptance(invite.invitePublicKey, pending as SignedAcceptance))) return { ok: false, reason: 'members.check_signature' };
  if (pending.signingPublicKey !== acceptance.userSigningKey || pending.encryptionPublicKey !== acceptance.userEncryptionKey) return { ok: false, reason: 'members.check_keys' };
  return { ok: true };
}

async function certificateFor(org: Pick<UnlockedOrg, 'orgId' | 'keys'>, epoch: number, member: { userId: string; signingKey: string; encryptionKey: string; role: OrgRole; removedAt?: string }, signingKey: CryptoKey = org.keys.signingPrivateKey) {
  const certificate: MembershipCertificate = { v: 1, orgId: org.orgId, userId: member.userId, userSigningKey: member.signingKey, userEncryptionKey: member.encryptionKey, role: member.role, version: epoch, issuedAt: new Date().toISOString() };
  if (member.removedAt !== undefined) certificate.removedAt = member.removedAt;
  return { certificate, certificateSignature: await signMembershipCertificate(signingKey, certificate) };
}

/**
 * Confirms a checked acceptance: seals OS to the invitee's key (the one the acceptance names, which
 * both signatures cover), certifies it with the org key, and appends `add` bound to the acceptance.
 */
export async function buildConfirmation(account: Signer, org: UnlockedOrg, state: ChainState, pending: PendingAcceptanceDto): Promise<AppendChainRequest> {
  const verdict = await checkAcceptance(state, pending);
  if (!verdict.ok) throw new Error(englishT(verdict.reason));
  const { acceptance } = pending;
  const invite = state.invites.get(acceptance.inviteId)!;
  const member = { userId: acceptance.userId, signingKey: acceptance.userSigningKey, encryptionKey: acceptance.userEncryptionKey, role: invite.role };
  const link = await sign(account, state, 'add', {
    inviteId: acceptance.inviteId,
    userId: acceptance.userId,
    userSigningKey: acceptance.userSigningKey,
    userEncryptionKey: acceptance.userEncryptionKey,
    role: invite.role,
    acceptanceHash: await hashAcceptance(acceptance),
  });
  const sealed = await sealOrgSecretToMember(org.orgSecret, fromBase64Url(acceptance.userEncryptionKey), { orgId: org.orgId, userId: acceptance.userId, version: state.epoch });
  return {
    links: [link],
    grants: [{ userId: acceptance.userId, epoch: state.epoch, sealedOrgSecret: toBase64Url(sealed) }],
    certificates: [await certificateFor(org, state.epoch, member)],
  };
}

export async function buildRoleChange(account: Signer, org: UnlockedOrg, state: ChainState, userId: string, role: OrgRole): Promise<AppendChainRequest> {
  const member = state.members.get(userId);
  if (!member) throw new Error('No such member.');
  return { links: [await sign(account, state, 'role', { userId, role })], grants: [], certificates: [await certificateFor(org, state.epoch, { ...member, role })] };
}

/**
 * Removes a member and rotates in one request (DESIGN §3.3): a fresh OS' and key pairs, OS' sealed
 * to each remaining member's chain key, the old OS sealed under OS' (the epoch chain), the new keys
 * signed by the old org key (succession), and new certificates under the new org key, for the
 * remaining members and, saying until when, for every former one.
 */
export async function buildRemoval(account: Signer, org: UnlockedOrg, state: ChainState, userId: string): Promise<AppendChainRequest> {
  if (!state.members.has(userId)) throw new Error('No such member.');
  if (userId === account.userId) throw new Error('You cannot remove yourself; ask another owner or admin.');
  const remove = await sign(account, state, 'remove', { userId });
  const epoch = state.epoch + 1;
  const newSecret = generateOrgSecret();
  const newKeys = await generateKeyPairs();
  const record: SuccessionRecord = { v: 1, orgId: org.orgId, epoch, prevEpoch: state.epoch, encryptionPublicKey: toBase64Url(newKeys.encryptionPublicKey), signingPublicKey: toBase64Url(newKeys.signingPublicKey) };
  const rotate = await sign(account, await headAfter(state, remove), 'rotate', {
    epoch,
    prevEpoch: state.epoch,
    encryptionPublicKey: record.encryptionPublicKey,
    signingPublicKey: record.signingPublicKey,
    successionSignature: await signSuccession(org.keys.signingPrivateKey, record),
  });
  const remaining = [...state.members.values()].filter((m) => m.userId !== userId);
  const grants = await Promise.all(
    remaining.map(async (m) => ({ userId: m.userId, epoch, sealedOrgSecret: toBase64Url(await sealOrgSecretToMember(newSecret, fromBase64Url(m.encryptionKey), { orgId: org.orgId, userId: m.userId, version: epoch })) })),
  );
  // Everyone removed, now and before, is certified anew as a former member under the new key: what
  // they signed while members keeps verifying, and nothing they sign after their removal does.
  const former = [...state.former.values(), { ...state.members.get(userId)!, removedAt: remove.link.createdAt }];
  const certificates = await Promise.all([...remaining, ...former].map((m) => certificateFor(org, epoch, m, newKeys.signingPrivateKey)));
  const request: AppendChainRequest = {
    links: [remove, rotate],
    grants,
    certificates,
    rotation: {
      wrappedPrivateKeys: toBase64Url(await wrapPrivateKeys(await importOrgSecret(newSecret, { orgId: org.orgId, version: epoch }), newKeys, orgPrivateKeysAad(org.orgId, epoch))),
      wrappedPreviousSecret: toBase64Url(await sealPreviousEpochSecret(newSecret, org.orgSecret, { orgId: org.orgId, epoch })),
    },
  };
  newSecret.fill(0);
  return request;
}
