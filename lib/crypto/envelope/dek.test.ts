import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomBytes, toBase64Url, utf8Decode, utf8Encode } from '../encoding';
import { expectCryptoError, flipBit } from '../test-utils';
import { checkDekCommitment, computeDekCommitment, decryptHeader, encryptHeader, generateDek } from './dek';

const HEADER = utf8Encode(JSON.stringify({ number: 'INV-1', iban: 'DE89370400440532013000', payable: '119.00' }));

describe('DEK and header', () => {
  it('generates distinct 32-byte DEKs', () => {
    const [a, b] = [generateDek(), generateDek()];
    expect(a).toHaveLength(32);
    expect(a).not.toEqual(b);
  });

  it('round-trips the header with a fresh nonce each time', async () => {
    const dek = generateDek();
    const [a, b] = [await encryptHeader(dek, 'inv-1', HEADER, 2), await encryptHeader(dek, 'inv-1', HEADER, 2)];
    expect(a).not.toEqual(b);
    expect(utf8Decode(await decryptHeader(dek, 'inv-1', a, 2))).toBe(utf8Decode(HEADER));
  });

  it('fails on any flipped bit, another invoice id or another DEK', async () => {
    const dek = generateDek();
    const sealed = await encryptHeader(dek, 'inv-1', HEADER, 2);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: sealed.length * 8 - 1 }), async (bit) => {
        await expectCryptoError(decryptHeader(dek, 'inv-1', flipBit(sealed, bit), 2), bit < 8 ? 'unsupported_version' : 'decrypt_failed');
      }),
      { numRuns: 100 },
    );
    await expectCryptoError(decryptHeader(dek, 'inv-2', sealed, 2), 'decrypt_failed');
    await expectCryptoError(decryptHeader(generateDek(), 'inv-1', sealed, 2), 'decrypt_failed');
    await expectCryptoError(decryptHeader(randomBytes(31), 'inv-1', sealed, 2), 'bad_key');
  });

  it('checks the DEK against the manifest commitment', async () => {
    const dek = generateDek();
    const manifest = { dekCommitment: toBase64Url(await computeDekCommitment(dek)) };
    await expect(checkDekCommitment(dek, manifest)).resolves.toBeUndefined();
    await expectCryptoError(checkDekCommitment(generateDek(), manifest), 'bad_commitment');
    await expectCryptoError(checkDekCommitment(dek, { dekCommitment: toBase64Url(randomBytes(32)) }), 'bad_commitment');
  });
});
