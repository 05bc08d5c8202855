import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importAesGcmKey, openBytes, sealBytes, sealBytesWithNonce } from './aead';
import { fromHex, randomBytes, toHex, utf8Decode, utf8Encode } from './encoding';
import { expectCryptoError, flipBit } from './test-utils';

const seq = (length: number, start = 0): Uint8Array => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);
const AAD = 'zkinvoice/v1/test-vector|abc';
// Cross-checked once against node:crypto createCipheriv('aes-256-gcm') with AAD 0x01 ‖ utf8(AAD).
const GOLDEN =
  '01a0a1a2a3a4a5a6a7a8a9aaab9c73154333a46bdc0745e0bc6b1ea5b050dc3571fbd93609e47afb2459fe35cc9e646bcaff9952dbf02f';

describe('sealed box v1', () => {
  it('matches the golden vector and opens it', async () => {
    const key = await importAesGcmKey(seq(32));
    const sealed = await sealBytesWithNonce(key, seq(12, 0xa0), utf8Encode('zkinvoice golden plaintext'), AAD);
    expect(toHex(sealed)).toBe(GOLDEN);
    expect(utf8Decode(await openBytes(key, fromHex(GOLDEN), AAD))).toBe('zkinvoice golden plaintext');
  });

  it('round-trips with fresh nonces', async () => {
    const key = await importAesGcmKey(randomBytes(32));
    const plaintext = randomBytes(100);
    const a = await sealBytes(key, plaintext, AAD);
    const b = await sealBytes(key, plaintext, AAD);
    expect(toHex(a)).not.toBe(toHex(b));
    expect(await openBytes(key, a, AAD)).toEqual(plaintext);
  });

  it('imports keys non-extractable and only at 32 bytes', async () => {
    expect((await importAesGcmKey(seq(32))).extractable).toBe(false);
    await expectCryptoError(importAesGcmKey(seq(16)), 'bad_key');
  });

  it('fails with decrypt_failed under a wrong key or wrong AAD', async () => {
    const key = await importAesGcmKey(seq(32));
    await expectCryptoError(openBytes(await importAesGcmKey(seq(32, 1)), fromHex(GOLDEN), AAD), 'decrypt_failed');
    await expectCryptoError(openBytes(key, fromHex(GOLDEN), 'zkinvoice/v1/test-vector|abd'), 'decrypt_failed');
  });

  it('fails on any flipped bit (unsupported_version in the version byte, decrypt_failed elsewhere)', async () => {
    const key = await importAesGcmKey(seq(32));
    const sealed = fromHex(GOLDEN);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: sealed.length * 8 - 1 }), async (bit) => {
        await expectCryptoError(openBytes(key, flipBit(sealed, bit), AAD), bit < 8 ? 'unsupported_version' : 'decrypt_failed');
      }),
      { numRuns: 200 },
    );
  });

  it('fails on truncation: bad_format below header+tag, decrypt_failed above', async () => {
    const key = await importAesGcmKey(seq(32));
    const sealed = fromHex(GOLDEN);
    for (let length = 0; length < sealed.length; length++) {
      await expectCryptoError(openBytes(key, sealed.subarray(0, length), AAD), length < 29 ? 'bad_format' : 'decrypt_failed');
    }
  });

  it('refuses an unknown version byte', async () => {
    const key = await importAesGcmKey(seq(32));
    const sealed = fromHex(GOLDEN);
    sealed[0] = 0x02;
    await expectCryptoError(openBytes(key, sealed, AAD), 'unsupported_version');
  });

  it('refuses an AAD without the domain prefix', async () => {
    const key = await importAesGcmKey(seq(32));
    await expect(sealBytes(key, seq(4), 'account-key|u')).rejects.toThrow(/zkinvoice\/v1\//);
  });
});
