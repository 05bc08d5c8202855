/** Ciphertext travels in parts of whole STREAM records (DESIGN §4: 64 KiB plaintext + 16-byte tag). */
export const CIPHERTEXT_RECORD_BYTES = 65536 + 16;
export const RECORDS_PER_PART = 16;
export const PART_BYTES = CIPHERTEXT_RECORD_BYTES * RECORDS_PER_PART;
/**
 * Parts a client keeps in flight at once: enough to overlap one part's fsync and database write
 * with the next parts' transfer (measured: four at a time nearly doubles what one at a time
 * reaches), few enough that memory stays at a few MiB and one browser does not hog the server.
 */
export const PART_UPLOAD_CONCURRENCY = 4;

export function partCountFor(ciphertextSize: number): number {
  return Math.max(1, Math.ceil(ciphertextSize / PART_BYTES));
}

/** Size of part `index` of a file with this ciphertext size (the last part may be short). */
export function partSizeFor(ciphertextSize: number, index: number): number {
  return Math.min(PART_BYTES, ciphertextSize - index * PART_BYTES);
}
