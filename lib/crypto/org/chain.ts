import canonicalize from 'canonicalize';
import { can, isOrgRole, type OrgRole } from '@/lib/shared/roles';
import { domainLabel } from '../domain';
import { fromBase64Url, toBase64Url, utf8Encode, type Bytes } from '../encoding';
import { computeKeyId } from '../envelope/manifest';
import { sha256 } from '../kdf';
import { signWithContext, verifyWithContext } from '../sign';
import { verifySuccession, type SuccessionRecord } from './succession';

/**
 * The membership chain (DESIGN §3.3): an org's signed, append-only list of membership statements.
 * Every member's client replays it as the only source of truth for who is a member with which
 * keys. The server stores links and checks what it can, but cannot make one: each is signed by an
 * owner's or admin's own Ed25519 key, which only their browser holds.
 */
export const CHAIN_LINK_VERSION = 1;
export const CHAIN_CONTEXT = domainLabel('org-chain');
/** The `create` link is also signed by the org signing key of epoch 1, under its own context. */
export const CHAIN_CREATE_ORG_CONTEXT = domainLabel('org-chain-create');
/**
 * A provisional org's first link (DESIGN §11) is signed by its own org signing key and no user; its
 * `claim` link by the claimant's key and, under this context, by that org key too.
 */
export const CHAIN_PROVISIONAL_CONTEXT = domainLabel('org-chain-provisional');
export const CHAIN_CLAIM_ORG_CONTEXT = domainLabel('org-chain-claim');
/** prevHash of seq 0: 32 zero bytes. */
export const GENESIS_PREV_HASH = toBase64Url(new Uint8Array(32));

export const CHAIN_LINK_TYPES = ['create', 'invite', 'revoke-invite', 'add', 'role', 'remove', 'rotate', 'provisional', 'claim'] as const;
export type ChainLinkType = (typeof CHAIN_LINK_TYPES)[number];

/** Keys are base64url strings throughout, as they travel in JSON. */
export interface ChainBodies {
  create: { epoch: 1; encryptionPublicKey: string; signingPublicKey: string; userId: string; userSigningKey: string; userEncryptionKey: string };
  invite: { inviteId: string; invitePublicKey: string; role: OrgRole; expiresAt: string };
  'revoke-invite': { inviteId: string };
  /** `acceptanceHash` binds the add to the acceptance the confirming client verified. */
  add: { inviteId: string; userId: string; userSigningKey: string; userEncryptionKey: string; role: OrgRole; acceptanceHash: string };
  role: { userId: string; role: OrgRole };
  remove: { userId: string };
  /** The new epoch's public keys with the succession signature of the previous org signing key. */
  rotate: { epoch: number; prevEpoch: number; encryptionPublicKey: string; signingPublicKey: string; successionSignature: string };
  /**
   * Seq 0 of an org a supplier made for a customer with no account (DESIGN §11): its epoch-1 keys
   * and the supplier that made it. `signerUserId` is the org's own id: no user signs it.
   */
  provisional: { epoch: 1; encryptionPublicKey: string; signingPublicKey: string; supplierOrgId: string };
  /** The claimant becomes the first owner; a `rotate` by the claimant must follow at once. */
  claim: { userId: string; userSigningKey: string; userEncryptionKey: string };
}

export type ChainLink<T extends ChainLinkType = ChainLinkType> = {
  [K in T]: {
    v: 1;
    orgId: string;
    seq: number;
    prevHash: string;
    type: K;
    body: ChainBodies[K];
    signerUserId: string;
    signerKeyId: string;
    createdAt: string;
  };
}[T];

/** A link as stored: the signer's signature, and for `create` also the org key's. */
export interface SignedChainLink {
  link: ChainLink;
  signature: string;
  orgSignature?: string | null;
}

export interface ChainMember {
  userId: string;
  role: OrgRole;
  signingKey: string;
  encryptionKey: string;
  /** Seq of the link that made this user a member (create or add). */
  since: number;
}

export interface ChainInvite {
  inviteId: string;
  invitePublicKey: string;
  role: OrgRole;
  expiresAt: string;
  createdBy: string;
  seq: number;
  state: 'open' | 'used' | 'revoked';
}

export interface EpochKeys {
  encryptionPublicKey: string;
  signingPublicKey: string;
}

