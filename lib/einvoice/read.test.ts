import { describe, expect, it } from 'vitest';
import { readEInvoiceFile } from './read';
import type { PdfAttachment } from './pdf';
import { readPdfAttachmentsNode } from './pdf-node';
import { validate } from './rules';
import { MAX_XML_BYTES } from './xml';
import { sampleBytes } from './test-samples';

const bytes = (text: string) => new TextEncoder().encode(text);
const noPdf = async (): Promise<PdfAttachment[]> => {
  throw new Error('not a PDF');
};

describe('refusals name what the file is', () => {
  it('ZUGFeRD 1.0', async () => {
    const result = await readEInvoiceFile(bytes('<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"/>'), noPdf);
    expect(result).toMatchObject({ ok: false, code: 'unsupported' });
    expect(!result.ok && result.error).toMatch(/ZUGFeRD 1\.0/);
  });

  it('other XML, e.g. a UBL order', async () => {
    const result = await readEInvoiceFile(bytes('<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>'), noPdf);
    expect(!result.ok && result.error).toMatch(/UBL Order document/);
  });

  it('a DTD (billion laughs) is refused before parsing', async () => {
    const xml = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><Invoice>&lol2;</Invoice>';
    const result = await readEInvoiceFile(bytes(xml), noPdf);
    expect(result).toMatchObject({ ok: false, code: 'dtd' });
  });

  it('an external entity never resolves (the DTD is refused)', async () => {
    const xml = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>';
    expect(await readEInvoiceFile(bytes(xml), noPdf)).toMatchObject({ ok: false, code: 'dtd' });
  });

  it('malformed XML gives a clear error', async () => {
    const result = await readEInvoiceFile(bytes('<Invoice><cbc:ID>1</Invoice>'), noPdf);
    expect(result).toMatchObject({ ok: false, code: 'not-xml' });
    expect(!result.ok && result.error).toMatch(/not well-formed XML/);
  });

  it('binary that is not UTF-8', async () => {
    expect(await readEInvoiceFile(new Uint8Array([0xc3, 0x28, 0xff, 0xfe, 0x00]), noPdf)).toMatchObject({ ok: false, code: 'not-xml' });
  });

  it('files above the size cap', async () => {
    const big = new Uint8Array(MAX_XML_BYTES + 1).fill(0x20);
    expect(await readEInvoiceFile(big, noPdf)).toMatchObject({ ok: false, code: 'too-large' });
  });

  it('a PDF without an embedded e-invoice says so', async () => {
    const attachments = async (): Promise<PdfAttachment[]> => [{ filename: 'terms.pdf', content: new Uint8Array() }];
    const result = await readEInvoiceFile(bytes('%PDF-1.7\n'), attachments);
    expect(result).toMatchObject({ ok: false, code: 'no-embedded-xml', source: { kind: 'pdf' } });
    expect(!result.ok && result.error).toMatch(/no embedded e-invoice.*terms\.pdf/s);
  });

  it('a PDF that pdf.js cannot parse', async () => {
    const result = await readEInvoiceFile(bytes('%PDF-1.7\nthis is not a pdf'), readPdfAttachmentsNode);
    expect(result).toMatchObject({ ok: false, code: 'pdf' });
  });

  it('accepts the embedded name in any case (ZUGFeRD-invoice.xml)', async () => {
    const pdf = sampleBytes('facturx-pdf/EN16931_Einfach.pdf');
    const real = await readPdfAttachmentsNode(pdf);
    const renamed = async (): Promise<PdfAttachment[]> => real.map((a) => ({ ...a, filename: a.filename === 'factur-x.xml' ? 'ZUGFeRD-invoice.xml' : a.filename }));
    const result = await readEInvoiceFile(pdf, renamed);
    expect(result).toMatchObject({ ok: true, source: { kind: 'pdf', embeddedName: 'ZUGFeRD-invoice.xml' } });
  });
});

describe('property: any input gives a result, never an exception', () => {
  const sample = new TextDecoder().decode(sampleBytes('en16931-cii/CII_example3.xml'));

  it('arbitrary text and truncated or spliced samples are read or refused with a code', async () => {
    const fc = (await import('fast-check')).default;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.nat({ max: sample.length }).map((n) => sample.slice(0, n)),
          fc.tuple(fc.nat({ max: sample.length }), fc.string({ maxLength: 20 })).map(([n, s]) => sample.slice(0, n) + s + sample.slice(n)),
        ),
        async (text) => {
          const result = await readEInvoiceFile(bytes(text), noPdf);
          if (result.ok) {
            expect(result.invoice.syntax).toBe('CII');
            validate(result.invoice);
          } else {
            expect(['too-large', 'not-xml', 'dtd', 'unsupported', 'no-embedded-xml', 'pdf']).toContain(result.code);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
