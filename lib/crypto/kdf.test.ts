import { describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8Encode } from './encoding';
import { hkdfAesGcmKey, hkdfBytes, sha256 } from './kdf';

const seq = (length: number): Uint8Array => Uint8Array.from({ length }, (_, i) => i);

describe('kdf', () => {
  // Cross-checked once against node:crypto hkdfSync('sha256', …).
  it('matches the HKDF-SHA-256 golden vector', async () => {
    const okm = await hkdfBytes(seq(32), seq(13), 'zkinvoice/v1/test-vector', 42);
    expect(toHex(okm)).toBe('0155586213761623e3cbf478758a204906614e84af423257e9b4bd067fa3009571eba4b1ae9524774e12');
  });

  it('separates outputs by info and salt', async () => {
    const a = await hkdfBytes(seq(32), seq(13), 'zkinvoice/v1/a', 32);
    const b = await hkdfBytes(seq(32), seq(13), 'zkinvoice/v1/b', 32);
    const c = await hkdfBytes(seq(32), seq(12), 'zkinvoice/v1/a', 32);
    expect(toHex(a)).not.toBe(toHex(b));
    expect(toHex(a)).not.toBe(toHex(c));
  });

  it('refuses an info without the zkinvoice/v1/ prefix', async () => {
    await expect(hkdfBytes(seq(32), seq(0), 'passkey-kek', 32)).rejects.toThrow(/zkinvoice\/v1\//);
    await expect(hkdfAesGcmKey(seq(32), seq(0), 'zkinvoice/v2/x')).rejects.toThrow(/zkinvoice\/v1\//);
  });

  it('derives a non-extractable AES-256-GCM key', async () => {
    const key = await hkdfAesGcmKey(seq(32), seq(0), 'zkinvoice/v1/test-vector');
    expect(key.extractable).toBe(false);
    expect(key.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
  });

  it('hashes with SHA-256 (FIPS 180-2 "abc")', async () => {
    expect(await sha256(utf8Encode('abc'))).toEqual(
      fromHex('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'),
    );
  });
});
