import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { concatBytes, randomBytes, toHex } from '../encoding';
import { sha256 } from '../kdf';
import { expectCryptoError } from '../test-utils';
import { ciphertextDigestOf, createCiphertextDigest } from './digest';
import { CIPHERTEXT_RECORD_SIZE } from './format';
import { encryptFileStream } from './stream';
import { collect, fromChunks, splitBySizes } from './test-streams';

const IDS = { invoiceId: 'inv-1', fileId: 'file-1' };

describe('ciphertext digest', () => {
  it('is SHA-256 over the SHA-256 of each record, the same incrementally and over chunks of any size', async () => {
    const plaintext = randomBytes(200_000);
    const records = await collect(encryptFileStream(randomBytes(32), IDS, fromChunks([plaintext]), plaintext.length));
    const expected = await sha256(concatBytes(...(await Promise.all(records.map((record) => sha256(record))))));
    const incremental = createCiphertextDigest();
    for (const record of records) await incremental.update(record);
    expect(toHex(await incremental.digest())).toBe(toHex(expected));
    const ciphertext = concatBytes(...records);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 150_000 }), { minLength: 1, maxLength: 6 }), async (sizes) => {
        expect(toHex(await ciphertextDigestOf(fromChunks(splitBySizes(ciphertext, sizes))))).toBe(toHex(expected));
      }),
      { numRuns: 20 },
    );
  });

  it('keeps record order even when overlapping updates finish out of order', async () => {
    const records = [randomBytes(CIPHERTEXT_RECORD_SIZE), randomBytes(CIPHERTEXT_RECORD_SIZE), randomBytes(100)];
    const sequential = createCiphertextDigest();
    for (const record of records) await sequential.update(record);
    const expected = toHex(await sequential.digest());
    const subtle = globalThis.crypto.subtle;
    const digestOnce = subtle.digest.bind(subtle);
    let calls = 0;
    // The first record's hash finishes last.
    const spy = vi.spyOn(subtle, 'digest').mockImplementation(async (algorithm, data) => {
      if (calls++ === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      return digestOnce(algorithm, data);
    });
    try {
      const overlapping = createCiphertextDigest();
      await Promise.all(records.map((record) => overlapping.update(record)));
      expect(toHex(await overlapping.digest())).toBe(expected);
    } finally {
      spy.mockRestore();
    }
  });

  it('changes when a record changes or two records swap', async () => {
    const [a, b] = [randomBytes(CIPHERTEXT_RECORD_SIZE), randomBytes(CIPHERTEXT_RECORD_SIZE)];
    const digestOf = async (...records: Uint8Array[]): Promise<string> => {
      const digest = createCiphertextDigest();
      for (const record of records) await digest.update(record);
      return toHex(await digest.digest());
    };
    expect(await digestOf(a, b)).not.toBe(await digestOf(b, a));
    const changed = new Uint8Array(b);
    changed[5] = (changed[5] ?? 0) ^ 1;
    expect(await digestOf(a, changed)).not.toBe(await digestOf(a, b));
  });

  it('refuses records that cannot be part of a file (bad_format)', async () => {
    await expectCryptoError(createCiphertextDigest().update(new Uint8Array(16)), 'bad_format');
    await expectCryptoError(createCiphertextDigest().update(new Uint8Array(CIPHERTEXT_RECORD_SIZE + 1)), 'bad_format');
    const afterShort = createCiphertextDigest();
    await afterShort.update(new Uint8Array(100));
    await expectCryptoError(afterShort.update(new Uint8Array(CIPHERTEXT_RECORD_SIZE)), 'bad_format');
    await expectCryptoError(createCiphertextDigest().digest(), 'bad_format');
    await expectCryptoError(ciphertextDigestOf(fromChunks([])), 'bad_format');
  });
});
