import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, equalBytes, fromBase64Url, fromHex, randomBytes, toBase64Url, toHex, utf8Decode, utf8Encode } from './encoding';
import { CryptoError } from './errors';

describe('encoding', () => {
  it('encodes base64url per RFC 4648 §10 (unpadded, url alphabet)', () => {
    const vectors: [string, string][] = [
      ['', ''], ['f', 'Zg'], ['fo', 'Zm8'], ['foo', 'Zm9v'], ['foob', 'Zm9vYg'], ['fooba', 'Zm9vYmE'], ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(toBase64Url(utf8Encode(plain))).toBe(encoded);
      expect(utf8Decode(fromBase64Url(encoded))).toBe(plain);
    }
    expect(toBase64Url(Uint8Array.of(0xfb, 0xff))).toBe('-_8');
  });

  it('round-trips any bytes through base64url and hex', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
        expect(fromHex(toHex(bytes))).toEqual(bytes);
      }),
    );
  });

  it('rejects junk base64url, including padding and non-canonical trailing bits', () => {
    for (const junk of ['Zg==', 'Zm9v+', 'Zm9v/', 'a', 'Zh', 'Zm 9v', 'é']) {
      expect(() => fromBase64Url(junk)).toThrow(CryptoError);
    }
  });

  it('rejects junk hex and invalid UTF-8', () => {
    expect(() => fromHex('abc')).toThrow(CryptoError);
    expect(() => fromHex('zz')).toThrow(CryptoError);
    expect(() => utf8Decode(Uint8Array.of(0xff))).toThrow(CryptoError);
  });

  it('concatenates and compares bytes', () => {
    expect(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3))).toEqual(Uint8Array.of(1, 2, 3));
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3))).toBe(false);
  });

  it('fills random bytes beyond the 64 KiB getRandomValues limit', () => {
    const bytes = randomBytes(70_000);
    expect(bytes.length).toBe(70_000);
    expect(bytes.subarray(66_000).some((byte) => byte !== 0)).toBe(true);
  });
});
