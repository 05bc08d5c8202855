import { assertDomainLabel } from './domain';
import { asBufferSource, concatBytes, randomBytes, utf8Encode, type Bytes } from './encoding';
import { CryptoError } from './errors';

/** Sealed box v1: `0x01 ‖ nonce(12) ‖ AES-256-GCM ciphertext ‖ tag(16)`. */
const SEALED_BOX_VERSION = 0x01;
const AES_GCM_NONCE_LENGTH = 12;
const AES_GCM_TAG_LENGTH = 16;
const AES_KEY_LENGTH = 32;
const HEADER_LENGTH = 1 + AES_GCM_NONCE_LENGTH;

/**
 * The GCM additional data is `version ‖ utf8(aad)`: the caller's label binds the ciphertext to
 * its owner and purpose, and the version byte is authenticated so a future format cannot be
 * passed off as this one.
 */
function additionalData(version: number, aad: string): Bytes {
  assertDomainLabel(aad);
  return concatBytes(Uint8Array.of(version), utf8Encode(aad));
}

/** Imports 32 raw bytes as a non-extractable AES-256-GCM key. */
export async function importAesGcmKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== AES_KEY_LENGTH) throw new CryptoError('bad_key', 'AES-256 key must be 32 bytes');
  return globalThis.crypto.subtle.importKey('raw', asBufferSource(raw), 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
}

/** Seals a small secret under `key` with a fresh random nonce, bound to `aad`. */
export async function sealBytes(key: CryptoKey, plaintext: Uint8Array, aad: string): Promise<Bytes> {
  return sealBytesWithNonce(key, randomBytes(AES_GCM_NONCE_LENGTH), plaintext, aad);
}

/**
 * Deterministic sealing for golden test vectors only. Reusing a nonce under one key breaks
 * AES-GCM completely; production code calls `sealBytes`.
 */
export async function sealBytesWithNonce(
  key: CryptoKey,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: string,
): Promise<Bytes> {
  if (nonce.length !== AES_GCM_NONCE_LENGTH) throw new Error('AES-GCM nonce must be 12 bytes');
  const ciphertext = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: asBufferSource(nonce), additionalData: additionalData(SEALED_BOX_VERSION, aad) },
    key,
    asBufferSource(plaintext),
  );
  return concatBytes(Uint8Array.of(SEALED_BOX_VERSION), nonce, new Uint8Array(ciphertext));
}

/**
 * Opens a sealed box. Too short to hold header and tag → `bad_format`; unknown version →
 * `unsupported_version`; any authentication failure (wrong key, wrong AAD, flipped bit,
 * truncated ciphertext) → `decrypt_failed`.
 */
export async function openBytes(key: CryptoKey, sealed: Uint8Array, aad: string): Promise<Bytes> {
  const version = sealed[0];
  if (version === undefined) throw new CryptoError('bad_format', 'empty sealed box');
  if (version !== SEALED_BOX_VERSION) throw new CryptoError('unsupported_version', `sealed box v${version}`);
  if (sealed.length < HEADER_LENGTH + AES_GCM_TAG_LENGTH) throw new CryptoError('bad_format', 'sealed box too short');
  const params = {
    name: 'AES-GCM',
    iv: asBufferSource(sealed.subarray(1, HEADER_LENGTH)),
    additionalData: additionalData(version, aad),
  };
  try {
    const plaintext = await globalThis.crypto.subtle.decrypt(params, key, asBufferSource(sealed.subarray(HEADER_LENGTH)));
    return new Uint8Array(plaintext);
  } catch (cause) {
    throw new CryptoError('decrypt_failed', 'sealed box did not authenticate', { cause });
  }
}