/** What a replay yields: the verified membership at the head of the chain. */
export interface ChainState {
  orgId: string;
  /** Seq and hash of the last link: the head kept in the keyring and the device mark (§3.4). */
  seq: number;
  headHash: string;
  epoch: number;
  epochs: Record<number, EpochKeys>;
  members: Map<string, ChainMember>;
  invites: Map<string, ChainInvite>;
  /** Users removed at some point (by seq), for the history. */
  removed: Map<string, number>;
  /**
   * Removed users not added again, with the keys and role they had and the time of their `remove`:
   * each rotation certifies them anew as former members, so what they signed before still verifies.
   */
  former: Map<string, ChainFormerMember>;
  /** For a provisional org: the supplier that made it, and whether it is still unclaimed. */
  provisional: { supplierOrgId: string; claimed: boolean } | null;
}

export interface ChainFormerMember extends ChainMember {
  /** The `remove` link's time; a former member's certificate covers nothing signed later. */
  removedAt: string;
}

export type ChainFailure =
  | 'bad_format'
  | 'bad_seq'
  | 'bad_prev_hash'
  | 'bad_signature'
  | 'not_authorized'
  | 'bad_body'
  | 'missing_rotate'
  | 'bad_succession'
  | 'empty';

/** Why a chain was refused, and at which link: shown to the user as a blocking warning. */
export class ChainError extends Error {
  readonly reason: ChainFailure;
  readonly seq: number;

  constructor(reason: ChainFailure, seq: number, message: string) {
    super(`membership chain refused at link ${seq}: ${message}`);
    this.name = 'ChainError';
    this.reason = reason;
    this.seq = seq;
  }
}

/** RFC 8785 JCS of the link: what is signed and what the next link's prevHash hashes. */
export function canonicalLinkBytes(link: ChainLink): Bytes {
  const json = canonicalize(link);
  if (json === undefined) throw new Error('chain link is not JSON-serializable');
  return utf8Encode(json);
}

/** prevHash of the next link: base64url(SHA-256(JCS(link))). */
export async function hashLink(link: ChainLink): Promise<string> {
  return toBase64Url(await sha256(canonicalLinkBytes(link)));
}

export async function signLink(userSigningPrivateKey: CryptoKey, link: ChainLink): Promise<string> {
  return toBase64Url(await signWithContext(userSigningPrivateKey, CHAIN_CONTEXT, canonicalLinkBytes(link)));
}

export async function signCreateWithOrgKey(orgSigningPrivateKey: CryptoKey, link: ChainLink<'create'>): Promise<string> {
  return toBase64Url(await signWithContext(orgSigningPrivateKey, CHAIN_CREATE_ORG_CONTEXT, canonicalLinkBytes(link)));
}

/** A provisional org's seq 0 is signed by its own org signing key alone (DESIGN §11). */
export async function signProvisionalLink(orgSigningPrivateKey: CryptoKey, link: ChainLink<'provisional'>): Promise<string> {
  return toBase64Url(await signWithContext(orgSigningPrivateKey, CHAIN_PROVISIONAL_CONTEXT, canonicalLinkBytes(link)));
}

/** The claimant's second signature on `claim`, with the provisional org key only the claim secret opens. */
export async function signClaimWithOrgKey(orgSigningPrivateKey: CryptoKey, link: ChainLink<'claim'>): Promise<string> {
  return toBase64Url(await signWithContext(orgSigningPrivateKey, CHAIN_CLAIM_ORG_CONTEXT, canonicalLinkBytes(link)));
}

async function verifyB64(publicKey: string, context: string, message: Bytes, signature: string): Promise<boolean> {
  try {
    return await verifyWithContext(fromBase64Url(publicKey), context, message, fromBase64Url(signature));
  } catch {
    return false;
  }
}

/** Checks one link's signature against a signing key (the server does this on append). */
export async function verifyLinkSignature(userSigningKey: string, signed: SignedChainLink): Promise<boolean> {
  return verifyB64(userSigningKey, CHAIN_CONTEXT, canonicalLinkBytes(signed.link), signed.signature);
}

const B64_KEY = /^[A-Za-z0-9_-]{43}$/;
const isKey = (value: unknown): value is string => typeof value === 'string' && B64_KEY.test(value);
const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 64 && !value.includes('|');
const isTime = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value));

/** Exactly these keys, so a link carries nothing the signer did not mean to sign. */
function hasExactKeys(value: unknown, keys: string[]): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const own = Object.keys(value).sort();
  return own.length === keys.length && [...keys].sort().every((k, i) => own[i] === k);
}

