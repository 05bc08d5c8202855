import { signMembershipCertificate, type MembershipCertificate } from '@/lib/crypto/certificate';
import { fromBase64Url, toBase64Url } from '@/lib/crypto/encoding';
import { importOrgDekWrapKey } from '@/lib/crypto/envelope/grants';
import { CryptoError } from '@/lib/crypto/errors';
import { fingerprint } from '@/lib/crypto/fingerprint';
import { generateKeyPairs, unwrapPrivateKeys, wrapPrivateKeys, type UnlockedKeyPairs } from '@/lib/crypto/keys';
import {
  deriveClaimAuth,
  deriveProvisionalOrgSecret,
  emptyChainHead,
  followSuccession,
  formatClaimFragment,
  generateClaimSecret,
  generateOrgSecret,
  hashClaimAuth,
  hashLink,
  importOrgSecret,
  nextLink,
  openClaimRecord,
  orgPrivateKeysAad,
  replayChain,
  sealClaimRecord,
  sealOrgSecretToMember,
  sealPreviousEpochSecret,
  signClaimWithOrgKey,
  signLink,
  signProvisionalLink,
  signSuccession,
  type ChainLink,
  type ClaimRecord,
  type SignedChainLink,
  type SignedSuccession,
  type SuccessionRecord,
} from '@/lib/crypto/org';
import type { OrgPublicKeys } from '@/lib/shared/invoice-dto';
import { provisionalHandle, type ClaimOpenDto, type ClaimRequest, type CreateProvisionalOrgRequest, type ProvisionalOrgDto } from '@/lib/shared/schemas/claim';
import type { OrgEpochDto } from '@/lib/shared/schemas/org';
import type { UnlockedAccount, UnlockedOrg } from './account';
import { olderEpochSecret } from './org-epochs';

/**
 * Provisional organizations and claim links in the browser (DESIGN §11). Everything secret — the
 * claim secret, OS₁, the customer's address, the access code — is made and used here; the server
 * gets public keys, sealed keys, a signed chain link, the hash of claimAuth and the supplier's note
 * sealed under its own org secret.
 */

type Supplier = Pick<UnlockedOrg, 'orgId' | 'keyVersion' | 'orgSecret' | 'fingerprint'>;

export interface NewProvisionalCustomer {
  request: CreateProvisionalOrgRequest;
  /** `/claim/<orgId>#<c>.<supplier fingerprint>.<c|n>`: the fragment never reaches the server. */
  path: string;
  /** The new org's public keys, for the supplier's pin and for sealing invoices to it. */
  keys: OrgPublicKeys;
}

export function claimPath(orgId: string, secret: Uint8Array, supplierFingerprint: string, accessCode: boolean): string {
  return `/claim/${orgId}#${formatClaimFragment(secret, supplierFingerprint, accessCode)}`;
}

/** Makes a provisional org for a customer with no account: keys under OS₁, its signed first link, the supplier's note. */
export async function createProvisionalCustomer(supplier: Supplier, input: { name: string; email: string; accessCode: string | null; expiresInDays?: number }): Promise<NewProvisionalCustomer> {
  const orgId = globalThis.crypto.randomUUID();
  const secret = generateClaimSecret();
  const os1 = await deriveProvisionalOrgSecret(secret, orgId, input.accessCode);
  const keys = await generateKeyPairs();
  const encryptionPublicKey = toBase64Url(keys.encryptionPublicKey);
  const signingPublicKey = toBase64Url(keys.signingPublicKey);
  const link = await nextLink(emptyChainHead(orgId), 'provisional', { epoch: 1, encryptionPublicKey, signingPublicKey, supplierOrgId: supplier.orgId }, { userId: orgId, signingPublicKey: keys.signingPublicKey });
  const record: ClaimRecord = { v: 1, claimSecret: toBase64Url(secret), email: input.email, accessCode: input.accessCode };
  const request: CreateProvisionalOrgRequest = {
    orgId,
    name: input.name,
    keys: { encryptionPublicKey, signingPublicKey, wrappedPrivateKeys: toBase64Url(await wrapPrivateKeys(await importOrgSecret(os1, { orgId, version: 1 }), keys, orgPrivateKeysAad(orgId, 1))) },
    chain: { link: link as CreateProvisionalOrgRequest['chain']['link'], signature: await signProvisionalLink(keys.signingPrivateKey, link) },
    claimAuthHash: toBase64Url(await hashClaimAuth(await deriveClaimAuth(secret))),
    sealedRecord: toBase64Url(await sealClaimRecord(supplier.orgSecret, { supplierOrgId: supplier.orgId, provisionalOrgId: orgId, version: supplier.keyVersion }, record)),
    recordKeyVersion: supplier.keyVersion,
    expiresInDays: input.expiresInDays ?? 30,
  };
  const path = claimPath(orgId, secret, supplier.fingerprint, input.accessCode !== null);
  os1.fill(0);
  secret.fill(0);
  return { request, path, keys: { orgId, name: input.name, handle: provisionalHandle(orgId), keyVersion: 1, encryptionPublicKey, signingPublicKey } };
}

