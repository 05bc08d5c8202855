import { randomBytes, randomInt } from 'node:crypto';
import { generateEInvoice } from '@/lib/einvoice/generate';
import { fromSummary } from '@/lib/einvoice/summary';
import type { UploadFile } from './pages/invoice-pages';

/**
 * A one-page PDF that pdf.js renders, built by hand so its bytes are known: the text is drawn
 * uncompressed (so it stands in the file as plain text), and `fillerBytes` of an unreferenced
 * stream make it as long as a test needs (several 64 KiB records, say).
 */
export function minimalPdf(text: string, fillerBytes = 0): Buffer {
  const content = `BT /F1 18 Tf 72 760 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  if (fillerBytes > 0) objects.push(`<< /Length ${fillerBytes} >>\nstream\n${'%'.repeat(fillerBytes)}\nendstream`);
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/**
 * A Factur-X-shaped PDF: one page of text and the e-invoice XML embedded as `factur-x.xml`
 * (an EmbeddedFiles name tree and the catalog's /AF, as Factur-X files carry it), built by hand
 * in bytes since the XML is UTF-8. Not PDF/A-3 (no XMP, no output intent): the portal reads the
 * embedded file only, as pdf.js lists it.
 */
export function facturXPdf(text: string, xml: string): Buffer {
  const xmlBytes = Buffer.from(xml, 'utf8');
  const content = `BT /F1 18 Tf 72 760 Td (${text}) Tj ET`;
  const objects: Buffer[] = [
    '<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 6 0 R >> /AF [7 0 R] >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Names [(factur-x.xml) 7 0 R] >>',
    '<< /Type /Filespec /F (factur-x.xml) /UF (factur-x.xml) /AFRelationship /Data /Desc (Factur-X invoice) /EF << /F 8 0 R /UF 8 0 R >> >>',
  ].map((body) => Buffer.from(body, 'latin1'));
  objects.push(Buffer.concat([Buffer.from(`<< /Type /EmbeddedFile /Subtype /text#2Fxml /Length ${xmlBytes.length} >>\nstream\n`, 'latin1'), xmlBytes, Buffer.from('\nendstream', 'latin1')]));
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n', 'latin1')];
  let length = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    const object = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    parts.push(object);
    length += object.length;
  });
  const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

export function pdfFile(name: string, text: string, fillerBytes = 0): UploadFile {
  return { name, mimeType: 'application/pdf', buffer: minimalPdf(text, fillerBytes) };
}

export function xmlFile(name: string, note: string): UploadFile {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Invoice xmlns="urn:example:test">\n  <Note>${note}</Note>\n</Invoice>\n`;
  return { name, mimeType: 'application/xml', buffer: Buffer.from(xml, 'utf8') };
}

/** A German IBAN with random account digits and correct check digits (ISO 13616, mod 97). */
export function randomIban(): string {
  const bban = Array.from({ length: 18 }, () => randomInt(10)).join('');
  // "DE00" moved to the end, letters as numbers (D = 13, E = 14).
  const check = 98n - (BigInt(`${bban}131400`) % 97n);
  return `DE${check.toString().padStart(2, '0')}${bban}`;
}

/** A well-formed BIC (4 bank letters, DE, location, branch) nobody else uses. */
export function randomBic(): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const alnum = `${letters}0123456789`;
  const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');
  return `${pick(letters, 4)}DE${pick(alnum, 5)}`;
}

/** A string found nowhere else: a label for the report, then 64 random bits. */
export function canary(label: string): string {
  return `zk${label}${randomBytes(8).toString('hex')}`;
}

/**
 * A real EN 16931 e-invoice (CII) that agrees with the header fields given, so the portal reads
 * it, shows it as a page and finds no difference; `note` and `line` are free text to search for.
 */
export function einvoiceXmlFile(name: string, h: { number: string; issueDate: string; dueDate: string; currency: string; net: string; tax: string; gross: string; payable: string; sellerName: string; sellerVatId: string; buyerName: string; buyerVatId: string; payeeName: string; iban: string; bic: string; reference: string }, note: string, line: string): UploadFile {
  const invoice = fromSummary({
    syntax: 'CII', profile: 'urn:cen.eu:en16931:2017', typeCode: '380', number: h.number, issueDate: h.issueDate, dueDate: h.dueDate, currency: h.currency, buyerReference: null,
    seller: { name: h.sellerName, vatId: h.sellerVatId }, buyer: { name: h.buyerName, vatId: h.buyerVatId },
    payment: { iban: h.iban, bic: h.bic, reference: h.reference, payeeName: h.payeeName },
    totals: { net: h.net, tax: h.tax, gross: h.gross, prepaid: null, payable: h.payable },
    lines: [{ id: '1', description: line, quantity: '1', unitCode: 'C62', unitPrice: h.net, netAmount: h.net, vatCategory: 'S', vatRate: '19' }],
    vatBreakdown: [{ category: 'S', rate: '19', taxableAmount: h.net, taxAmount: h.tax }],
  });
  invoice['BG-1'] = [{ 'BT-21': null, 'BT-22': note }];
  return { name, mimeType: 'application/xml', buffer: Buffer.from(generateEInvoice(invoice, 'CII'), 'utf8') };
}
