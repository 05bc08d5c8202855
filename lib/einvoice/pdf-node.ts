import type { PdfAttachment } from './pdf';

/** Node's attachment reader for tests and the CLI: pdf.js's legacy build, no eval, no fonts. */
export async function readPdfAttachmentsNode(pdf: Uint8Array): Promise<PdfAttachment[]> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: pdf.slice(), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  try {
    const attachments = (await doc.getAttachments()) as Record<string, { filename: string; content: Uint8Array }> | null;
    return Object.values(attachments ?? {}).map((a) => ({ filename: a.filename, content: a.content }));
  } finally {
    await doc.destroy();
  }
}
