import { describe, expect, it } from 'vitest';
import { readPdfAttachmentsNode } from './pdf-node';
import { readEInvoiceFile, type ReadResult } from './read';
import { fatalFindings, validate } from './rules';
import { summarize, type InvoiceSummary } from './summary';
import { sampleBytes, sampleFiles } from './test-samples';

async function read(name: string): Promise<Extract<ReadResult, { ok: true }>> {
  const result = await readEInvoiceFile(sampleBytes(name), readPdfAttachmentsNode);
  if (!result.ok) throw new Error(`${name}: ${result.error}`);
  return result;
}

describe('every public sample', () => {
  const files = sampleFiles();

  it('finds the 60 samples beside the repository', () => {
    expect(files.filter((f) => /\.(xml|pdf)$/i.test(f))).toHaveLength(60);
  });

  it.each(files.filter((f) => /\.(xml|pdf)$/i.test(f)))('reads %s with no fatal rule finding', async (name) => {
    const result = await read(name);
    expect(result.source.kind).toBe(name.endsWith('.pdf') ? 'pdf' : 'xml');
    const summary = summarize(result.invoice);
    expect(summary.number).toBeTruthy();
    expect(summary.lines.length).toBeGreaterThan(0);
    // Valid examples of the EN 16931 repository and the ZUGFeRD corpus pass the business rules.
    // BIS3_Invoice_negativ.XML is the regression example for rounding of negative invoices
    // (eInvoicing-EN16931 issue #120): a valid negative invoice, not an invalid one.
    expect(fatalFindings(validate(result.invoice))).toEqual([]);
  });
});

type Expected = Partial<Omit<InvoiceSummary, 'lines'>> & { lineCount: number };