/**
 * The supplier's note about a provisional customer (secret, address, code), opened with the org
 * secret of the epoch it was sealed under: the current one, or an older one reached by walking
 * the epoch chain back (so a rotation, a member's removal say, does not lose the links made
 * before it). Null when that epoch cannot be reached.
 */
export async function openProvisionalRecord(
  supplier: Supplier,
  customer: Pick<ProvisionalOrgDto, 'orgId' | 'sealedRecord' | 'recordKeyVersion'>,
  epochs: () => Promise<OrgEpochDto[]>,
): Promise<(ClaimRecord & { path: string }) | null> {
  const version = customer.recordKeyVersion;
  const secret = version === supplier.keyVersion ? supplier.orgSecret : version < supplier.keyVersion ? await olderEpochSecret(supplier, version, await epochs()) : null;
  if (!secret) return null;
  try {
    const record = await openClaimRecord(secret, { supplierOrgId: supplier.orgId, provisionalOrgId: customer.orgId, version }, fromBase64Url(customer.sealedRecord));
    return { ...record, path: claimPath(customer.orgId, fromBase64Url(record.claimSecret), supplier.fingerprint, record.accessCode !== null) };
  } finally {
    if (secret !== supplier.orgSecret) secret.fill(0);
  }
}

/** The proof a guest sends; the server compares its SHA-256. */
export async function claimAuthFor(secret: Uint8Array): Promise<string> {
  return toBase64Url(await deriveClaimAuth(secret));
}

/** A provisional org opened with its claim secret: read-only, like a viewer's org, for the guest view. */
export interface OpenedProvisionalOrg {
  orgId: string;
  name: string;
  keyVersion: 1;
  keys: UnlockedKeyPairs;
  dekWrapKey: CryptoKey;
  orgSecret: Uint8Array;
  /** Seq and hash of its chain's head: a claim continues exactly this. */
  head: { orgId: string; seq: number; headHash: string };
  supplier: OrgPublicKeys;
}

export type OpenClaimFailure = 'chain_invalid' | 'keys_mismatch' | 'wrong_code' | 'supplier_mismatch';

export class ClaimOpenError extends Error {
  readonly reason: OpenClaimFailure;

  constructor(reason: OpenClaimFailure, message: string) {
    super(message);
    this.name = 'ClaimOpenError';
    this.reason = reason;
  }
}

/**
 * Opens what the server served for a claim link, trusting nothing but the link: the chain must be
 * one `provisional` link signed by the served epoch-1 key and naming the served supplier; OS₁ from
 * the secret (and code) must open the private keys of exactly those public keys — a server that
 * swapped keys cannot make a wrap that opens — and the supplier's keys must be the ones whose
 * safety number the supplier put in the link, or follow from them by signed succession.
 */
export async function openProvisionalOrg(dto: ClaimOpenDto, secret: Uint8Array, supplierFingerprint: string, accessCode: string | null): Promise<OpenedProvisionalOrg> {
  let head: OpenedProvisionalOrg['head'];
  try {
    const state = await replayChain(dto.orgId, dto.chain as SignedChainLink[]);
    if (!state.provisional || state.provisional.claimed || state.provisional.supplierOrgId !== dto.supplier.orgId) throw new Error('not an unclaimed provisional organization of this supplier');
    if (state.epochs[1]?.signingPublicKey !== dto.epoch.signingPublicKey || state.epochs[1]?.encryptionPublicKey !== dto.epoch.encryptionPublicKey) throw new Error('the served keys are not the chain’s');
    head = { orgId: dto.orgId, seq: state.seq, headHash: state.headHash };
  } catch (error) {
    throw new ClaimOpenError('chain_invalid', error instanceof Error ? error.message : String(error));
  }
  if (!(await supplierMatches(dto, supplierFingerprint))) throw new ClaimOpenError('supplier_mismatch', 'the supplier’s keys are not the ones named in the link');
  const os1 = await deriveProvisionalOrgSecret(secret, dto.orgId, accessCode);
  let keys: UnlockedKeyPairs;
  try {
    keys = await unwrapPrivateKeys(await importOrgSecret(os1, { orgId: dto.orgId, version: 1 }), fromBase64Url(dto.epoch.wrappedPrivateKeys), orgPrivateKeysAad(dto.orgId, 1), {
      encryptionPublicKey: fromBase64Url(dto.epoch.encryptionPublicKey),
      signingPublicKey: fromBase64Url(dto.epoch.signingPublicKey),
    });
  } catch (error) {
    os1.fill(0);
    // The wrap authenticates under OS₁: it fails for a wrong access code, and for keys the server swapped.
    if (error instanceof CryptoError && error.code === 'bad_key') throw new ClaimOpenError('keys_mismatch', 'the served keys do not match their wrap');
    throw new ClaimOpenError('wrong_code', 'the keys do not open with this link and access code');
  }
  return { orgId: dto.orgId, name: dto.name, keyVersion: 1, keys, dekWrapKey: await importOrgDekWrapKey(os1, { orgId: dto.orgId, version: 1 }), orgSecret: os1, head, supplier: dto.supplier };
}

