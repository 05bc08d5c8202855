import { openBytes, sealBytes, sealBytesWithNonce } from '../aead';
import { domainLabel } from '../domain';
import { toBase64Url, type Bytes } from '../encoding';
import { CryptoError } from '../errors';
import { openWithPrivateKey, sealToPublicKey } from '../hpke';
import { hkdfAesGcmKey, sha256 } from '../kdf';
import { type OrgKeyBinding } from '../org';
import { DEK_LENGTH, assertDek } from './dek';
import { canonicalManifestBytes, type InvoiceManifest } from './manifest';

/** Which invoice's DEK this is, for which org, under which of its key versions. */
export type DekBinding = { invoiceId: string; orgId: string; keyVersion: number };

const ORG_SECRET_LENGTH = 32;
const EMPTY_SALT = new Uint8Array(0);

function assertOpenedDek(dek: Uint8Array): void {
  if (dek.length !== DEK_LENGTH) throw new CryptoError('bad_format', 'unwrapped DEK must be 32 bytes');
}

/**
 * `zkinvoice/v1/dek|<invoiceId>|<orgId>|<keyVersion>`, used as both HPKE info and AAD: a grant
 * opens only for the invoice, org and org key version it was made for, so the server cannot
 * present one invoice's DEK as another's or replay it across orgs or key rotations.
 */
function grantLabel(binding: DekBinding): string {
  return domainLabel('dek', binding.invoiceId, binding.orgId, binding.keyVersion);
}

/** HPKE-seals the DEK to an org's current X25519 encryption key (DESIGN §4 key grants). */
export async function sealDekForOrg(
  dek: Uint8Array,
  orgEncryptionPublicKey: Uint8Array,
  binding: DekBinding,
): Promise<Bytes> {
  assertDek(dek);
  const label = grantLabel(binding);
  return sealToPublicKey(orgEncryptionPublicKey, dek, label, label);
}

/** Wrong key pair, wrong binding or tampering → `decrypt_failed`. */
export async function openDekGrant(
  orgEncryptionPrivateKey: CryptoKey,
  orgEncryptionPublicKey: Uint8Array,
  sealed: Uint8Array,
  binding: DekBinding,
): Promise<Bytes> {
  const label = grantLabel(binding);
  const dek = await openWithPrivateKey(orgEncryptionPrivateKey, orgEncryptionPublicKey, sealed, label, label);
  assertOpenedDek(dek);
  return dek;
}

/**
 * The per-org fast-path key (DESIGN §6) = HKDF(OS, info "zkinvoice/v1/org-dek-wrap|<orgId>|<version>"),
 * derived once per org and key version and kept non-extractable. Its own info keeps it apart from
 * the key OS encrypts the org's private keys with, and from other versions of the same org.
 */
export async function importOrgDekWrapKey(orgSecret: Uint8Array, binding: OrgKeyBinding): Promise<CryptoKey> {
  if (orgSecret.length !== ORG_SECRET_LENGTH) throw new CryptoError('bad_key', 'org secret must be 32 bytes');
  return hkdfAesGcmKey(orgSecret, EMPTY_SALT, domainLabel('org-dek-wrap', binding.orgId, binding.version));
}

/**
 * What a fast-path record binds (DESIGN §6, "verified once per organization"): the DEK's invoice,
 * org and key version, and the SHA-256 of the exact canonical manifest and sealed header a member's
 * client fully verified before it made the record.
 */
export type FastBinding = DekBinding & { manifestSha256: Uint8Array; headerSha256: Uint8Array };

/**
 * AAD `zkinvoice/v1/fast|<invoiceId>|<orgId>|<keyVersion>|<manifestSha256>|<headerSha256>`
 * (hashes in base64url): a record opens only for the invoice, and only while the server serves the
 * very manifest and sealed header it was made for; anything else takes the full path.
 */
function fastPathAad(binding: FastBinding): string {
  return domainLabel('fast', binding.invoiceId, binding.orgId, binding.keyVersion, toBase64Url(binding.manifestSha256), toBase64Url(binding.headerSha256));
}

/** The fast-path binding of an invoice as served: hashes of its canonical manifest and of its sealed header. */
export async function fastBinding(binding: DekBinding, manifest: InvoiceManifest, sealedHeader: Uint8Array): Promise<FastBinding> {
  const [manifestSha256, headerSha256] = await Promise.all([sha256(canonicalManifestBytes(manifest)), sha256(sealedHeader)]);
  return { ...binding, manifestSha256, headerSha256 };
}

/** Wraps the DEK under the org's fast-path key: one AES-GCM sealed box, ~10 µs to open. */
export async function wrapDekFast(key: CryptoKey, dek: Uint8Array, binding: FastBinding): Promise<Bytes> {
  assertDek(dek);
  return sealBytes(key, dek, fastPathAad(binding));
}

/** Golden test vectors only: a fixed nonce. Production code calls `wrapDekFast`. */
export async function wrapDekFastWithNonce(
  key: CryptoKey,
  dek: Uint8Array,
  binding: FastBinding,
  nonce: Uint8Array,
): Promise<Bytes> {
  assertDek(dek);
  return sealBytesWithNonce(key, nonce, dek, fastPathAad(binding));
}

/** Wrong key, wrong binding (another invoice, manifest or header) or tampering → `decrypt_failed`. */
export async function unwrapDekFast(key: CryptoKey, sealed: Uint8Array, binding: FastBinding): Promise<Bytes> {
  const dek = await openBytes(key, sealed, fastPathAad(binding));
  assertOpenedDek(dek);
  return dek;
}
