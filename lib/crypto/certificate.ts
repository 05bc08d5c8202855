import canonicalize from 'canonicalize';
import { domainLabel } from './domain';
import { fromBase64Url, toBase64Url, utf8Encode, type Bytes } from './encoding';
import { signWithContext, verifyWithContext } from './sign';

export type MembershipRole = 'owner' | 'admin' | 'member' | 'viewer';

/**
 * Signed by the org's Ed25519 key: "this user, with these keys, is a member in this role". With
 * `removedAt`, "was a member until then": issued at each rotation to everyone removed before, so the
 * invoices and events they signed while members keep verifying under the org's current key, while
 * nothing they sign later does (DESIGN §3.3).
 */
export type MembershipCertificate = {
  v: 1;
  orgId: string;
  userId: string;
  userSigningKey: string;
  userEncryptionKey: string;
  role: MembershipRole;
  version: number;
  issuedAt: string;
  removedAt?: string;
};

/**
 * Whether a certificate speaks for something its holder signed at `signedAt`: always for a member,
 * and for a former member only up to its removal. An unparseable time covers nothing.
 */
export function certificateCovers(cert: Pick<MembershipCertificate, 'removedAt'>, signedAt: string): boolean {
  if (cert.removedAt === undefined) return true;
  const removed = Date.parse(cert.removedAt);
  const signed = Date.parse(signedAt);
  return Number.isFinite(removed) && Number.isFinite(signed) && signed <= removed;
}

const CERTIFICATE_CONTEXT = domainLabel('membership-certificate');

/** RFC 8785 JCS, so signer and verifier hash the same bytes whatever the key order. */
function canonicalBytes(cert: MembershipCertificate): Bytes {
  const json = canonicalize(cert);
  if (json === undefined) throw new Error('membership certificate is not JSON-serializable');
  return utf8Encode(json);
}

/** Returns the base64url Ed25519 signature over JCS(cert) under the certificate context. */
export async function signMembershipCertificate(
  orgSigningPrivateKey: CryptoKey,
  cert: MembershipCertificate,
): Promise<string> {
  return toBase64Url(await signWithContext(orgSigningPrivateKey, CERTIFICATE_CONTEXT, canonicalBytes(cert)));
}

/** False for any tampered field, unknown version, or malformed signature; never throws on data. */
export async function verifyMembershipCertificate(
  orgSigningPublicKey: Uint8Array,
  cert: MembershipCertificate,
  signature: string,
): Promise<boolean> {
  if (cert.v !== 1) return false;
  let signatureBytes: Bytes;
  try {
    signatureBytes = fromBase64Url(signature);
  } catch {
    return false;
  }
  return verifyWithContext(orgSigningPublicKey, CERTIFICATE_CONTEXT, canonicalBytes(cert), signatureBytes);
}