/** The fragment's safety number names one epoch of the supplier's keys; the served keys must be it or its signed successors. */
async function supplierMatches(dto: ClaimOpenDto, supplierFingerprint: string): Promise<boolean> {
  const { supplier } = dto;
  for (const epoch of dto.supplierEpochs) {
    const number = await fingerprint({ signing: fromBase64Url(epoch.signingPublicKey), encryption: fromBase64Url(epoch.encryptionPublicKey) }, `org:${supplier.orgId}`);
    if (number !== supplierFingerprint) continue;
    const followed = await followSuccession(supplier.orgId, epoch, { epoch: supplier.keyVersion, signingPublicKey: supplier.signingPublicKey, encryptionPublicKey: supplier.encryptionPublicKey }, (supplier.successions ?? []) as SignedSuccession[]);
    if (followed) return true;
  }
  return false;
}

/**
 * The claim (DESIGN §11): `claim`, signed by the user and by the provisional org key, and at once
 * `rotate` to a fresh OS₂ and key pairs the supplier never knew, with the succession signed by the
 * provisional key (so the supplier's pin follows), OS₂ sealed to the new owner, OS₁ kept under OS₂
 * (the epoch chain: the owner still opens the invoices sent before), and the owner's certificate.
 */
export async function buildClaim(account: Pick<UnlockedAccount, 'userId' | 'keys'>, org: OpenedProvisionalOrg, claimAuth: string): Promise<ClaimRequest> {
  const userSigningKey = toBase64Url(account.keys.signingPublicKey);
  const userEncryptionKey = toBase64Url(account.keys.encryptionPublicKey);
  const signer = { userId: account.userId, signingPublicKey: account.keys.signingPublicKey };
  const claim = (await nextLink(org.head, 'claim', { userId: account.userId, userSigningKey, userEncryptionKey }, signer)) as ChainLink<'claim'>;
  const epoch = 2;
  const newSecret = generateOrgSecret();
  const newKeys = await generateKeyPairs();
  const record: SuccessionRecord = { v: 1, orgId: org.orgId, epoch, prevEpoch: 1, encryptionPublicKey: toBase64Url(newKeys.encryptionPublicKey), signingPublicKey: toBase64Url(newKeys.signingPublicKey) };
  const rotate = (await nextLink({ orgId: org.orgId, seq: claim.seq, headHash: await hashLink(claim) }, 'rotate', {
    epoch,
    prevEpoch: 1,
    encryptionPublicKey: record.encryptionPublicKey,
    signingPublicKey: record.signingPublicKey,
    successionSignature: await signSuccession(org.keys.signingPrivateKey, record),
  }, signer)) as ChainLink;
  const certificate: MembershipCertificate = { v: 1, orgId: org.orgId, userId: account.userId, userSigningKey, userEncryptionKey, role: 'owner', version: epoch, issuedAt: new Date().toISOString() };
  const request: ClaimRequest = {
    claimAuth,
    links: [
      { link: claim as ClaimRequest['links'][number]['link'], signature: await signLink(account.keys.signingPrivateKey, claim), orgSignature: await signClaimWithOrgKey(org.keys.signingPrivateKey, claim) },
      { link: rotate as ClaimRequest['links'][number]['link'], signature: await signLink(account.keys.signingPrivateKey, rotate) },
    ],
    grants: [{ userId: account.userId, epoch, sealedOrgSecret: toBase64Url(await sealOrgSecretToMember(newSecret, account.keys.encryptionPublicKey, { orgId: org.orgId, userId: account.userId, version: epoch })) }],
    certificates: [{ certificate, certificateSignature: await signMembershipCertificate(newKeys.signingPrivateKey, certificate) }],
    rotation: {
      wrappedPrivateKeys: toBase64Url(await wrapPrivateKeys(await importOrgSecret(newSecret, { orgId: org.orgId, version: epoch }), newKeys, orgPrivateKeysAad(org.orgId, epoch))),
      wrappedPreviousSecret: toBase64Url(await sealPreviousEpochSecret(newSecret, org.orgSecret, { orgId: org.orgId, epoch })),
    },
  };
  newSecret.fill(0);
  return request;
}
