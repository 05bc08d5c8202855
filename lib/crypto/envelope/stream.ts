import { domainLabel } from '../domain';
import { asBufferSource, utf8Encode, type Bytes } from '../encoding';
import { CryptoError } from '../errors';
import { hkdfAesGcmKey } from '../kdf';
import { assertDek } from './dek';
import {
  CIPHERTEXT_RECORD_SIZE,
  PADDING_MARKER,
  RECORD_SIZE,
  RECORD_TAG_SIZE,
  paddedLength,
  recordCountFor,
} from './format';
import { PaddingStripper } from './padding';
import { sliceRecords, type RecordSlice } from './records';

/** Which file of which invoice a record stream belongs to. */
export type FileIds = { invoiceId: string; fileId: string };

const NONCE_LENGTH = 12;
const COUNTER_LENGTH = 11;
const FINAL_FLAG = 0x01;
/**
 * Records decrypted concurrently. WebCrypto runs AES-GCM off the main thread, and batched calls
 * measured ~2× faster than one at a time (ENVIRONMENT.md); four keeps memory at a few records.
 */
const DECRYPT_BATCH = 4;

/**
 * fileKey = HKDF(DEK, salt = utf8(fileId), info "zkinvoice/v1/file"): each file of an invoice gets
 * its own key, so record nonces (which restart at 0 per file) never repeat under one key. Imported
 * once per file, non-extractable.
 */
async function importFileKey(dek: Uint8Array, fileId: string): Promise<CryptoKey> {
  assertDek(dek);
  return hkdfAesGcmKey(dek, utf8Encode(fileId), domainLabel('file'));
}

/**
 * AAD `zkinvoice/v1/file|<invoiceId>|<fileId>`: the server cannot move a file to another invoice or
 * swap two files of one invoice, even though the key alone already differs per file id.
 */
function fileAad(ids: FileIds): Bytes {
  return utf8Encode(domainLabel('file', ids.invoiceId, ids.fileId));
}

/**
 * STREAM nonce (Hoang, Reyhanitabar, Rogaway, Vizár 2015): 11-byte big-endian record index ‖ final
 * flag. The index makes reordering fail; the flag makes cutting the stream after any record fail,
 * since only the real last record authenticates with flag 0x01.
 */
