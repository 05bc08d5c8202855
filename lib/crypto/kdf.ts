import { assertDomainLabel } from './domain';
import { asBufferSource, utf8Encode, type Bytes } from './encoding';

async function importHkdfKey(ikm: Uint8Array): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('raw', asBufferSource(ikm), 'HKDF', false, [
    'deriveBits',
    'deriveKey',
  ]);
}

function hkdfParams(salt: Uint8Array, info: string): HkdfParams {
  assertDomainLabel(info);
  return { name: 'HKDF', hash: 'SHA-256', salt: asBufferSource(salt), info: utf8Encode(info) };
}

/** HKDF-SHA-256 to raw bytes. `info` names the purpose and ids, so outputs never collide. */
export async function hkdfBytes(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: string,
  length: number,
): Promise<Bytes> {
  const bits = await globalThis.crypto.subtle.deriveBits(
    hkdfParams(salt, info),
    await importHkdfKey(ikm),
    length * 8,
  );
  return new Uint8Array(bits);
}

/**
 * HKDF-SHA-256 straight into a non-extractable AES-256-GCM key: the derived key bytes never
 * exist in JavaScript memory.
 */
export async function hkdfAesGcmKey(ikm: Uint8Array, salt: Uint8Array, info: string): Promise<CryptoKey> {
  return globalThis.crypto.subtle.deriveKey(
    hkdfParams(salt, info),
    await importHkdfKey(ikm),
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

export async function sha256(data: Uint8Array): Promise<Bytes> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', asBufferSource(data)));
}