const BODY_SHAPES: { [K in ChainLinkType]: (body: unknown) => boolean } = {
  create: (b) => hasExactKeys(b, ['epoch', 'encryptionPublicKey', 'signingPublicKey', 'userId', 'userSigningKey', 'userEncryptionKey']) && b.epoch === 1 && isKey(b.encryptionPublicKey) && isKey(b.signingPublicKey) && isId(b.userId) && isKey(b.userSigningKey) && isKey(b.userEncryptionKey),
  invite: (b) => hasExactKeys(b, ['inviteId', 'invitePublicKey', 'role', 'expiresAt']) && isId(b.inviteId) && isKey(b.invitePublicKey) && isOrgRole(b.role) && isTime(b.expiresAt),
  'revoke-invite': (b) => hasExactKeys(b, ['inviteId']) && isId(b.inviteId),
  add: (b) => hasExactKeys(b, ['inviteId', 'userId', 'userSigningKey', 'userEncryptionKey', 'role', 'acceptanceHash']) && isId(b.inviteId) && isId(b.userId) && isKey(b.userSigningKey) && isKey(b.userEncryptionKey) && isOrgRole(b.role) && isKey(b.acceptanceHash),
  role: (b) => hasExactKeys(b, ['userId', 'role']) && isId(b.userId) && isOrgRole(b.role),
  remove: (b) => hasExactKeys(b, ['userId']) && isId(b.userId),
  rotate: (b) => hasExactKeys(b, ['epoch', 'prevEpoch', 'encryptionPublicKey', 'signingPublicKey', 'successionSignature']) && Number.isInteger(b.epoch) && Number.isInteger(b.prevEpoch) && isKey(b.encryptionPublicKey) && isKey(b.signingPublicKey) && typeof b.successionSignature === 'string',
  provisional: (b) => hasExactKeys(b, ['epoch', 'encryptionPublicKey', 'signingPublicKey', 'supplierOrgId']) && b.epoch === 1 && isKey(b.encryptionPublicKey) && isKey(b.signingPublicKey) && isId(b.supplierOrgId),
  claim: (b) => hasExactKeys(b, ['userId', 'userSigningKey', 'userEncryptionKey']) && isId(b.userId) && isKey(b.userSigningKey) && isKey(b.userEncryptionKey),
};

/** Structural check of a link as served: version, fields, types, body shape. */
export function isWellFormedLink(link: unknown): link is ChainLink {
  if (!hasExactKeys(link, ['v', 'orgId', 'seq', 'prevHash', 'type', 'body', 'signerUserId', 'signerKeyId', 'createdAt'])) return false;
  const type = link.type as ChainLinkType;
  return (
    link.v === CHAIN_LINK_VERSION &&
    isId(link.orgId) &&
    Number.isInteger(link.seq) && (link.seq as number) >= 0 &&
    isKey(link.prevHash) &&
    (CHAIN_LINK_TYPES as readonly string[]).includes(type) &&
    BODY_SHAPES[type](link.body) &&
    isId(link.signerUserId) &&
    typeof link.signerKeyId === 'string' &&
    isTime(link.createdAt)
  );
}

function ownerCount(members: Map<string, ChainMember>): number {
  let owners = 0;
  for (const m of members.values()) if (m.role === 'owner') owners++;
  return owners;
}

/**
 * Replays a whole chain and returns the membership it proves, or throws a ChainError naming the
 * first bad link. Rules: links are numbered 0, 1, 2… with each prevHash the hash of the one before;
 * seq 0 is `create`, signed by its creator and by the org signing key it introduces; every later
 * link is signed by a member who is owner or admin *at that point* (owner for anything that makes,
 * unmakes or removes an owner), with the key the chain holds for them; an `add` consumes an open,
 * unexpired invitation of the same role; the last owner can be neither demoted nor removed; a
 * `remove` is followed at once by a `rotate` of the same signer whose succession record is signed
 * by the previous epoch's org signing key.
 */
