import { openBytes, sealBytes, sealBytesWithNonce } from '../aead';
import { domainLabel } from '../domain';
import { equalBytes, fromBase64Url, randomBytes, type Bytes } from '../encoding';
import { CryptoError } from '../errors';
import { hkdfAesGcmKey, hkdfBytes } from '../kdf';

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

/** Seals the header JSON bytes as one sealed box v1 (aead.ts) with a random nonce. */
export async function encryptHeader(dek: Uint8Array, invoiceId: string, plaintext: Uint8Array): Promise<Bytes> {
  return sealBytes(await importHeaderKey(dek), plaintext, headerAad(invoiceId));
}

/** Golden test vectors only: a fixed nonce. Production code calls `encryptHeader`. */
export async function encryptHeaderWithNonce(
  dek: Uint8Array,
  invoiceId: string,
  plaintext: Uint8Array,
  nonce: Uint8Array,
): Promise<Bytes> {
  return sealBytesWithNonce(await importHeaderKey(dek), nonce, plaintext, headerAad(invoiceId));
}

/** Wrong DEK, wrong invoice id or any tampering → `decrypt_failed`. */
export async function decryptHeader(dek: Uint8Array, invoiceId: string, sealed: Uint8Array): Promise<Bytes> {
  return openBytes(await importHeaderKey(dek), sealed, headerAad(invoiceId));
}
