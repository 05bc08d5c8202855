import { openBytes, sealBytes } from '../aead';
import { domainLabel } from '../domain';
import { asBufferSource, fromBase64Url, randomBytes, toBase64Url, utf8Decode, utf8Encode, type Bytes } from '../encoding';
import { CryptoError } from '../errors';
import { hkdfAesGcmKey, hkdfBytes, sha256 } from '../kdf';

/**
 * Provisional organizations and claim links (DESIGN §11). A supplier's browser makes a 32-byte
 * claim secret `c` for a customer who has no account yet; `c` travels only in the link's fragment
 * (`/claim/<orgId>#<c>.<supplierFingerprint>`), which never reaches the server. From it:
 *
 * - `OS₁ = HKDF(c, salt, info "zkinvoice/v1/claim-org|orgId")`, the provisional org's first org
 *   secret, which wraps its key pairs as for any org. With an access code (given by phone), the
 *   salt is PBKDF2-SHA-256(code, 600,000 iterations): whoever intercepts the link alone still has
 *   to guess the code, at the cost of 600k hashes per guess against the wrapped keys.
 * - `claimAuth = HKDF(c, info "zkinvoice/v1/claim-auth")`: the guest's proof to the server, which
 *   keeps only its SHA-256. It does not depend on the code, so a wrong link (server refuses) and a
 *   wrong code (the keys do not open) are told apart and each named to the guest.
 */
export const CLAIM_SECRET_LENGTH = 32;
export const ACCESS_CODE_ITERATIONS = 600_000;
const EMPTY_SALT = new Uint8Array(0);
/** Supplier fingerprints travel as their 30 digits, without the spaces of the readable form. */
const FINGERPRINT_DIGITS = /^\d{30}$/;

export function generateClaimSecret(): Bytes {
  return randomBytes(CLAIM_SECRET_LENGTH);
}

function assertClaimSecret(secret: Uint8Array): void {
  if (secret.length !== CLAIM_SECRET_LENGTH) throw new CryptoError('bad_key', 'claim secret must be 32 bytes');
}

/** What a person types: case, spaces and dashes do not matter, so a code read out by phone works. */
export function normalizeAccessCode(code: string): string {
  return code.normalize('NFKC').replace(/[\s-]+/g, '').toUpperCase();
}

/**
 * PBKDF2-SHA-256 of the normalized code, salted with the org id's label so one guess never serves
 * two organizations; empty without a code. Used as the HKDF salt of OS₁.
 */
async function accessCodeSalt(orgId: string, accessCode: string | null): Promise<Bytes> {
  if (accessCode === null) return EMPTY_SALT;
  const normalized = normalizeAccessCode(accessCode);
  if (!normalized) throw new CryptoError('bad_key', 'the access code is empty');
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey('raw', utf8Encode(normalized), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: asBufferSource(utf8Encode(domainLabel('claim-code', orgId))), iterations: ACCESS_CODE_ITERATIONS }, key, 256);
  return new Uint8Array(bits);
}

/** OS₁ of a provisional org: bound to its id, and with the access code (if any) mixed in. */
export async function deriveProvisionalOrgSecret(secret: Uint8Array, orgId: string, accessCode: string | null): Promise<Bytes> {
  assertClaimSecret(secret);
  return hkdfBytes(secret, await accessCodeSalt(orgId, accessCode), domainLabel('claim-org', orgId), 32);
}

/** The guest's proof of `c`; the server stores only `hashClaimAuth` of it. */
export async function deriveClaimAuth(secret: Uint8Array): Promise<Bytes> {
  assertClaimSecret(secret);
  return hkdfBytes(secret, EMPTY_SALT, domainLabel('claim-auth'), 32);
}

export async function hashClaimAuth(claimAuth: Uint8Array): Promise<Bytes> {
  return sha256(claimAuth);
}

