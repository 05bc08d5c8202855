// Bundled by bench/encrypt.ts for one Chromium page: the real envelope code against bare
// WebCrypto AES-256-GCM over the same 64 KiB records, in the same page.
import { RECORD_SIZE, encryptFileStream, generateDek, paddedLength } from '@/lib/crypto/envelope';

export interface EncryptRun {
  ms: number;
  plaintextBytes: number;
  /** Bytes actually sealed: the envelope adds Padmé padding, bare WebCrypto seals the plaintext only. */
  sealedPlaintextBytes: number;
  ciphertextBytes: number;
}

const SOURCE = new Uint8Array(1024 * 1024);
for (let offset = 0; offset < SOURCE.length; offset += 65536) crypto.getRandomValues(SOURCE.subarray(offset, offset + 65536));
const AAD = new TextEncoder().encode('zkinvoice/v1/file|00000000-0000-4000-8000-000000000000|00000000-0000-4000-8000-000000000001');

/** `size` bytes in 64 KiB chunks, as File.stream() delivers a file in Chromium. */
async function* chunks(size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < size; offset += RECORD_SIZE) {
    const start = offset % SOURCE.length;
    yield SOURCE.subarray(start, start + Math.min(RECORD_SIZE, size - offset));
  }
}

async function envelope(size: number): Promise<EncryptRun> {
  const dek = generateDek();
  const ids = { invoiceId: crypto.randomUUID(), fileId: crypto.randomUUID() };
  const started = performance.now();
  let ciphertextBytes = 0;
  for await (const record of encryptFileStream(dek, ids, chunks(size), size)) ciphertextBytes += record.byteLength;
  return { ms: performance.now() - started, plaintextBytes: size, sealedPlaintextBytes: paddedLength(size), ciphertextBytes };
}

/** One AES-GCM call per 64 KiB record, awaited in turn, as encryptFileStream does; `inFlight` > 1 batches them. */
async function bare(size: number, inFlight = 1): Promise<EncryptRun> {
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
  const started = performance.now();
  let ciphertextBytes = 0;
  let index = 0;
  const pending: Promise<ArrayBuffer>[] = [];
  for await (const chunk of chunks(size)) {
    const iv = new Uint8Array(12);
    new DataView(iv.buffer).setUint32(7, index++);
    pending.push(crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: AAD }, key, chunk as Uint8Array<ArrayBuffer>));
    if (pending.length >= inFlight) for (const result of await Promise.all(pending.splice(0))) ciphertextBytes += result.byteLength;
  }
  for (const result of await Promise.all(pending)) ciphertextBytes += result.byteLength;
  return { ms: performance.now() - started, plaintextBytes: size, sealedPlaintextBytes: size, ciphertextBytes };
}

(globalThis as unknown as { zkBench: unknown }).zkBench = { envelope, bare };