export function recordNonce(index: number, final: boolean): Bytes {
  const nonce = new Uint8Array(NONCE_LENGTH);
  let rest = index;
  for (let i = COUNTER_LENGTH - 1; i >= 0 && rest > 0; i--) {
    nonce[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  nonce[COUNTER_LENGTH] = final ? FINAL_FLAG : 0x00;
  return nonce;
}

async function sealRecord(key: CryptoKey, aad: Bytes, index: number, final: boolean, plaintext: Uint8Array): Promise<Bytes> {
  const params = { name: 'AES-GCM', iv: recordNonce(index, final), additionalData: aad };
  return new Uint8Array(await globalThis.crypto.subtle.encrypt(params, key, asBufferSource(plaintext)));
}

async function openRecord(key: CryptoKey, aad: Bytes, index: number, final: boolean, ciphertext: Bytes): Promise<Bytes | null> {
  const params = { name: 'AES-GCM', iv: recordNonce(index, final), additionalData: aad };
  try {
    return new Uint8Array(await globalThis.crypto.subtle.decrypt(params, key, ciphertext));
  } catch {
    return null;
  }
}

/**
 * Encrypts one document as STREAM records of RECORD_SIZE plaintext bytes: the data, then the Padmé
 * padding (0x80 ‖ zeros, see `paddedLength`), the last record flagged final. Input chunks may have
 * any size; one plaintext record is buffered and one ciphertext record yielded at a time, so memory
 * stays flat in the file size. A source that yields more or fewer than `plaintextSize` bytes (a
 * file changed while it was read) throws `bad_format`, before any record past the declared size.
 */
export async function* encryptFileStream(
  dek: Uint8Array,
  ids: FileIds,
  source: AsyncIterable<Uint8Array>,
  plaintextSize: number,
): AsyncGenerator<Bytes> {
  const total = paddedLength(plaintextSize);
  const recordCount = recordCountFor(plaintextSize);
  const key = await importFileKey(dek, ids.fileId);
  const aad = fileAad(ids);
  const buffer = new Uint8Array(RECORD_SIZE);
  let filled = 0;
  let written = 0;
  let index = 0;
  // A full buffer is sealed only once more bytes are known to follow, so the final record is the
  // one sealed after the loop and is never empty (the padding is at least the marker byte).
  const sealFullBuffer = async (): Promise<Bytes> => {
    const record = await sealRecord(key, aad, index++, false, buffer);
    filled = 0;
    return record;
  };

  for await (const chunk of source) {
    if (written + chunk.length > plaintextSize) throw new CryptoError('bad_format', 'source is longer than plaintextSize');
    let offset = 0;
    while (offset < chunk.length) {
      if (filled === RECORD_SIZE) yield await sealFullBuffer();
      const take = Math.min(RECORD_SIZE - filled, chunk.length - offset);
      buffer.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      written += take;
    }
  }
  if (written !== plaintextSize) throw new CryptoError('bad_format', 'source is shorter than plaintextSize');

  let marker = true;
  while (written < total) {
    if (filled === RECORD_SIZE) yield await sealFullBuffer();
    const take = Math.min(RECORD_SIZE - filled, total - written);
    buffer.fill(0, filled, filled + take);
    if (marker) buffer[filled] = PADDING_MARKER;
    marker = false;
    filled += take;
    written += take;
  }
  if (index !== recordCount - 1) throw new Error('record count does not match recordCountFor');
  yield await sealRecord(key, aad, index, true, buffer.subarray(0, filled));
}

/**
 * Decrypts one record. A record known not to be last must open with flag 0; if it opens only as
 * final, the stream continues past its end (`bad_format`). The record the stream ends with must
 * open as final; if it opens only as non-final, is too short to hold any plaintext, or the stream
 * holds no record at all, the stream was cut short (`truncated`). Everything else — tampering,
 * reordering, wrong DEK or ids, a stream cut inside a record — is `decrypt_failed`. Appended data
 * is `bad_format` only when the real final record is full; after a short one, the record
 * boundary is lost and the merged record fails as `decrypt_failed`.
 */
async function decryptRecord(key: CryptoKey, aad: Bytes, index: number, slice: RecordSlice): Promise<Bytes> {
  const { bytes, last } = slice;
  if (last && bytes.length <= RECORD_TAG_SIZE) throw new CryptoError('truncated', 'stream ends without a final record');
  const plaintext = await openRecord(key, aad, index, last, bytes);
  if (plaintext !== null) return plaintext;
  if (last && bytes.length === CIPHERTEXT_RECORD_SIZE && (await openRecord(key, aad, index, false, bytes)) !== null) {
    throw new CryptoError('truncated', 'stream ends without a final record');
  }
  if (!last && (await openRecord(key, aad, index, true, bytes)) !== null) {
    throw new CryptoError('bad_format', 'data after the final record');
  }
  throw new CryptoError('decrypt_failed', `record ${index} did not authenticate`);
}

/** Decrypts a batch concurrently, but reports the failure of the earliest record, as a sequential reader would. */
async function decryptBatch(key: CryptoKey, aad: Bytes, firstIndex: number, slices: RecordSlice[]): Promise<Bytes[]> {
  const results = await Promise.allSettled(slices.map((slice, i) => decryptRecord(key, aad, firstIndex + i, slice)));
  return results.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
}

/**
 * Decrypts a document from ciphertext chunks of any size and streams out its plaintext without
 * the padding. Each yielded chunk is authenticated before it is yielded, but only a generator that
 * completes without throwing has delivered the whole, untruncated file: a caller must discard
 * everything it received if iteration throws. Errors: `decrypt_failed`, `truncated`,
 * `bad_format` (data after the final record), `bad_padding` (see PaddingStripper).
 */
export async function* decryptFileStream(
  dek: Uint8Array,
  ids: FileIds,
  source: AsyncIterable<Uint8Array>,
): AsyncGenerator<Bytes> {
  const key = await importFileKey(dek, ids.fileId);
  const aad = fileAad(ids);
  const stripper = new PaddingStripper();
  let batch: RecordSlice[] = [];
  let nextIndex = 0;
  for await (const slice of sliceRecords(source, CIPHERTEXT_RECORD_SIZE)) {
    batch.push(slice);
    if (batch.length < DECRYPT_BATCH && !slice.last) continue;
    const plaintexts = await decryptBatch(key, aad, nextIndex, batch);
    nextIndex += batch.length;
    batch = [];
    for (const plaintext of plaintexts) yield* stripper.push(plaintext);
  }
  stripper.finish();
}
