import { concatByteList, type Bytes } from '../encoding';
import { CryptoError } from '../errors';
import { sha256 } from '../kdf';
import { CIPHERTEXT_RECORD_SIZE, RECORD_TAG_SIZE } from './format';
import { sliceRecords } from './records';

export type CiphertextDigest = { update(record: Uint8Array): Promise<void>; digest(): Promise<Bytes> };

/**
 * The `files[i].sha256` of a manifest: SHA-256(SHA-256(record_0) ‖ SHA-256(record_1) ‖ …) over the
 * ciphertext records in order. WebCrypto has no incremental SHA-256, so a plain hash of a large
 * file would need it all in memory; a hash list needs 32 bytes per 64 KiB record and is as
 * collision-resistant as SHA-256 (fixed-length entries, so the list splits only one way).
 *
 * `update` takes exactly one ciphertext record per call, as `encryptFileStream` yields them; every
 * record but the last must be full, so a mis-sliced stream fails here (`bad_format`) rather than
 * producing a digest that silently never matches.
 */
export function createCiphertextDigest(): CiphertextDigest {
  // Promises pushed in call order, so the list stays in record order even if updates overlap.
  const recordHashes: Promise<Bytes>[] = [];
  let sawShortRecord = false;
  return {
    async update(record: Uint8Array): Promise<void> {
      if (record.length <= RECORD_TAG_SIZE || record.length > CIPHERTEXT_RECORD_SIZE) {
        throw new CryptoError('bad_format', `ciphertext record of ${record.length} bytes`);
      }
      if (sawShortRecord) throw new CryptoError('bad_format', 'ciphertext record after a short final record');
      sawShortRecord = record.length < CIPHERTEXT_RECORD_SIZE;
      const hash = sha256(record);
      recordHashes.push(hash);
      await hash;
    },
    async digest(): Promise<Bytes> {
      if (recordHashes.length === 0) throw new CryptoError('bad_format', 'a file has at least one record');
      return sha256(concatByteList(await Promise.all(recordHashes)));
    },
  };
}

/** The same digest over ciphertext in chunks of any size (e.g. stored upload parts), re-sliced into records. */
export async function ciphertextDigestOf(chunks: AsyncIterable<Uint8Array>): Promise<Bytes> {
  const digest = createCiphertextDigest();
  for await (const { bytes } of sliceRecords(chunks, CIPHERTEXT_RECORD_SIZE)) {
    if (bytes.length > 0) await digest.update(bytes);
  }
  return digest.digest();
}
