import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, equalBytes, randomBytes, utf8Encode, type Bytes } from '../encoding';
import { hkdfAesGcmKey } from '../kdf';
import { expectCryptoError, flipBit } from '../test-utils';
import { CIPHERTEXT_RECORD_SIZE, RECORD_SIZE, ciphertextLengthFor, padmeLength, recordCountFor } from './format';
import { decryptFileStream, encryptFileStream, recordNonce, type FileIds } from './stream';
import { collect, collectBytes, fromChunks, splitBySizes } from './test-streams';

const IDS: FileIds = { invoiceId: 'inv-1', fileId: 'file-1' };
const DEK = randomBytes(32);

async function encrypt(plaintext: Uint8Array, chunkSizes: number[] = [plaintext.length], ids = IDS, dek = DEK): Promise<Bytes[]> {
  return collect(encryptFileStream(dek, ids, fromChunks(splitBySizes(plaintext, chunkSizes)), plaintext.length));
}

async function decrypt(records: Uint8Array[], ids = IDS, dek = DEK): Promise<Bytes> {
  return collectBytes(decryptFileStream(dek, ids, fromChunks(records)));
}

/**
 * Seals arbitrary padded plaintext as records, bypassing encryptFileStream's padding, to build
 * files only a misbehaving DEK holder could write. The key derivation is spelled out again here
 * on purpose, as a second statement of the format.
 */
async function sealRaw(padded: Uint8Array, recordSizes: number[]): Promise<Bytes[]> {
  const key = await hkdfAesGcmKey(DEK, utf8Encode(IDS.fileId), 'zkinvoice/v1/file');
  const aad = utf8Encode(`zkinvoice/v1/file|${IDS.invoiceId}|${IDS.fileId}`);
  const records: Bytes[] = [];
  let offset = 0;
  for (const [index, size] of recordSizes.entries()) {
    const params = { name: 'AES-GCM', iv: recordNonce(index, index === recordSizes.length - 1), additionalData: aad };
    const plaintext = padded.slice(offset, offset + size);
    records.push(new Uint8Array(await globalThis.crypto.subtle.encrypt(params, key, plaintext)));
    offset += size;
  }
  return records;
}

// Three records (65,536 + 65,536 + 20,480 padded bytes): small enough for many property runs.
const SMALL = randomBytes(150_000);
const smallRecords = encrypt(SMALL);
const chunkSizes = fc.array(fc.integer({ min: 1, max: 3 * RECORD_SIZE }), { minLength: 1, maxLength: 8 });

