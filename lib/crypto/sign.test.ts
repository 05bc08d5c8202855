import { describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8Encode } from './encoding';
import { signWithContext, verifyWithContext } from './sign';

// RFC 8032 §7.1 TEST 1 key pair, as PKCS#8.
const PKCS8 = fromHex('302e020100300506032b657004220420' + '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const PUBLIC_KEY = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
const CONTEXT = 'zkinvoice/v1/test-vector';
// Cross-checked once with node:crypto sign(null, utf8(CONTEXT) ‖ 0x00 ‖ "message", key).
const GOLDEN_SIGNATURE =
  '354a69be2effd602a201e6cf5131f95d5c68248ee9ab8976b566183c1d850dfc5c1a1c0b5580292b173d75baa2c2b9760bfb9d0fa2081640a9b4772146441f04';

async function importSigningKey(): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('pkcs8', PKCS8, 'Ed25519', false, ['sign']);
}

describe('Ed25519 with context', () => {
  it('matches the golden signature and verifies', async () => {
    const signature = await signWithContext(await importSigningKey(), CONTEXT, utf8Encode('message'));
    expect(toHex(signature)).toBe(GOLDEN_SIGNATURE);
    expect(await verifyWithContext(PUBLIC_KEY, CONTEXT, utf8Encode('message'), signature)).toBe(true);
  });

  it('rejects another context, message, key or a flipped signature bit', async () => {
    const signature = fromHex(GOLDEN_SIGNATURE);
    expect(await verifyWithContext(PUBLIC_KEY, 'zkinvoice/v1/other', utf8Encode('message'), signature)).toBe(false);
    expect(await verifyWithContext(PUBLIC_KEY, CONTEXT, utf8Encode('messagf'), signature)).toBe(false);
    const otherKey = new Uint8Array(PUBLIC_KEY);
    otherKey[0] = (otherKey[0] ?? 0) ^ 1;
    expect(await verifyWithContext(otherKey, CONTEXT, utf8Encode('message'), signature)).toBe(false);
    const flipped = new Uint8Array(signature);
    flipped[10] = (flipped[10] ?? 0) ^ 0x20;
    expect(await verifyWithContext(PUBLIC_KEY, CONTEXT, utf8Encode('message'), flipped)).toBe(false);
  });

  it('does not let the context/message split move', async () => {
    const key = await importSigningKey();
    const signature = await signWithContext(key, 'zkinvoice/v1/ab', utf8Encode('c'));
    expect(await verifyWithContext(PUBLIC_KEY, 'zkinvoice/v1/a', utf8Encode('bc'), signature)).toBe(false);
  });

  it('returns false instead of throwing on malformed keys and signatures', async () => {
    const signature = fromHex(GOLDEN_SIGNATURE);
    expect(await verifyWithContext(PUBLIC_KEY.subarray(1), CONTEXT, utf8Encode('message'), signature)).toBe(false);
    expect(await verifyWithContext(PUBLIC_KEY, CONTEXT, utf8Encode('message'), signature.subarray(1))).toBe(false);
    expect(await verifyWithContext(new Uint8Array(32).fill(0xff), CONTEXT, utf8Encode('message'), signature)).toBe(false);
  });

  it('refuses a context without the domain prefix', async () => {
    await expect(signWithContext(await importSigningKey(), 'manifest', utf8Encode('x'))).rejects.toThrow(/zkinvoice\/v1\//);
  });
});
