import { readCii } from './cii';
import type { EInvoice } from './model';
import { extractEmbeddedInvoice, isPdf, type PdfAttachmentReader } from './pdf';
import { readUbl } from './ubl';
import { decodeXml, EInvoiceError, NS, parseXml } from './xml';

export interface ReadSource {
  /** "xml" for a bare file, "pdf" for the embedded file of a Factur-X/ZUGFeRD PDF */
  kind: 'xml' | 'pdf';
  /** the embedded file's name inside the PDF */
  embeddedName: string | null;
}

export type ReadResult =
  | { ok: true; invoice: EInvoice; xml: string; source: ReadSource }
  | { ok: false; error: string; code: EInvoiceError['code']; source: ReadSource | null };

/** Reads an EN 16931 invoice from XML text. Throws EInvoiceError with a message for people. */
export function readEInvoiceXml(xml: string): EInvoice {
  const root = parseXml(xml).documentElement;
  if (!root) throw new EInvoiceError('The XML has no root element.', 'not-xml');
  const ns = root.namespaceURI;
  const name = root.localName;
  if (ns === NS.ubl && name === 'Invoice') return readUbl(root, false);
  if (ns === NS.ublCreditNote && name === 'CreditNote') return readUbl(root, true);
  if (ns === NS.rsm && name === 'CrossIndustryInvoice') return readCii(root);
  throw new EInvoiceError(describeUnsupported(name ?? '', ns), 'unsupported');
}

function describeUnsupported(name: string, ns: string | null): string {
  if (name === 'CrossIndustryDocument' && ns?.startsWith('urn:ferd:CrossIndustryDocument')) {
    return 'This is a ZUGFeRD 1.0 invoice (CrossIndustryDocument). ZUGFeRD 1.0 predates EN 16931 and is not supported; ask the sender for ZUGFeRD 2.x / Factur-X or XRechnung.';
  }
  if (name === 'FatturaElettronica') return 'This is an Italian FatturaPA invoice, not an EN 16931 UBL or CII invoice; it is not supported.';
  if (ns?.startsWith('urn:oasis:names:specification:ubl:schema:xsd:')) {
    return `This is a UBL ${name} document, not an Invoice or CreditNote; only invoices and credit notes are read.`;
  }
  return `This XML is a <${name}>${ns ? ` in namespace ${ns}` : ' without a namespace'}, not an EN 16931 invoice (UBL Invoice/CreditNote or CII CrossIndustryInvoice).`;
}

/** Reads an XML file or a Factur-X/ZUGFeRD PDF; never throws. */
export async function readEInvoiceFile(bytes: Uint8Array, readAttachments: PdfAttachmentReader): Promise<ReadResult> {
  let source: ReadSource | null = null;
  try {
    let xmlBytes = bytes;
    if (isPdf(bytes)) {
      source = { kind: 'pdf', embeddedName: null };
      const embedded = await extractEmbeddedInvoice(bytes, readAttachments);
      source.embeddedName = embedded.filename;
      xmlBytes = embedded.content;
    } else {
      source = { kind: 'xml', embeddedName: null };
    }
    const xml = decodeXml(xmlBytes);
    return { ok: true, invoice: readEInvoiceXml(xml), xml, source };
  } catch (error) {
    if (error instanceof EInvoiceError) return { ok: false, error: error.message, code: error.code, source };
    return { ok: false, error: `The file could not be read: ${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'}`, code: 'not-xml', source };
  }
}