describe('file STREAM: round trips', () => {
  it.each([0, 1, RECORD_SIZE - 1, RECORD_SIZE, RECORD_SIZE + 1, 2 * RECORD_SIZE, 300_001])(
    'round-trips %i bytes at exactly ciphertextLengthFor(size)',
    async (size) => {
      const plaintext = randomBytes(size);
      const records = await encrypt(plaintext);
      expect(records).toHaveLength(recordCountFor(size));
      expect(records.slice(0, -1).every((record) => record.length === CIPHERTEXT_RECORD_SIZE)).toBe(true);
      expect(records.reduce((sum, record) => sum + record.length, 0)).toBe(ciphertextLengthFor(size));
      expect(equalBytes(await decrypt(records), plaintext)).toBe(true);
    },
  );

  it('round-trips random sizes fed and read back in random chunk sizes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 4 * RECORD_SIZE + 17 }), chunkSizes, chunkSizes, async (size, inSizes, outSizes) => {
        const plaintext = randomBytes(size);
        const ciphertext = concatBytes(...(await encrypt(plaintext, inSizes)));
        expect(ciphertext.length).toBe(ciphertextLengthFor(size));
        expect(equalBytes(await decrypt(splitBySizes(ciphertext, outSizes)), plaintext)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('round-trips several megabytes', async () => {
    const plaintext = randomBytes(5 * 1024 * 1024 + 12_345);
    const records = await encrypt(plaintext, [1_000_003, 17, 262_144]);
    expect(equalBytes(await decrypt(splitBySizes(concatBytes(...records), [99_999])), plaintext)).toBe(true);
  });

  it('keeps data that ends in, starts with or is all zeros or 0x80 bytes (only the last marker is padding)', async () => {
    const zeros = new Uint8Array(3 * RECORD_SIZE + 5);
    const markerThenZeros = concatBytes(Uint8Array.of(1, 0x80), new Uint8Array(2 * RECORD_SIZE));
    const markers = new Uint8Array(RECORD_SIZE + 3).fill(0x80);
    for (const plaintext of [zeros, markerThenZeros, markers, concatBytes(zeros, Uint8Array.of(7), zeros)]) {
      expect(equalBytes(await decrypt(await encrypt(plaintext, [40_000])), plaintext)).toBe(true);
    }
  });

  it('refuses a source longer or shorter than plaintextSize (bad_format)', async () => {
    const plaintext = randomBytes(1000);
    await expectCryptoError(collect(encryptFileStream(DEK, IDS, fromChunks([plaintext]), 999)), 'bad_format');
    // Refused as soon as the excess arrives, not after encrypting it.
    const yielded: Bytes[] = [];
    const longer = encryptFileStream(DEK, IDS, fromChunks([plaintext, randomBytes(3 * RECORD_SIZE)]), 1000);
    await expectCryptoError(
      (async () => {
        for await (const record of longer) yielded.push(record);
      })(),
      'bad_format',
    );
    expect(yielded).toHaveLength(0);
    await expectCryptoError(collect(encryptFileStream(DEK, IDS, fromChunks([plaintext]), 1001)), 'bad_format');
    await expect(collect(encryptFileStream(DEK, IDS, fromChunks([]), -1))).rejects.toThrow(RangeError);
  });

  it('uses a different key per file and a different nonce per record', async () => {
    const plaintext = new Uint8Array(2 * RECORD_SIZE);
    const [a0, a1] = await encrypt(plaintext);
    const [b0] = await encrypt(plaintext, undefined, { ...IDS, fileId: 'file-2' });
    expect(equalBytes(a0!.subarray(0, 32), a1!.subarray(0, 32))).toBe(false);
    expect(equalBytes(a0!.subarray(0, 32), b0!.subarray(0, 32))).toBe(false);
  });
});

describe('file STREAM: tampering', () => {
  it('fails on any single flipped bit (decrypt_failed)', async () => {
    const records = await smallRecords;
    const ciphertext = concatBytes(...records);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: ciphertext.length * 8 - 1 }), async (bit) => {
        await expectCryptoError(decrypt([flipBit(ciphertext, bit)]), 'decrypt_failed');
      }),
      { numRuns: 60 },
    );
  });

  it('reports a stream cut at any record boundary as truncated', async () => {
    const records = await smallRecords;
    for (let kept = 0; kept < records.length; kept++) {
      await expectCryptoError(decrypt(records.slice(0, kept)), 'truncated');
    }
  });

  it('fails on a stream cut inside a record', async () => {
    const ciphertext = concatBytes(...(await smallRecords));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: ciphertext.length - 1 }), async (length) => {
        fc.pre(length % CIPHERTEXT_RECORD_SIZE !== 0);
        const error = await decrypt([ciphertext.subarray(0, length)]).then(() => null, (reason: unknown) => reason);
        expect(error).toMatchObject({ name: 'CryptoError' });
        expect(['truncated', 'decrypt_failed']).toContain((error as { code: string }).code);
      }),
      { numRuns: 40 },
    );
  });

  it('fails when two records are swapped, dropped or duplicated', async () => {
    const [r0, r1, r2] = (await smallRecords) as [Bytes, Bytes, Bytes];
    for (const reordered of [[r1, r0, r2], [r0, r2, r1], [r2, r1, r0], [r0, r2], [r0, r0, r1, r2], [r0, r1, r1, r2]]) {
      await expectCryptoError(decrypt(reordered), 'decrypt_failed');
    }
  });

  it('reports data after a full final record as bad_format', async () => {
    // RECORD_SIZE - 1 bytes pad to exactly one full record, so the final record ends on a boundary.
    const records = await encrypt(randomBytes(RECORD_SIZE - 1));
    expect(records).toHaveLength(1);
    await expectCryptoError(decrypt([...records, Uint8Array.of(0)]), 'bad_format');
    await expectCryptoError(decrypt([...records, ...records]), 'bad_format');
  });

  it('fails under another invoice id, file id or DEK', async () => {
    const records = await smallRecords;
    await expectCryptoError(decrypt(records, { ...IDS, invoiceId: 'inv-2' }), 'decrypt_failed');
    await expectCryptoError(decrypt(records, { ...IDS, fileId: 'file-2' }), 'decrypt_failed');
    await expectCryptoError(decrypt(records, IDS, randomBytes(32)), 'decrypt_failed');
    await expectCryptoError(decrypt(records, IDS, randomBytes(16)), 'bad_key');
  });

  it('fails on a record moved between two files of one invoice', async () => {
    const other = await encrypt(randomBytes(150_000), undefined, { ...IDS, fileId: 'file-2' });
    const [r0, , r2] = (await smallRecords) as [Bytes, Bytes, Bytes];
    await expectCryptoError(decrypt([r0, other[1]!, r2]), 'decrypt_failed');
  });
});

describe('file STREAM: padding', () => {
  it('refuses a file without the 0x80 marker or with non-Padmé padding (bad_padding)', async () => {
    // Bytes 1..100: no zero and no 0x80, so only the tail under test can be (or fail to be) padding.
    const data = Uint8Array.from({ length: 100 }, (_, i) => i + 1);
    const padded = (tail: Uint8Array, length: number): Bytes => {
      const out = new Uint8Array(length);
      out.set(concatBytes(data, tail));
      return out;
    };
    const canonical = padmeLength(101);
    expect(equalBytes(await decrypt(await sealRaw(padded(Uint8Array.of(0x80), canonical), [canonical])), data)).toBe(true);
    for (const [tail, length] of [
      [Uint8Array.of(0x01), canonical],
      [Uint8Array.of(0x80), canonical + 1],
      [Uint8Array.of(0x80, 0x00, 0x00, 0x00, 0x00), canonical + 16],
      [new Uint8Array(0), canonical],
    ] as const) {
      await expectCryptoError(decrypt(await sealRaw(padded(tail, length), [length])), 'bad_padding');
    }
  });

  it('refuses an empty final record as a truncated stream', async () => {
    const padded = new Uint8Array(RECORD_SIZE);
    padded[0] = 0x80;
    await expectCryptoError(decrypt(await sealRaw(padded, [RECORD_SIZE, 0])), 'truncated');
  });

  it('strips padding that spans several all-zero records', async () => {
    // 2,000,000 bytes pad to Padmé(2,000,001) = 2,031,616: the padding fills whole records.
    const plaintext = randomBytes(2_000_000);
    const padded = new Uint8Array(padmeLength(2_000_001));
    padded.set(plaintext);
    padded[plaintext.length] = 0x80;
    const sizes = Array.from({ length: Math.ceil(padded.length / RECORD_SIZE) }, (_, i) =>
      Math.min(RECORD_SIZE, padded.length - i * RECORD_SIZE),
    );
    const records = await sealRaw(padded, sizes);
    expect(equalBytes(concatBytes(...records), concatBytes(...(await encrypt(plaintext))))).toBe(true);
    expect(equalBytes(await decrypt(records), plaintext)).toBe(true);
  });
});
