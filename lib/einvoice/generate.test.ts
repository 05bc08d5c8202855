import { describe, expect, it } from 'vitest';
import { computeTotals, invoiceFromForm, type InvoiceForm } from './form';
import { generateEInvoice } from './generate';
import type { EInvoice } from './model';
import { readPdfAttachmentsNode } from './pdf-node';
import { readEInvoiceFile, readEInvoiceXml } from './read';
import { fatalFindings, validate } from './rules';
import { fromSummary, summarize } from './summary';
import { sampleBytes, sampleFiles } from './test-samples';

function baseForm(): InvoiceForm {
  return {
    typeCode: '380', number: 'RE-2026-0042', issueDate: '2026-11-30', dueDate: '2026-12-30', currency: 'EUR',
    buyerReference: '04011000-12345-34', paymentTerms: 'Payable within 30 days without deduction.', note: 'Thank you for your order.',
    seller: { name: 'Muster Software GmbH', vatId: 'DE 123 456 789', street: 'Hauptstraße 1', city: 'Berlin', postcode: '10115', country: 'de', email: 'billing@muster.example', contactName: 'Erika Muster', phone: '+49 30 1234567' },
    buyer: { name: 'Kunde AG', vatId: 'DE987654321', street: 'Marktplatz 2', city: 'München', postcode: '80331', country: 'DE', email: 'ap@kunde.example' },
    payeeName: '', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX', reference: 'RE-2026-0042', precedingNumber: '',
    lines: [
      { description: 'Consulting', quantity: '12.5', unit: 'HUR', unitPrice: '120.00', vatCategory: 'S', vatRate: '19' },
      { description: 'Handbook', quantity: '3', unit: 'C62', unitPrice: '19.99', vatCategory: 'S', vatRate: '7' },
      { description: 'Bank fee passed through', quantity: '1', unit: 'C62', unitPrice: '2.50', vatCategory: 'E', vatRate: '0' },
    ],
  };
}

const FORMS: Record<string, InvoiceForm> = {
  'several VAT rates': baseForm(),
  'a credit note': { ...baseForm(), typeCode: '381', number: 'GS-2026-0007', precedingNumber: 'RE-2026-0042', lines: [{ description: 'Refund consulting', quantity: '2', unit: 'HUR', unitPrice: '120', vatCategory: 'S', vatRate: '19' }] },
  'a payee other than the seller': { ...baseForm(), payeeName: 'Factoring Bank AG', iban: 'DE02120300000000202051', bic: 'BYLADEM1001' },
  'exact decimals (0.1 × 3 at 19 %)': { ...baseForm(), lines: [{ description: 'Tiny item', quantity: '3', unit: 'C62', unitPrice: '0.1', vatCategory: 'S', vatRate: '19' }, { description: 'Reverse charge service', quantity: '1', unit: 'C62', unitPrice: '1000', vatCategory: 'AE', vatRate: '0' }] },
};

/** The business terms only: not the syntax, nor the UBL reader's notes on the XML itself (Peppol's structure rules). */
function comparable(inv: EInvoice): unknown {
  const { syntax: _syntax, structure: _structure, ...rest } = inv;
  return rest;
}