export interface ClaimFragment {
  secret: Bytes;
  /** The supplier org's safety number, as the supplier itself handed it over (30 digits). */
  supplierFingerprint: string;
  /**
   * Whether the supplier set an access code: then keys that do not open ask for the code; without
   * one they mean the link or what the server sent is not genuine. Null on links made before the
   * flag existed, which cannot tell the two apart.
   */
  accessCode: boolean | null;
}

const ACCESS_CODE_FLAG = { c: true, n: false } as const;

/**
 * The fragment of a claim link: `<c base64url>.<supplier fingerprint digits>.<c|n>`, the last part
 * saying whether an access code was set. It is no secret and needs no protection of its own: whoever
 * could change it could as well change the secret.
 */
export function formatClaimFragment(secret: Uint8Array, supplierFingerprint: string, accessCode: boolean): string {
  assertClaimSecret(secret);
  const digits = supplierFingerprint.replace(/\s+/g, '');
  if (!FINGERPRINT_DIGITS.test(digits)) throw new CryptoError('bad_format', 'a supplier fingerprint has 30 digits');
  return `${toBase64Url(secret)}.${digits}.${accessCode ? 'c' : 'n'}`;
}

/** Null for anything that is not a whole, well-formed fragment (a truncated or mangled link); a link without the flag is read as before. */
export function parseClaimFragment(fragment: string): ClaimFragment | null {
  const [encoded, digits, flag, ...rest] = fragment.replace(/^#/, '').trim().split('.');
  if (rest.length || !encoded || !digits || !FINGERPRINT_DIGITS.test(digits)) return null;
  if (flag !== undefined && flag !== 'c' && flag !== 'n') return null;
  try {
    const secret = fromBase64Url(encoded);
    if (secret.length !== CLAIM_SECRET_LENGTH) return null;
    return { secret, supplierFingerprint: digits.replace(/(\d{5})(?=\d)/g, '$1 '), accessCode: flag === undefined ? null : ACCESS_CODE_FLAG[flag] };
  } catch {
    return null;
  }
}

/**
 * What the supplier keeps about a provisional customer, to re-send its link: the secret, the
 * address it was sent to and the access code. The server never sees the address or the secret.
 */
export interface ClaimRecord {
  v: 1;
  claimSecret: string;
  email: string;
  accessCode: string | null;
}

export interface ClaimRecordBinding {
  supplierOrgId: string;
  provisionalOrgId: string;
  /** The supplier's epoch whose org secret seals the record. */
  version: number;
}

/**
 * AES-256-GCM under a key derived from the supplier's OS of `version`; the AAD binds supplier,
 * provisional org and epoch, so the server cannot hand one customer's record out as another's.
 */
async function claimRecordKey(supplierOrgSecret: Uint8Array, binding: ClaimRecordBinding): Promise<CryptoKey> {
  if (supplierOrgSecret.length !== 32) throw new CryptoError('bad_key', 'org secret must be 32 bytes');
  return hkdfAesGcmKey(supplierOrgSecret, EMPTY_SALT, domainLabel('claim-record-key', binding.supplierOrgId, binding.version));
}

function claimRecordAad(binding: ClaimRecordBinding): string {
  return domainLabel('claim-record', binding.supplierOrgId, binding.provisionalOrgId, binding.version);
}

export async function sealClaimRecord(supplierOrgSecret: Uint8Array, binding: ClaimRecordBinding, record: ClaimRecord): Promise<Bytes> {
  return sealBytes(await claimRecordKey(supplierOrgSecret, binding), utf8Encode(JSON.stringify(record)), claimRecordAad(binding));
}

export async function openClaimRecord(supplierOrgSecret: Uint8Array, binding: ClaimRecordBinding, sealed: Uint8Array): Promise<ClaimRecord> {
  const plain = await openBytes(await claimRecordKey(supplierOrgSecret, binding), sealed, claimRecordAad(binding));
  const record = JSON.parse(utf8Decode(plain)) as ClaimRecord;
  if (record.v !== 1 || typeof record.claimSecret !== 'string' || typeof record.email !== 'string') throw new CryptoError('bad_format', 'not a claim record');
  return record;
}
