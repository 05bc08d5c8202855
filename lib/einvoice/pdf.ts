import { EInvoiceError } from './xml';

/** PDFs above this are refused before parsing (Factur-X PDFs are usually well below 5 MiB). */
export const MAX_PDF_BYTES = 32 * 1024 * 1024;

/** Embedded file names of Factur-X / ZUGFeRD 2.x / XRechnung-in-PDF, in order of preference. */
export const EMBEDDED_INVOICE_NAMES = ['factur-x.xml', 'zugferd-invoice.xml', 'xrechnung.xml'] as const;

export interface PdfAttachment {
  filename: string;
  content: Uint8Array;
}

/** Lists a PDF's embedded files; the browser and Node each provide one (both via pdf.js). */
export type PdfAttachmentReader = (pdf: Uint8Array) => Promise<PdfAttachment[]>;

export function isPdf(bytes: Uint8Array): boolean {
  // "%PDF-" may follow a few bytes of junk; readers accept it within the first KiB.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  return head.includes('%PDF-');
}

/**
 * Picks the e-invoice among a PDF's attachments by its standardized name (case-insensitive:
 * ZUGFeRD 2.0 wrote "zugferd-invoice.xml", some producers "ZUGFeRD-invoice.xml").
 */
export function pickEmbeddedInvoice(attachments: readonly PdfAttachment[]): PdfAttachment | null {
  for (const name of EMBEDDED_INVOICE_NAMES) {
    const found = attachments.find((a) => a.filename.trim().toLowerCase() === name);
    if (found) return found;
  }
  return null;
}

export async function extractEmbeddedInvoice(pdf: Uint8Array, readAttachments: PdfAttachmentReader): Promise<PdfAttachment> {
  if (pdf.byteLength > MAX_PDF_BYTES) {
    throw new EInvoiceError(`The PDF is ${Math.ceil(pdf.byteLength / 1048576)} MiB; PDFs above ${MAX_PDF_BYTES / 1048576} MiB are not searched for an e-invoice.`, 'too-large');
  }
  let attachments: PdfAttachment[];
  try {
    attachments = await readAttachments(pdf);
  } catch (error) {
    throw new EInvoiceError(`The PDF could not be read: ${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'}`, 'pdf');
  }
  const found = pickEmbeddedInvoice(attachments);
  if (found) return found;
  const names = attachments.map((a) => a.filename).filter(Boolean);
  const listed = names.length > 0 ? ` It has ${names.length} other attachment${names.length === 1 ? '' : 's'} (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}).` : '';
  throw new EInvoiceError(`This PDF has no embedded e-invoice (no factur-x.xml, zugferd-invoice.xml or xrechnung.xml), so it is an ordinary PDF: its amounts cannot be read or checked.${listed}`, 'no-embedded-xml');
}
