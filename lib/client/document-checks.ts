import type { InvoiceDocument } from '@/lib/shared/schemas/invoice';
import { formatBytes } from '@/lib/shared/format';
import { englishT, type Translate } from '@/lib/shared/i18n';
import { loadPdfJs } from './pdfjs';

/** Why a document cannot be sent in its role, as a sentence the form shows beside it. */
export type DocumentProblem =
  | { code: 'empty' }
  | { code: 'too-large'; maxBytes: number }
  | { code: 'not-pdf' }
  | { code: 'unreadable-pdf'; detail: string }
  | { code: 'not-xml' };

/** The form's sentence for each problem, in the reader's language (English where no translator is at hand). */
export function describeDocumentProblem(problem: DocumentProblem, t: Translate = englishT): string {
  switch (problem.code) {
    case 'empty': return t('documents.problem.empty');
    case 'too-large': return t('documents.problem.too_large', { size: formatBytes(problem.maxBytes) });
    case 'not-pdf': return t('documents.problem.not_pdf');
    case 'unreadable-pdf': return t('documents.problem.unreadable_pdf', { detail: problem.detail });
    case 'not-xml': return t('documents.problem.not_xml');
  }
}

/** PDF readers accept the signature within the first 1,024 bytes (ISO 32000-1, annex H). */
const PDF_SIGNATURE_WINDOW = 1024;
const PDF_SIGNATURE = '%PDF-';

async function head(file: Blob, bytes: number): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(0, bytes).arrayBuffer());
}

/** Whether the bytes carry the PDF signature where readers look for it. */
export function hasPdfSignature(start: Uint8Array): boolean {
  const text = new TextDecoder('latin1').decode(start.subarray(0, PDF_SIGNATURE_WINDOW));
  return text.includes(PDF_SIGNATURE);
}

/** Whether the text begins, after an optional byte-order mark and white space, with markup. */
export function looksLikeXml(start: Uint8Array): boolean {
  const text = new TextDecoder('utf-8').decode(start).replace(/^\uFEFF/, '').trimStart();
  return text.startsWith('<');
}

/** Opens the PDF with pdf.js, as the customer's browser will; null when it opens. */
async function pdfJsProblem(file: Blob): Promise<DocumentProblem | null> {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({ data: new Uint8Array(await file.arrayBuffer()), isEvalSupported: false, stopAtErrors: true });
  try {
    const pdf = await task.promise;
    const pages = pdf.numPages;
    await pdf.destroy();
    return pages > 0 ? null : { code: 'unreadable-pdf', detail: 'it has no pages' };
  } catch (error) {
    await task.destroy().catch(() => {});
    return { code: 'unreadable-pdf', detail: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Checks one document for its role before anything is encrypted: never empty, within the size
 * limit; the invoice PDF must be a PDF that pdf.js opens; the e-invoice must be XML. Attachments
 * may be any kind of file.
 */
export async function checkDocument(file: Blob, role: InvoiceDocument['role'], maxBytes: number | null): Promise<DocumentProblem | null> {
  if (file.size === 0) return { code: 'empty' };
  if (maxBytes !== null && file.size > maxBytes) return { code: 'too-large', maxBytes };
  if (role === 'invoice-pdf') {
    if (!hasPdfSignature(await head(file, PDF_SIGNATURE_WINDOW))) return { code: 'not-pdf' };
    return pdfJsProblem(file);
  }
  if (role === 'einvoice-xml' && !looksLikeXml(await head(file, 256))) return { code: 'not-xml' };
  return null;
}
