import canonicalize from 'canonicalize';
import { domainLabel } from '../domain';
import { asBufferSource, concatBytes, fromBase64Url, fromHex, randomBytes, toBase64Url, utf8Encode, type Bytes } from '../encoding';
import { CryptoError } from '../errors';
import { hkdfBytes, sha256 } from '../kdf';
import { signWithContext, verifyWithContext } from '../sign';

/**
 * Invitations (DESIGN §3.3). The inviter's client makes a 32-byte secret `s` that travels only in
 * the link's fragment; the invitation key pair is derived from it, and its public half goes into
 * the chain's `invite` link. The invitee proves it holds `s` by signing its acceptance with the
 * derived key, so a server that makes up an acceptance cannot produce that signature.
 */
export const INVITE_SECRET_LENGTH = 32;
const EMPTY_SALT = new Uint8Array(0);
// RFC 8410 PKCS#8 prefix for a raw 32-byte Ed25519 seed.
const ED25519_PKCS8_PREFIX = fromHex('302e020100300506032b657004220420');
export const ACCEPTANCE_CONTEXT = domainLabel('org-invite-accept');

export function generateInviteSecret(): Bytes {
  return randomBytes(INVITE_SECRET_LENGTH);
}

export interface InviteKeyPair {
  privateKey: CryptoKey;
  publicKey: Bytes;
}

/**
 * seed = HKDF(s, info "zkinvoice/v1/invite-key|orgId|inviteId"), imported as PKCS#8 Ed25519. The
 * info binds org and invitation, so one secret never yields a key valid for another invitation.
 * The private key is imported once extractable only to read its public half (JWK `x`), then again
 * non-extractable for signing.
 */
export async function deriveInviteKeyPair(secret: Uint8Array, orgId: string, inviteId: string): Promise<InviteKeyPair> {
  if (secret.length !== INVITE_SECRET_LENGTH) throw new CryptoError('bad_key', 'invitation secret must be 32 bytes');
  const seed = await hkdfBytes(secret, EMPTY_SALT, domainLabel('invite-key', orgId, inviteId), 32);
  const pkcs8 = concatBytes(ED25519_PKCS8_PREFIX, seed);
  const subtle = globalThis.crypto.subtle;
  const exportable = await subtle.importKey('pkcs8', asBufferSource(pkcs8), 'Ed25519', true, ['sign']);
  const jwk = await subtle.exportKey('jwk', exportable);
  if (!jwk.x) throw new CryptoError('bad_key', 'could not derive the invitation public key');
  const privateKey = await subtle.importKey('pkcs8', asBufferSource(pkcs8), 'Ed25519', false, ['sign']);
  seed.fill(0);
  pkcs8.fill(0);
  return { privateKey, publicKey: fromBase64Url(jwk.x) };
}

/** What the invitee signs twice: with the invitation key and with its own signing key. */
export interface Acceptance {
  v: 1;
  orgId: string;
  inviteId: string;
  userId: string;
  userSigningKey: string;
  userEncryptionKey: string;
  createdAt: string;
}

export interface SignedAcceptance {
  acceptance: Acceptance;
  inviteSignature: string;
  userSignature: string;
}

export function canonicalAcceptanceBytes(acceptance: Acceptance): Bytes {
  const json = canonicalize(acceptance);
  if (json === undefined) throw new Error('acceptance is not JSON-serializable');
  return utf8Encode(json);
}

export async function signAcceptance(acceptance: Acceptance, inviteKey: CryptoKey, userSigningKey: CryptoKey): Promise<SignedAcceptance> {
  const bytes = canonicalAcceptanceBytes(acceptance);
  return {
    acceptance,
    inviteSignature: toBase64Url(await signWithContext(inviteKey, ACCEPTANCE_CONTEXT, bytes)),
    userSignature: toBase64Url(await signWithContext(userSigningKey, ACCEPTANCE_CONTEXT, bytes)),
  };
}

/**
 * True only if both signatures verify: the invitation key the chain's `invite` link names, and the
 * user key the acceptance itself names (so the acceptance cannot be moved to someone else's keys).
 */
export async function verifyAcceptance(invitePublicKey: string, signed: SignedAcceptance): Promise<boolean> {
  if (signed.acceptance.v !== 1) return false;
  const bytes = canonicalAcceptanceBytes(signed.acceptance);
  try {
    return (
      (await verifyWithContext(fromBase64Url(invitePublicKey), ACCEPTANCE_CONTEXT, bytes, fromBase64Url(signed.inviteSignature))) &&
      (await verifyWithContext(fromBase64Url(signed.acceptance.userSigningKey), ACCEPTANCE_CONTEXT, bytes, fromBase64Url(signed.userSignature)))
    );
  } catch {
    return false;
  }
}

/** The acceptance hash an `add` link carries: base64url(SHA-256(JCS(acceptance))). */
export async function hashAcceptance(acceptance: Acceptance): Promise<string> {
  return toBase64Url(await sha256(canonicalAcceptanceBytes(acceptance)));
}
