import { expect } from 'vitest';
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