describe('generation from the New-invoice form', () => {
  it('computes totals exactly', () => {
    const totals = computeTotals(baseForm().lines);
    expect(totals.lines.map((l) => l.net)).toEqual(['1500.00', '59.97', '2.50']);
    expect(totals.breakdown).toEqual([
      { category: 'S', rate: '19.00', taxable: '1500.00', tax: '285.00' },
      { category: 'S', rate: '7.00', taxable: '59.97', tax: '4.20' },
      { category: 'E', rate: '0.00', taxable: '2.50', tax: '0.00' },
    ]);
    expect([totals.net, totals.tax, totals.gross]).toEqual(['1562.47', '289.20', '1851.67']);
    expect(computeTotals([{ description: 'x', quantity: '3', unit: 'C62', unitPrice: '0.1', vatCategory: 'S', vatRate: '19' }]).gross).toBe('0.36');
  });

  for (const [name, form] of Object.entries(FORMS)) {
    for (const syntax of ['CII', 'UBL'] as const) {
      it(`${name}: ${syntax} reads back identically and passes the rules (XRechnung included)`, () => {
        const model = invoiceFromForm(form);
        const back = readEInvoiceXml(generateEInvoice(model, syntax));
        expect(back.syntax).toBe(syntax);
        expect(comparable(back)).toEqual(comparable(model));
        expect(validate(back)).toEqual([]);
      });
    }
  }

  it('a credit note is a UBL CreditNote with the preceding invoice', () => {
    const xml = generateEInvoice(invoiceFromForm(FORMS['a credit note']!), 'UBL');
    expect(xml).toContain('<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"');
    expect(readEInvoiceXml(xml)['BG-3']).toEqual([{ 'BT-25': 'RE-2026-0042', 'BT-26': null }]);
  });

  it('escapes markup in free text', () => {
    const form = { ...baseForm(), note: 'A < B & "C"', lines: [{ description: '<script>&amp;', quantity: '1', unit: 'C62', unitPrice: '1', vatCategory: 'S', vatRate: '19' }] };
    const back = readEInvoiceXml(generateEInvoice(invoiceFromForm(form), 'CII'));
    expect(back['BG-1'][0]?.['BT-22']).toBe('A < B & "C"');
    expect(back['BG-25'][0]?.['BT-153']).toBe('<script>&amp;');
  });
});

describe('samples: read → generate → read', () => {
  const files = sampleFiles().filter((f) => /\.(xml|pdf)$/i.test(f));

  it.each(files)('%s keeps every business term in its own syntax and the summary in the other', async (name) => {
    const result = await readEInvoiceFile(sampleBytes(name), readPdfAttachmentsNode);
    if (!result.ok) throw new Error(result.error);
    const inv = result.invoice;
    // Embedded attachments (BT-125) are not carried over: the portal attaches files itself.
    const withoutBinaries = (i: EInvoice) => ({ ...(comparable(i) as object), 'BG-24': i['BG-24'].map((r) => ({ ...r, mimeCode: null, filename: null, hasContent: false })) });
    const same = readEInvoiceXml(generateEInvoice(inv, inv.syntax));
    expect(withoutBinaries(same)).toEqual(withoutBinaries(inv));
    const other = readEInvoiceXml(generateEInvoice(inv, inv.syntax === 'CII' ? 'UBL' : 'CII'));
    const { syntax: _a, payment: pa, ...a } = summarize(inv);
    const { syntax: _b, payment: pb, ...b } = summarize(other);
    expect(b).toEqual(a);
    expect(pb.iban).toBe(pa.iban);
  });

  it('the CLI summary itself round-trips: fromSummary → generate → read', async () => {
    for (const name of ['en16931-cii/CII_example5.xml', 'en16931-ubl/ubl-tc434-example2.xml', 'facturx-pdf/EN16931_AbweichenderZahlungsempf.pdf']) {
      const result = await readEInvoiceFile(sampleBytes(name), readPdfAttachmentsNode);
      if (!result.ok) throw new Error(result.error);
      const summary = summarize(result.invoice);
      for (const syntax of ['CII', 'UBL'] as const) {
        const back = summarize(readEInvoiceXml(generateEInvoice(fromSummary(summary), syntax)));
        expect({ ...back, syntax: summary.syntax }).toEqual(summary);
      }
    }
  });

  it('generated samples keep passing the rules', async () => {
    const result = await readEInvoiceFile(sampleBytes('facturx-pdf/XRECHNUNG_Einfach.pdf'), readPdfAttachmentsNode);
    if (!result.ok) throw new Error(result.error);
    expect(fatalFindings(validate(readEInvoiceXml(generateEInvoice(result.invoice, 'UBL'))))).toEqual([]);
  });
});
