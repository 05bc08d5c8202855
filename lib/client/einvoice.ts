import type { Finding } from '@/lib/einvoice/model';
import { MAX_PDF_BYTES, type PdfAttachment } from '@/lib/einvoice/pdf';
import { readEInvoiceFile, type ReadResult } from '@/lib/einvoice/read';
import { validate } from '@/lib/einvoice/rules';
import { loadPdfJs } from './pdfjs';

/**
 * The browser's PDF attachment reader: pdf.js parses the PDF in its own worker (off the main
 * thread, no eval); the size cap is applied before it is called.
 */
export async function readPdfAttachmentsInBrowser(pdf: Uint8Array): Promise<PdfAttachment[]> {
  const pdfjs = await loadPdfJs();
  const doc = await pdfjs.getDocument({ data: pdf.slice(), isEvalSupported: false }).promise;
  try {
    const attachments = (await doc.getAttachments()) as Record<string, { filename: string; content: Uint8Array }> | null;
    return Object.values(attachments ?? {}).map((a) => ({ filename: a.filename, content: a.content }));
  } finally {
    await doc.destroy();
  }
}

export type EInvoiceReading = ReadResult & { findings: Finding[] };

export function looksLikeEInvoiceCandidate(name: string, mediaType: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.xml') || lower.endsWith('.pdf') || mediaType.includes('xml') || mediaType === 'application/pdf';
}

/** Reads and validates an XML or Factur-X PDF entirely in the browser; never throws. */
export async function readEInvoiceBlob(blob: Blob): Promise<EInvoiceReading> {
  // Refuse before reading the bytes into memory: a large attachment is not an e-invoice.
  if (blob.size > MAX_PDF_BYTES) {
    return { ok: false, code: 'too-large', error: `The file is larger than ${MAX_PDF_BYTES / 1048576} MiB and was not searched for an e-invoice.`, source: null, findings: [] };
  }
  const result = await readEInvoiceFile(new Uint8Array(await blob.arrayBuffer()), readPdfAttachmentsInBrowser);
  return { ...result, findings: result.ok ? validate(result.invoice) : [] };
}