/** Values taken from the files with grep, independently of the reader. */
const EXPECTED: Record<string, Expected> = {
  'en16931-ubl/ubl-tc434-example2.xml': {
    syntax: 'UBL', number: 'TOSL108', issueDate: '2013-06-30', dueDate: '2013-07-20', currency: 'NOK',
    seller: { name: 'Salescompany ltd.', vatId: 'NO123456789MVA' }, buyer: { name: 'The Buyercompany', vatId: 'NO987654321MVA' },
    payment: { iban: 'NO9386011117947', bic: 'DNBANOKK', reference: '0003434323213231', payeeName: 'Ebeneser Scrooge AS' },
    totals: { net: '1436.50', tax: '365.28', gross: '1801.78', prepaid: '1000.00', payable: '801.78' }, lineCount: 5,
  },
  'en16931-ubl/ubl-tc434-example5.xml': { number: 'TOSL110', issueDate: '2013-04-10', dueDate: '2013-05-10', currency: 'DKK', buyerReference: 'qwerty', totals: { net: '4000.00', tax: '675.00', gross: '4675.00', prepaid: '2337.50', payable: '2337.50' }, lineCount: 3 },
  'en16931-ubl/BIS3_Invoice_positive.XML': {
    profile: 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0', number: '12345', issueDate: '2019-01-25', dueDate: '2019-02-24', currency: 'DKK',
    seller: { name: 'Company A', vatId: 'DK12345678' }, buyer: { name: 'Company B', vatId: 'DK87654321' },
    totals: { net: '625743.54', tax: '156435.89', gross: '782179.43', prepaid: null, payable: '782179.43' }, lineCount: 1,
  },
  'en16931-ubl/BIS3_Invoice_negativ.XML': { number: '12345', totals: { net: '-625743.54', tax: '-156435.89', gross: '-782179.43', prepaid: null, payable: '-782179.43' }, lineCount: 1 },
  'en16931-ubl/ubl-tc434-creditnote1.xml': { typeCode: '381', number: '018304 / 28865', issueDate: '2019-09-23', currency: 'EUR', seller: { name: 'My Supplier Company', vatId: 'BE0000000196' }, payment: { iban: 'BE91000000143476', bic: 'BPOTBEB1', reference: '010676609538', payeeName: null }, totals: { net: '100.11', tax: '0.00', gross: '100.11', prepaid: null, payable: '100.11' }, lineCount: 1 },
  'en16931-ubl/guide-example3.xml': { number: 'TOSL108', issueDate: '2013-04-10', dueDate: '2013-05-10', currency: 'DKK', seller: { name: 'SubscriptionSeller', vatId: 'DK16356706' }, totals: { net: '900.00', tax: '225.00', gross: '1125.00', prepaid: null, payable: '1125.00' }, lineCount: 2 },
  'en16931-ubl/ubl-tc434-example8.xml': { number: '1100512149', issueDate: '2014-11-10', dueDate: '2014-11-24', currency: 'EUR', seller: { name: 'Enexis B.V.', vatId: 'NL809561074B01' }, buyer: { name: 'Klant', vatId: null }, totals: { net: '908.91', tax: '190.87', gross: '1099.78', prepaid: null, payable: '1099.78' }, lineCount: 10 },
  'en16931-cii/CII_example1.xml': { syntax: 'CII', number: '12115118', issueDate: '2015-01-09', dueDate: '2015-01-09', currency: 'EUR', seller: { name: 'De Koksmaat', vatId: 'NL8200.98.395.B.01' }, totals: { net: '229.6', tax: '20.73', gross: '250.33', prepaid: null, payable: '250.33' }, lineCount: 20 },
  'en16931-cii/CII_example4.xml': { number: 'TOSL110', issueDate: '2013-04-10', dueDate: '2013-05-10', currency: 'DKK', payment: { iban: 'DK1212341234123412', bic: null, reference: 'Payref1', payeeName: null }, lineCount: 3 },
  'en16931-cii/CII_example7.xml': { number: 'INVOICE_test_7', issueDate: '2013-05-13', currency: 'SEK', seller: { name: 'The Sellercompany Incorporated', vatId: null }, vatBreakdown: [{ category: 'O', rate: null, taxableAmount: '3200', taxAmount: '0' }], lineCount: 2 },
  'en16931-cii/XRechnung-O.xml': { number: '150377292', issueDate: '2021-01-14', dueDate: '2021-01-01', currency: 'EUR', lineCount: 2 },
  'en16931-cii/huf_example_cii.xml': { number: '21/001003559/996', issueDate: '2021-10-05', dueDate: '2021-11-01', currency: 'HUF', seller: { name: 'DKV Euro Service GmbH + Co. KG', vatId: 'HU30048650' }, lineCount: 3 },
  'facturx-pdf/EN16931_Einfach.pdf': {
    number: '471102', typeCode: '380', issueDate: '2018-03-05', currency: 'EUR', seller: { name: 'Lieferant GmbH', vatId: 'DE123456789' }, buyer: { name: 'Kunden AG Mitte', vatId: null },
    totals: { net: '473.00', tax: '56.87', gross: '529.87', prepaid: '0.00', payable: '529.87' },
    vatBreakdown: [{ category: 'S', rate: '7.00', taxableAmount: '275.00', taxAmount: '19.25' }, { category: 'S', rate: '19.00', taxableAmount: '198.00', taxAmount: '37.62' }], lineCount: 2,
  },
  'facturx-pdf/EN16931_AbweichenderZahlungsempf.pdf': { number: '471102', payment: { iban: 'DE12123456781234567890', bic: null, reference: null, payeeName: 'Factoring GmbH' }, totals: { net: '473.00', tax: '56.87', gross: '529.87', prepaid: '0.00', payable: '529.87' }, lineCount: 2 },
  'facturx-pdf/EN16931_Gutschrift.pdf': { typeCode: '389', number: '471102', buyer: { name: 'Kunden AG Mitte', vatId: 'DE136695976' }, lineCount: 2 },
  'facturx-pdf/XRECHNUNG_Einfach.pdf': { profile: 'urn:cen.eu:en16931:2017#compliant#urn:xoev-de:kosit:standard:xrechnung_2.1', buyerReference: '04011000-12345-34', payment: { iban: 'DE02120300000000202051', bic: 'BYLADEM1001', reference: null, payeeName: null }, lineCount: 2 },
};

describe('fields against independently extracted values', () => {
  it.each(Object.entries(EXPECTED))('%s', async (name, expected) => {
    const summary = summarize((await read(name)).invoice);
    const { lineCount, ...fields } = expected;
    expect(summary).toMatchObject(fields);
    expect(summary.lines).toHaveLength(lineCount);
  });

  it('keeps amounts as written (no float coercion of "1436.50" or "00123")', async () => {
    const summary = summarize((await read('en16931-ubl/ubl-tc434-example2.xml')).invoice);
    expect(summary.totals.net).toBe('1436.50');
    expect(typeof summary.lines[0]?.quantity).toBe('string');
  });

  it('reads the embedded factur-x.xml of a PDF and says so', async () => {
    const result = await read('facturx-pdf/EN16931_Einfach.pdf');
    expect(result.source).toEqual({ kind: 'pdf', embeddedName: 'factur-x.xml' });
    expect(result.xml).toContain('CrossIndustryInvoice');
  });
});
