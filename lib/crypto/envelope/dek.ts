import { openBytes, sealBytes, sealBytesWithNonce } from '../aead';
import { domainLabel } from '../domain';
import { equalBytes, fromBase64Url, randomBytes, type Bytes } from '../encoding';
import { CryptoError } from '../errors';
import { hkdfAesGcmKey, hkdfBytes } from '../kdf';
import type { EnvelopeVersion } from './format';
import { padBytes, unpadBytes } from './padding';

export const DEK_LENGTH = 32;
const COMMITMENT_LENGTH = 32;
const EMPTY_SALT = new Uint8Array(0);

/** One fresh 32-byte data-encryption key per invoice; only ever used as an HKDF input. */
export function generateDek(): Bytes {
  return randomBytes(DEK_LENGTH);
}

export function assertDek(dek: Uint8Array): void {
  if (dek.length !== DEK_LENGTH) throw new CryptoError('bad_key', 'DEK must be 32 bytes');
}

/**
 * dekCommitment = HKDF(DEK, info "zkinvoice/v1/commit"). AES-GCM is not key-committing: a sender
 * could craft one ciphertext that opens under two DEKs to two different contents and grant a
 * different DEK to each recipient. The signed manifest carries this commitment, so every reader
 * checks it holds the one DEK the signer committed to. HKDF is a PRF, so it reveals nothing about
 * the DEK or the keys derived from it under other infos.
 */
export async function computeDekCommitment(dek: Uint8Array): Promise<Bytes> {
  assertDek(dek);
  return hkdfBytes(dek, EMPTY_SALT, domainLabel('commit'), COMMITMENT_LENGTH);
}

/** Throws `bad_commitment` unless `dek` is the DEK the signed manifest commits to. */
export async function checkDekCommitment(dek: Uint8Array, manifest: { dekCommitment: string }): Promise<void> {
  const expected = fromBase64Url(manifest.dekCommitment);
  if (!equalBytes(await computeDekCommitment(dek), expected)) {
    throw new CryptoError('bad_commitment', 'DEK does not match the manifest commitment');
  }
}

/** headerKey = HKDF(DEK, info "zkinvoice/v1/header"): never the same key as any file key. */
async function importHeaderKey(dek: Uint8Array): Promise<CryptoKey> {
  assertDek(dek);
  return hkdfAesGcmKey(dek, EMPTY_SALT, domainLabel('header'));
}

/** AAD `zkinvoice/v1/header|<invoiceId>`: a header cannot be moved to another invoice sharing its DEK. */
function headerAad(invoiceId: string): string {
  return domainLabel('header', invoiceId);
}

/** Header plaintext as the envelope version seals it: Padmé-padded from v2 on (DESIGN §4). */
function headerPlaintext(plaintext: Uint8Array, version: EnvelopeVersion): Uint8Array {
  return version >= 2 ? padBytes(plaintext) : plaintext;
}

/**
 * Seals the header JSON bytes as one sealed box v1 (aead.ts) with a random nonce, in the format of
 * envelope `version`: the manifest's `v`, which new invoices set to ENVELOPE_VERSION. No default,
 * so a caller cannot seal in one version and sign a manifest that names another by accident.
 */
export async function encryptHeader(dek: Uint8Array, invoiceId: string, plaintext: Uint8Array, version: EnvelopeVersion): Promise<Bytes> {
  return sealBytes(await importHeaderKey(dek), headerPlaintext(plaintext, version), headerAad(invoiceId));
}

/** Golden test vectors only: a fixed nonce. Production code calls `encryptHeader`. */
export async function encryptHeaderWithNonce(
  dek: Uint8Array,
  invoiceId: string,
  plaintext: Uint8Array,
  nonce: Uint8Array,
  version: EnvelopeVersion,
): Promise<Bytes> {
  return sealBytesWithNonce(await importHeaderKey(dek), nonce, headerPlaintext(plaintext, version), headerAad(invoiceId));
}

/**
 * Opens a header sealed in envelope `version` — always the one its signed manifest names, never a
 * guess. Wrong DEK, wrong invoice id or any tampering → `decrypt_failed`; bad v2 padding → `bad_padding`.
 */
export async function decryptHeader(dek: Uint8Array, invoiceId: string, sealed: Uint8Array, version: EnvelopeVersion): Promise<Bytes> {
  const plaintext = await openBytes(await importHeaderKey(dek), sealed, headerAad(invoiceId));
  return version >= 2 ? unpadBytes(plaintext) : plaintext;
}
