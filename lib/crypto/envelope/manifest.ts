import canonicalize from 'canonicalize';
import { domainLabel } from '../domain';
import { concatBytes, fromBase64Url, toBase64Url, utf8Encode, type Bytes } from '../encoding';
import { CryptoError } from '../errors';
import { sha256 } from '../kdf';
import { signWithContext, verifyWithContext } from '../sign';
import { isEnvelopeVersion, type EnvelopeVersion } from './format';
import { parseManifest } from './manifest-parse';

/**
 * The signed description of an invoice (DESIGN §4). Byte values are base64url strings.
 * `header.sha256` is SHA-256 of the sealed header, `files[i].sha256` the ciphertext digest
 * (digest.ts) and `size` the ciphertext length, so a reader or the server can check every stored
 * byte against the signer's intent; `dekCommitment` pins the one DEK all recipients must get.
 */
export type InvoiceManifest = {
  v: EnvelopeVersion;
  invoiceId: string;
  supplierOrgId: string;
  customerOrgId: string;
  signerUserId: string;
  signerKeyId: string;
  createdAt: string;
  header: { sha256: string; size: number };
  files: { fileId: string; sha256: string; size: number; recordSize: number }[];
  dekCommitment: string;
  recipients: { orgId: string; keyVersion: number }[];
};

const ED25519_PUBLIC_KEY_LENGTH = 32;
const KEY_ID_LENGTH = 16;
const MANIFEST_CONTEXT = domainLabel('invoice-manifest');

/**
 * base64url(first 16 bytes of SHA-256("zkinvoice/v1/key-id" ‖ key)): names a signing key in the
 * manifest. 128 bits, so finding a second key with the same id is infeasible; the prefix keeps it
 * distinct from any other hash of the same key (e.g. the fingerprint).
 */
export async function computeKeyId(signingPublicKey: Uint8Array): Promise<string> {
  if (signingPublicKey.length !== ED25519_PUBLIC_KEY_LENGTH) throw new CryptoError('bad_key', 'Ed25519 public key must be 32 bytes');
  // A list checks thousands of manifests by a handful of signers: each key's id is hashed once.
  const key = toBase64Url(signingPublicKey);
  let id = KEY_IDS.get(key);
  if (!id) {
    if (KEY_IDS.size >= KEY_IDS_KEPT) KEY_IDS.clear();
    KEY_IDS.set(key, (id = sha256(concatBytes(KEY_ID_LABEL, signingPublicKey)).then((digest) => toBase64Url(digest.subarray(0, KEY_ID_LENGTH)))));
  }
  return id;
}

const KEY_ID_LABEL = utf8Encode(domainLabel('key-id'));
/** Key ids by the key's base64url (a pure function of the key's bytes). */
const KEY_IDS = new Map<string, Promise<string>>();
const KEY_IDS_KEPT = 1024;

/** RFC 8785 JCS bytes: what is signed, the same whatever the key order the JSON arrived in. */
export function canonicalManifestBytes(manifest: InvoiceManifest): Bytes {
  const json = canonicalize(manifest);
  if (json === undefined) throw new Error('manifest is not JSON-serializable');
  return utf8Encode(json);
}

/**
 * Ed25519 over JCS(manifest) under the context `zkinvoice/v1/invoice-manifest`, returned as
 * base64url. The manifest is validated first, so a malformed one is never signed (`bad_format`).
 */
export async function signManifest(signingPrivateKey: CryptoKey, manifest: InvoiceManifest): Promise<string> {
  const checked = parseManifest(manifest);
  return toBase64Url(await signWithContext(signingPrivateKey, MANIFEST_CONTEXT, canonicalManifestBytes(checked)));
}

/**
 * True only if `signature` is the signer's signature over this exact manifest *and* the manifest
 * names this key as its signer (`signerKeyId`), so a manifest cannot claim one key and be accepted
 * under another. False, never a throw, for anything malformed.
 */
export async function verifyManifest(
  signingPublicKey: Uint8Array,
  manifest: InvoiceManifest,
  signature: string,
  /** canonicalManifestBytes(manifest), when the caller has just made them (opening an invoice hashes them too). */
  canonical?: Uint8Array,
): Promise<boolean> {
  if (!isEnvelopeVersion(manifest.v) || signingPublicKey.length !== ED25519_PUBLIC_KEY_LENGTH) return false;
  let signatureBytes: Bytes;
  try {
    signatureBytes = fromBase64Url(signature);
  } catch {
    return false;
  }
  if (manifest.signerKeyId !== (await computeKeyId(signingPublicKey))) return false;
  return verifyWithContext(signingPublicKey, MANIFEST_CONTEXT, canonical ?? canonicalManifestBytes(manifest), signatureBytes);
}
