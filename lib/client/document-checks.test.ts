import { describe, expect, it } from 'vitest';
import { checkDocument, describeDocumentProblem, hasPdfSignature, looksLikeXml } from './document-checks';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('document checks', () => {
  it('finds the PDF signature where readers look for it, and only there', () => {
    expect(hasPdfSignature(bytes('%PDF-1.7\n'))).toBe(true);
    expect(hasPdfSignature(bytes(`${' '.repeat(500)}%PDF-1.4`))).toBe(true);
    expect(hasPdfSignature(bytes(`${' '.repeat(1100)}%PDF-1.4`))).toBe(false);
    expect(hasPdfSignature(bytes('Dear customer, this is not a PDF'))).toBe(false);
  });

  it('recognizes XML after a byte-order mark and white space', () => {
    expect(looksLikeXml(bytes('\uFEFF  \n<?xml version="1.0"?><a/>'))).toBe(true);
    expect(looksLikeXml(bytes('{"json": true}'))).toBe(false);
  });

  it('refuses an empty file in any role and a file over the limit, and names the reason', async () => {
    for (const role of ['invoice-pdf', 'einvoice-xml', 'attachment'] as const) {
      expect(await checkDocument(new Blob([]), role, null)).toEqual({ code: 'empty' });
    }
    const problem = await checkDocument(new Blob([new Uint8Array(2048)]), 'attachment', 1024);
    expect(problem).toEqual({ code: 'too-large', maxBytes: 1024 });
    expect(describeDocumentProblem(problem!)).toBe('The file is larger than the limit of 1.0 KiB.');
  });

  it('refuses a text file as the invoice PDF and as the e-invoice, and accepts it as an attachment', async () => {
    const text = new Blob(['Just some text renamed to .pdf']);
    expect(await checkDocument(text, 'invoice-pdf', null)).toEqual({ code: 'not-pdf' });
    expect(await checkDocument(text, 'einvoice-xml', null)).toEqual({ code: 'not-xml' });
    expect(await checkDocument(text, 'attachment', null)).toBeNull();
  });
});
