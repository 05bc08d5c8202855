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
 * Downloads a document's ciphertext and decrypts it record by record as it streams in. Any altered,
 * reordered or missing record throws before the result is handed out: a document is never shown
 * partially decrypted.
 */
export async function decryptDocument(invoiceId: string, fileId: string, dek: Uint8Array, mediaType: string, onProgress?: (bytes: number) => void): Promise<Blob> {
  const response = await fetch(`/api/invoices/${invoiceId}/files/${fileId}`, { credentials: 'same-origin' });
  if (!response.ok) throw new ApiError(response.status === 404 ? 'not_found' : 'internal', 'The document could not be downloaded.', response.status);
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  for await (const chunk of decryptFileStream(dek, { invoiceId, fileId }, responseChunks(response))) {
    parts.push(chunk);
    bytes += chunk.byteLength;
    onProgress?.(bytes);
  }
  return new Blob(parts, { type: mediaType });
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
