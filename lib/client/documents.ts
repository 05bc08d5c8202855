import 'client-only';

import { decryptFileStream } from '@/lib/crypto/envelope';
import { ApiError } from './api';

async function* responseChunks(response: Response): AsyncGenerator<Uint8Array> {
  if (!response.body) return;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

/**
 * Where a document's ciphertext comes from: a member's session (the default), or a guest's proof of
 * a claim link (the guest view). Either way it is only ciphertext; this browser decrypts it.
 */
export type DocumentSource = (invoiceId: string, fileId: string) => Promise<Response>;

const memberSource: DocumentSource = (invoiceId, fileId) => fetch(`/api/invoices/${invoiceId}/files/${fileId}`, { credentials: 'same-origin' });

/**
 * Downloads a document's ciphertext and yields its plaintext record by record as it streams in, so
 * memory stays flat in the document's size. An altered, reordered or missing record, or a length
 * other than `expectedSize`, throws before the last chunk is handed out: whoever collects the
 * chunks never ends up with a partially decrypted document that looks complete.
 */
export async function* decryptDocumentChunks(invoiceId: string, fileId: string, dek: Uint8Array, expectedSize?: number, source: DocumentSource = memberSource): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  const response = await source(invoiceId, fileId);
  if (!response.ok) throw ApiError.local(response.status === 404 ? 'not_found' : 'internal', 'document_download_failed', response.status);
  let bytes = 0;
  let pending: Uint8Array<ArrayBuffer> | null = null;
  for await (const chunk of decryptFileStream(dek, { invoiceId, fileId }, responseChunks(response))) {
    if (pending) yield pending;
    pending = chunk;
    bytes += chunk.byteLength;
  }
  if (expectedSize !== undefined && bytes !== expectedSize) throw new Error('The document does not have the size the supplier signed.');
  if (pending) yield pending;
}

/** A whole document, decrypted (see decryptDocumentChunks); `onProgress` gets the bytes so far. */
export async function decryptDocument(invoiceId: string, fileId: string, dek: Uint8Array, mediaType: string, onProgress?: (bytes: number) => void, source?: DocumentSource): Promise<Blob> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  for await (const chunk of decryptDocumentChunks(invoiceId, fileId, dek, undefined, source)) {
    parts.push(chunk);
    bytes += chunk.byteLength;
    onProgress?.(bytes);
  }
  return new Blob(parts, { type: mediaType });
}

type SharedDocument = { blob: Promise<Blob>; listeners: Set<(bytes: number) => void> };
const sharedDocuments = new WeakMap<Uint8Array, Map<string, SharedDocument>>();

/**
 * decryptDocument, shared by everything on the page that needs the same document (the preview and
 * the e-invoice reader), so it is downloaded and decrypted once. Keyed by the invoice's DEK
 * object: the cache lives exactly as long as the opened invoice. A failure is not cached.
 */
export function decryptDocumentOnce(invoiceId: string, fileId: string, dek: Uint8Array, mediaType: string, onProgress?: (bytes: number) => void, source?: DocumentSource): Promise<Blob> {
  let files = sharedDocuments.get(dek);
  if (!files) {
    files = new Map();
    sharedDocuments.set(dek, files);
  }
  let entry = files.get(fileId);
  if (!entry) {
    const listeners = new Set<(bytes: number) => void>();
    const blob = decryptDocument(invoiceId, fileId, dek, mediaType, (bytes) => listeners.forEach((listener) => listener(bytes)), source);
    const created: SharedDocument = { blob, listeners };
    const cache = files;
    blob.catch(() => cache.get(fileId) === created && cache.delete(fileId));
    files.set(fileId, created);
    entry = created;
  }
  if (onProgress) entry.listeners.add(onProgress);
  return entry.blob;
}

/** Hands a decrypted document to the browser's download manager under its original name. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
