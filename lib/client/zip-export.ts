import 'client-only';

import { downloadZip } from 'client-zip';
import type { InvoiceDocument } from '@/lib/shared/schemas/invoice';
import { decryptDocumentChunks } from './documents';

export interface ZipInvoice {
  invoiceId: string;
  number: string;
  dek: Uint8Array;
  documents: readonly InvoiceDocument[];
}

export interface ZipEntry {
  path: string;
  invoiceId: string;
  document: InvoiceDocument;
}

/**
 * One path segment a file system accepts: no separators (so a supplier-chosen name cannot climb
 * out of its folder, "zip slip"), no characters Windows refuses, no control characters, and not
 * "." or "..". The document and invoice names are the supplier's, so they are treated as hostile.
 */
export function safeSegment(name: string, fallback: string): string {
  const cleaned = name.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').replace(/^[\s.]+|[\s.]+$/g, '');
  return cleaned || fallback;
}

/** Makes a name unique among `taken` by numbering it before its extension: "a.pdf", "a (2).pdf". */
function unique(name: string, taken: Set<string>): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${ext}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** The archive's layout: a folder per invoice number, each invoice's documents inside it. */
export function zipEntries(invoices: readonly ZipInvoice[]): ZipEntry[] {
  const folders = new Set<string>();
  return invoices.flatMap((invoice) => {
    const folder = unique(safeSegment(invoice.number, 'invoice'), folders);
    const files = new Set<string>();
    return invoice.documents.map((document) => ({ path: `${folder}/${unique(safeSegment(document.name, 'document'), files)}`, invoiceId: invoice.invoiceId, document }));
  });
}

/**
 * A ZIP of the invoices' documents, built in this browser: each document is fetched, decrypted as
 * it streams in and streamed into the archive (stored, not recompressed: PDFs already are), so
 * only the finished archive is held, as a Blob the browser may keep on disk. A document that fails
 * its integrity check fails the whole archive: no ZIP with a silently missing or cut file.
 */
export async function buildDocumentsZip(invoices: readonly ZipInvoice[], onProgress?: (bytes: number, total: number) => void): Promise<Blob> {
  const entries = zipEntries(invoices);
  const deks = new Map(invoices.map((i) => [i.invoiceId, i.dek]));
  const total = entries.reduce((sum, e) => sum + e.document.size, 0);
  let done = 0;
  onProgress?.(0, total);

  async function* contents(entry: ZipEntry): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of decryptDocumentChunks(entry.invoiceId, entry.document.fileId, deks.get(entry.invoiceId)!, entry.document.size)) {
        done += chunk.byteLength;
        onProgress?.(done, total);
        yield chunk;
      }
    } catch (error) {
      throw new Error(`${entry.path} could not be downloaded or failed its integrity check: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async function* files() {
    for (const entry of entries) yield { name: entry.path, input: contents(entry), size: entry.document.size, lastModified: new Date() };
  }

  return downloadZip(files(), { buffersAreUTF8: true }).blob();
}
