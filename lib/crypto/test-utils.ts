import { expect } from 'vitest';
import { asBufferSource, fromBase64Url, fromHex, type Bytes } from './encoding';
import { CryptoError, type CryptoErrorCode } from './errors';

/** Asserts a rejection is our CryptoError with `code` (and not, say, a raw DOMException). */
export async function expectCryptoError(promise: Promise<unknown>, code: CryptoErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(CryptoError);
  expect((error as CryptoError).code).toBe(code);
}

export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return copy;
}

/** An Ed25519 key pair from a fixed 32-byte seed (hex): Ed25519 is deterministic, so golden vectors stay fixed. */
export interface Signer {
  privateKey: CryptoKey;
  publicKey: Bytes;
  b64: string;
}

export async function signerFromSeed(seedHex: string): Promise<Signer> {
  // PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410).
  const pkcs8 = fromHex('302e020100300506032b657004220420' + seedHex);
  const privateKey = await crypto.subtle.importKey('pkcs8', asBufferSource(pkcs8), 'Ed25519', true, ['sign']);
  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  return { privateKey, publicKey: fromBase64Url(jwk.x!), b64: jwk.x! };
}