export async function replayChain(orgId: string, links: SignedChainLink[]): Promise<ChainState> {
  if (links.length === 0) throw new ChainError('empty', 0, 'the chain has no links');
  const state: ChainState = { orgId, seq: -1, headHash: GENESIS_PREV_HASH, epoch: 0, epochs: {}, members: new Map(), invites: new Map(), removed: new Map(), former: new Map(), provisional: null };
  let rotateDueFrom: string | null = null;

  for (const [index, signed] of links.entries()) {
    const fail = (reason: ChainFailure, message: string): never => {
      throw new ChainError(reason, index, message);
    };
    const { link } = signed;
    if (!isWellFormedLink(link)) fail('bad_format', 'malformed link');
    if (link.orgId !== orgId) fail('bad_format', 'the link belongs to another organization');
    if (link.seq !== index) fail('bad_seq', `expected seq ${index}, got ${link.seq}`);
    if (link.prevHash !== state.headHash) fail('bad_prev_hash', 'the link does not continue the chain');
    const genesis = link.type === 'create' || link.type === 'provisional';
    if (index === 0 && !genesis) fail('bad_body', 'the chain must start with create');
    if (index > 0 && genesis) fail('bad_body', 'create may only be the first link');
    if (link.type === 'claim' && (!state.provisional || state.provisional.claimed)) fail('bad_body', 'only an unclaimed provisional organization can be claimed');
    if (rotateDueFrom !== null && (link.type !== 'rotate' || link.signerUserId !== rotateDueFrom)) fail('missing_rotate', 'a removal must be followed by a key rotation');

    let signingKey: string;
    let context = CHAIN_CONTEXT;
    if (link.type === 'provisional') {
      if (link.signerUserId !== orgId) fail('not_authorized', 'a provisional organization starts signed by itself');
      signingKey = link.body.signingPublicKey;
      context = CHAIN_PROVISIONAL_CONTEXT;
    } else if (link.type === 'claim') {
      const body = link.body;
      if (link.signerUserId !== body.userId) fail('not_authorized', 'claim must be signed by its claimant');
      signingKey = body.userSigningKey;
      // The org key proves the claimant holds the claim secret: only it opens that key.
      if (!signed.orgSignature || !(await verifyB64(state.epochs[state.epoch]!.signingPublicKey, CHAIN_CLAIM_ORG_CONTEXT, canonicalLinkBytes(link), signed.orgSignature))) {
        fail('bad_signature', 'claim is not signed by the provisional org key');
      }
    } else if (link.type === 'create') {
      const body = (link as ChainLink<'create'>).body;
      if (link.signerUserId !== body.userId) fail('not_authorized', 'create must be signed by its creator');
      signingKey = body.userSigningKey;
      if (!signed.orgSignature || !(await verifyB64(body.signingPublicKey, CHAIN_CREATE_ORG_CONTEXT, canonicalLinkBytes(link), signed.orgSignature))) {
        fail('bad_signature', 'create is not signed by the org key it introduces');
      }
    } else {
      const signer = state.members.get(link.signerUserId);
      if (!signer || !can(signer.role, 'members.manage')) fail('not_authorized', 'the signer is not an owner or admin at this point');
      signingKey = signer!.signingKey;
    }
    if (link.signerKeyId !== (await computeKeyId(fromBase64Url(signingKey!)))) fail('bad_signature', 'the link names another signing key');
    if (!(await verifyB64(signingKey!, context, canonicalLinkBytes(link), signed.signature))) fail('bad_signature', 'the signature is not valid');

    const signerRole = state.members.get(link.signerUserId)?.role;
    const needOwner = (role: OrgRole | undefined) => {
      if (role === 'owner' && signerRole !== 'owner') fail('not_authorized', 'only an owner may make or unmake an owner');
    };
    rotateDueFrom = null;
    switch (link.type) {
      case 'create': {
        const b = link.body;
        state.epoch = 1;
        state.epochs[1] = { encryptionPublicKey: b.encryptionPublicKey, signingPublicKey: b.signingPublicKey };
        state.members.set(b.userId, { userId: b.userId, role: 'owner', signingKey: b.userSigningKey, encryptionKey: b.userEncryptionKey, since: 0 });
        break;
      }
      case 'invite': {
        const b = link.body;
        if (state.invites.has(b.inviteId)) fail('bad_body', 'the invitation id is used twice');
        needOwner(b.role);
        state.invites.set(b.inviteId, { inviteId: b.inviteId, invitePublicKey: b.invitePublicKey, role: b.role, expiresAt: b.expiresAt, createdBy: link.signerUserId, seq: index, state: 'open' });
        break;
      }
      case 'revoke-invite': {
        const invite = state.invites.get(link.body.inviteId);
        if (invite?.state !== 'open') fail('bad_body', 'no open invitation with this id');
        invite!.state = 'revoked';
        break;
      }
      case 'add': {
        const b = link.body;
        const invite = state.invites.get(b.inviteId);
        if (invite?.state !== 'open') fail('bad_body', 'add needs an open invitation');
        if (invite!.role !== b.role) fail('bad_body', 'add names another role than its invitation');
        if (Date.parse(link.createdAt) > Date.parse(invite!.expiresAt)) fail('bad_body', 'the invitation had expired');
        if (state.members.has(b.userId)) fail('bad_body', 'the user is already a member');
        needOwner(b.role);
        invite!.state = 'used';
        state.members.set(b.userId, { userId: b.userId, role: b.role, signingKey: b.userSigningKey, encryptionKey: b.userEncryptionKey, since: index });
        state.removed.delete(b.userId);
        state.former.delete(b.userId);
        break;
      }
      case 'role': {
        const b = link.body;
        const target = state.members.get(b.userId);
        if (!target) fail('bad_body', 'no such member');
        needOwner(target!.role);
        needOwner(b.role);
        if (target!.role === 'owner' && b.role !== 'owner' && ownerCount(state.members) === 1) fail('bad_body', 'the last owner cannot be demoted');
        target!.role = b.role;
        break;
      }
      case 'remove': {
        const target = state.members.get(link.body.userId);
        if (!target) fail('bad_body', 'no such member');
        needOwner(target!.role);
        if (target!.role === 'owner' && ownerCount(state.members) === 1) fail('bad_body', 'the last owner cannot be removed');
        state.members.delete(target!.userId);
        state.removed.set(target!.userId, index);
        state.former.set(target!.userId, { ...target!, removedAt: link.createdAt });
        rotateDueFrom = link.signerUserId;
        break;
      }
      case 'provisional': {
        const b = link.body;
        state.epoch = 1;
        state.epochs[1] = { encryptionPublicKey: b.encryptionPublicKey, signingPublicKey: b.signingPublicKey };
        state.provisional = { supplierOrgId: b.supplierOrgId, claimed: false };
        break;
      }
      case 'claim': {
        const b = link.body;
        state.members.set(b.userId, { userId: b.userId, role: 'owner', signingKey: b.userSigningKey, encryptionKey: b.userEncryptionKey, since: index });
        state.provisional!.claimed = true;
        // The epoch the supplier derived from the claim secret ends now: the claimant rotates at once.
        rotateDueFrom = link.signerUserId;
        break;
      }
      case 'rotate': {
        const b = link.body;
        if (b.prevEpoch !== state.epoch || b.epoch !== state.epoch + 1) fail('bad_body', 'rotate must go to the next epoch');
        const record: SuccessionRecord = { v: 1, orgId, epoch: b.epoch, prevEpoch: b.prevEpoch, encryptionPublicKey: b.encryptionPublicKey, signingPublicKey: b.signingPublicKey };
        if (!(await verifySuccession(state.epochs[state.epoch]!.signingPublicKey, record, b.successionSignature))) fail('bad_succession', 'the new keys are not signed by the previous org key');
        state.epoch = b.epoch;
        state.epochs[b.epoch] = { encryptionPublicKey: b.encryptionPublicKey, signingPublicKey: b.signingPublicKey };
        break;
      }
    }
    state.seq = index;
    state.headHash = await hashLink(link);
  }
  if (rotateDueFrom !== null) throw new ChainError('missing_rotate', links.length, 'the chain ends with a removal that has no key rotation');
  return state;
}

/** The next link to sign, continuing `state`. */
export async function nextLink<T extends ChainLinkType>(
  state: Pick<ChainState, 'orgId' | 'seq' | 'headHash'>,
  type: T,
  body: ChainBodies[T],
  signer: { userId: string; signingPublicKey: Uint8Array },
  createdAt: string = new Date().toISOString(),
): Promise<ChainLink<T>> {
  return {
    v: CHAIN_LINK_VERSION,
    orgId: state.orgId,
    seq: state.seq + 1,
    prevHash: state.headHash,
    type,
    body,
    signerUserId: signer.userId,
    signerKeyId: await computeKeyId(signer.signingPublicKey),
    createdAt,
  } as ChainLink<T>;
}

/** The genesis state a `create` link continues from. */
export function emptyChainHead(orgId: string): Pick<ChainState, 'orgId' | 'seq' | 'headHash'> {
  return { orgId, seq: -1, headHash: GENESIS_PREV_HASH };
}
