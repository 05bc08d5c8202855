import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';

/**
 * Defensive XML for e-invoices. xmldom (MIT, no dependencies, runs unchanged in the browser and
 * in Node) never loads anything from the network; on top of that every document type
 * declaration is refused before parsing, so neither external nor internal entities (billion
 * laughs) can exist, and the input size is capped.
 */
export const MAX_XML_BYTES = 16 * 1024 * 1024;

export const NS = {
  ubl: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  ublCreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
  rsm: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
  qdt: 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
} as const;

type Prefix = 'cac' | 'cbc' | 'rsm' | 'ram' | 'udt' | 'qdt';

export class EInvoiceError extends Error {
  constructor(
    message: string,
    readonly code: 'too-large' | 'not-xml' | 'dtd' | 'unsupported' | 'no-embedded-xml' | 'pdf',
  ) {
    super(message);
    this.name = 'EInvoiceError';
  }
}

/** Decodes bytes as UTF-8 (or UTF-16 with a byte-order mark); invalid sequences are an error. */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes.byteLength > MAX_XML_BYTES) {
    throw new EInvoiceError(`The XML file is ${Math.ceil(bytes.byteLength / 1048576)} MiB; e-invoices above ${MAX_XML_BYTES / 1048576} MiB are refused.`, 'too-large');
  }
  let encoding = 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new EInvoiceError('The file is not text in UTF-8, so it is not an e-invoice XML.', 'not-xml');
  }
}

export function parseXml(text: string): Document {
  if (text.length > MAX_XML_BYTES) throw new EInvoiceError(`XML above ${MAX_XML_BYTES / 1048576} MiB is refused.`, 'too-large');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new EInvoiceError('The XML declares a document type (DTD). E-invoices never need one and DTD entities are a known attack, so the file is refused.', 'dtd');
  }
  let failure: string | null = null;
  const parser = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning' && failure === null) failure = message;
      if (level === 'fatalError') throw new Error(message);
    },
  });
  let doc: Document;
  try {
    doc = parser.parseFromString(text, 'application/xml');
  } catch (error) {
    throw new EInvoiceError(`The file is not well-formed XML: ${firstLine(error instanceof Error ? error.message : String(error))}`, 'not-xml');
  }
  if (failure !== null || !doc.documentElement) {
    throw new EInvoiceError(`The file is not well-formed XML: ${firstLine(failure ?? 'no root element')}`, 'not-xml');
  }
  return doc;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/^\[xmldom \w+\]\s*/, '').slice(0, 200);
}

function isElement(node: Node): node is Element {
  return node.nodeType === 1;
}

function matches(el: Element, step: string): boolean {
  const colon = step.indexOf(':');
  const prefix = step.slice(0, colon) as Prefix;
  return el.localName === step.slice(colon + 1) && el.namespaceURI === NS[prefix];
}

export function children(el: Element | null, step: string): Element[] {
  if (!el) return [];
  const found: Element[] = [];
  for (let node = el.firstChild; node; node = node.nextSibling) {
    if (isElement(node) && matches(node, step)) found.push(node);
  }
  return found;
}

/** Every element at a slash-separated path of prefixed names below `el`. */
export function all(el: Element | null, path: string): Element[] {
  let current: Element[] = el ? [el] : [];
  for (const step of path.split('/')) current = current.flatMap((node) => children(node, step));
  return current;
}

export function one(el: Element | null, path: string): Element | null {
  return all(el, path)[0] ?? null;
}

/** Trimmed text of the first element at `path`, or null when absent or empty. */
export function text(el: Element | null, path?: string): string | null {
  const target = path ? one(el, path) : el;
  const value = target?.textContent?.trim();
  return value ? value : null;
}

export function attr(el: Element | null, name: string): string | null {
  const value = el?.getAttribute(name)?.trim();
  return value ? value : null;
}

export type { Document, Element };
