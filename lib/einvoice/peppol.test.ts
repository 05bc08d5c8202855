import { describe, expect, it } from 'vitest';
import { readEInvoiceXml } from './read';
import { validate } from './rules';
import { sampleFiles, sampleText } from './test-samples';

const BIS = sampleText('en16931-ubl/BIS3_Invoice_positive.XML');

function peppolRules(xml: string): string[] {
  return [...new Set(validate(readEInvoiceXml(xml)).filter((f) => f.rule.startsWith('PEPPOL-')).map((f) => f.rule))].sort();
}

describe('Peppol BIS Billing 3.0 rules', () => {
  it('find nothing in the Peppol samples, the negative (credit-like) example included', () => {
    const peppol = sampleFiles().filter((f) => /\.xml$/i.test(f) && sampleText(f).includes('urn:fdc:peppol.eu:2017:poacc:billing:3.0'));
    expect(peppol).toContain('en16931-ubl/BIS3_Invoice_negativ.XML');
    for (const file of peppol) expect(peppolRules(sampleText(file)), file).toEqual([]);
  });

  it('apply only to Peppol BIS documents', () => {
    const xrechnung = sampleText('en16931-cii/XRechnung-O.xml');
    expect(peppolRules(xrechnung)).toEqual([]);
    expect(peppolRules(BIS.replace(/<cbc:CustomizationID>[^<]*</, '<cbc:CustomizationID>urn:cen.eu:en16931:2017<').replace(/<cbc:ProfileID>[^<]*<\/cbc:ProfileID>/, ''))).toEqual([]);
  });

  it('name the business process, buyer reference and electronic addresses (R001, R003, R007, R010, R020)', () => {
    expect(peppolRules(BIS.replace(/<cbc:ProfileID>[^<]*<\/cbc:ProfileID>/, ''))).toEqual(['PEPPOL-EN16931-R001']);
    expect(peppolRules(BIS.replace(/<cbc:ProfileID>[^<]*</, '<cbc:ProfileID>billing<'))).toEqual(['PEPPOL-EN16931-R007']);
    expect(peppolRules(BIS.replace(/<cbc:BuyerReference>[^<]*<\/cbc:BuyerReference>/, '').replace(/<cac:OrderReference>[\s\S]*?<\/cac:OrderReference>/, ''))).toEqual(['PEPPOL-EN16931-R003']);
    expect(peppolRules(BIS.replace(/(<cac:AccountingCustomerParty>\s*<cac:Party>\s*)<cbc:EndpointID[^>]*>[^<]*<\/cbc:EndpointID>/, '$1'))).toEqual(['PEPPOL-EN16931-R010']);
    expect(peppolRules(BIS.replace(/(<cac:AccountingSupplierParty>\s*<cac:Party>\s*)<cbc:EndpointID[^>]*>[^<]*<\/cbc:EndpointID>/, '$1'))).toEqual(['PEPPOL-EN16931-R020']);
  });

  it('allow one note only, except between two German parties (R002)', () => {
    const twoNotes = BIS.replace('<cbc:Note>text</cbc:Note>', '<cbc:Note>text</cbc:Note><cbc:Note>more</cbc:Note>');
    expect(peppolRules(twoNotes)).toEqual(['PEPPOL-EN16931-R002']);
    expect(peppolRules(twoNotes.replace(/<cbc:IdentificationCode>DK<\/cbc:IdentificationCode>/g, '<cbc:IdentificationCode>DE</cbc:IdentificationCode>'))).toEqual([]);
  });

  it('check allowances: percentage and base amount together, amount their product (R040, R041, R042)', () => {
    const withAllowance = (fields: string, amount: string) => BIS.replace('<cac:TaxTotal>', `<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:AllowanceChargeReason>Discount</cbc:AllowanceChargeReason>${fields}<cbc:Amount currencyID="DKK">${amount}</cbc:Amount><cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:AllowanceCharge><cac:TaxTotal>`);
    const rules = (fields: string, amount: string) => peppolRules(withAllowance(fields, amount));
    expect(rules('<cbc:MultiplierFactorNumeric>10</cbc:MultiplierFactorNumeric><cbc:BaseAmount currencyID="DKK">100.00</cbc:BaseAmount>', '10.00')).toEqual([]);
    expect(rules('<cbc:MultiplierFactorNumeric>10</cbc:MultiplierFactorNumeric><cbc:BaseAmount currencyID="DKK">100.00</cbc:BaseAmount>', '11.00')).toEqual(['PEPPOL-EN16931-R040']);
    expect(rules('<cbc:MultiplierFactorNumeric>10</cbc:MultiplierFactorNumeric>', '10.00')).toEqual(['PEPPOL-EN16931-R041']);
    expect(rules('<cbc:BaseAmount currencyID="DKK">100.00</cbc:BaseAmount>', '10.00')).toEqual(['PEPPOL-EN16931-R042']);
  });

  it('check the line net amount against quantity × price (R120) and a positive base quantity (R121)', () => {
    expect(peppolRules(BIS.replace('<cbc:InvoicedQuantity unitCode="KWH">1</cbc:InvoicedQuantity>', '<cbc:InvoicedQuantity unitCode="KWH">2</cbc:InvoicedQuantity>'))).toEqual(['PEPPOL-EN16931-R120']);
    expect(peppolRules(BIS.replace(/(<cac:Price>\s*<cbc:PriceAmount[^>]*>[^<]*<\/cbc:PriceAmount>)/, '$1<cbc:BaseQuantity unitCode="KWH">0</cbc:BaseQuantity>'))).toEqual(['PEPPOL-EN16931-R121']);
    expect(peppolRules(BIS.replace(/(<cac:Price>\s*<cbc:PriceAmount[^>]*>[^<]*<\/cbc:PriceAmount>)/, '$1<cbc:BaseQuantity unitCode="HUR">1</cbc:BaseQuantity>'))).toEqual(['PEPPOL-EN16931-R130']);
  });

  it('want a mandate reference for direct debit (R061)', () => {
    const debit = BIS.replace(/<cac:PaymentMeans>[\s\S]*?<\/cac:PaymentMeans>/, '<cac:PaymentMeans><cbc:PaymentMeansCode>59</cbc:PaymentMeansCode><cac:PaymentMandate><cac:PayerFinancialAccount><cbc:ID>DK1234</cbc:ID></cac:PayerFinancialAccount></cac:PaymentMandate></cac:PaymentMeans>');
    expect(peppolRules(debit)).toEqual(['PEPPOL-EN16931-R061']);
    expect(peppolRules(debit.replace('<cac:PaymentMandate>', '<cac:PaymentMandate><cbc:ID>M-1</cbc:ID>'))).toEqual([]);
  });

  it('refuse empty elements, naming them (R008)', () => {
    for (const empty of ['<cbc:AccountingCost></cbc:AccountingCost>', '<cbc:AccountingCost/>', '<cbc:AccountingCost> \n </cbc:AccountingCost>']) {
      const xml = BIS.replace('<cbc:AccountingCost>n/a</cbc:AccountingCost>', empty);
      expect(peppolRules(xml), empty).toEqual(['PEPPOL-EN16931-R008']);
      const [finding] = validate(readEInvoiceXml(xml)).filter((f) => f.rule === 'PEPPOL-EN16931-R008');
      expect(finding!.message).toContain('1 found (cbc:AccountingCost)');
    }
    // An element with attributes but no content is empty too; one with child elements is not.
    expect(peppolRules(BIS.replace('<cbc:AccountingCost>n/a</cbc:AccountingCost>', '<cbc:AccountingCost listID="x"/>'))).toEqual(['PEPPOL-EN16931-R008']);
  });

  it('want exactly one tax total with subtotals, and one without only with an accounting currency (R053, R054, R055)', () => {
    const taxTotal = /<cac:TaxTotal>[\s\S]*?<\/cac:TaxTotal>/.exec(BIS)![0];
    expect(peppolRules(BIS.replace(taxTotal, taxTotal + taxTotal))).toEqual(['PEPPOL-EN16931-R053']);
    expect(peppolRules(BIS.replace(/<cac:TaxSubtotal>[\s\S]*?<\/cac:TaxSubtotal>/, ''))).toEqual(['PEPPOL-EN16931-R053', 'PEPPOL-EN16931-R054']);
    const accounting = BIS.replace('</cbc:DocumentCurrencyCode>', '</cbc:DocumentCurrencyCode><cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>');
    expect(peppolRules(accounting)).toEqual(['PEPPOL-EN16931-R054']);
    // The VAT total in accounting currency is the one amount in another currency R051 allows.
    const withAccountingTotal = (amount: string) => accounting.replace(taxTotal, `${taxTotal}<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">${amount}</cbc:TaxAmount></cac:TaxTotal>`);
    expect(peppolRules(withAccountingTotal('20980.00'))).toEqual([]);
    expect(peppolRules(withAccountingTotal('-20980.00'))).toEqual(['PEPPOL-EN16931-R055']);
  });

  it('want every amount in the invoice currency (R051)', () => {
    const xml = BIS.replace('<cbc:PayableAmount currencyID="DKK">', '<cbc:PayableAmount currencyID="EUR">');
    expect(peppolRules(xml)).toEqual(['PEPPOL-EN16931-R051']);
    expect(validate(readEInvoiceXml(xml)).find((f) => f.rule === 'PEPPOL-EN16931-R051')!.params).toEqual({ element: 'cbc:PayableAmount', value: 'EUR' });
  });

  it('allow price discounts but no price charges, and only true or false as indicator (R043, R044)', () => {
    const priced = (indicator: string) => BIS.replace(/(<cac:Price>\s*<cbc:PriceAmount[^>]*>[^<]*<\/cbc:PriceAmount>)/, `$1<cac:AllowanceCharge><cbc:ChargeIndicator>${indicator}</cbc:ChargeIndicator><cbc:Amount currencyID="DKK">1.00</cbc:Amount></cac:AllowanceCharge>`);
    expect(peppolRules(priced('false'))).toEqual([]);
    expect(peppolRules(priced('true'))).toEqual(['PEPPOL-EN16931-R044']);
    const documentLevel = BIS.replace('<cac:TaxTotal>', '<cac:AllowanceCharge><cbc:ChargeIndicator>yes</cbc:ChargeIndicator><cbc:AllowanceChargeReason>Discount</cbc:AllowanceChargeReason><cbc:Amount currencyID="DKK">0.00</cbc:Amount><cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:AllowanceCharge><cac:TaxTotal>');
    expect(peppolRules(documentLevel)).toEqual(['PEPPOL-EN16931-R043']);
  });

  it('allow one invoiced object per document and per line, and one project reference per credit note (R006, R080, R100, R101)', () => {
    const reference = (type: string, id: string) => `<cac:AdditionalDocumentReference><cbc:ID>${id}</cbc:ID><cbc:DocumentTypeCode>${type}</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>`;
    const withReferences = (xml: string, refs: string) => xml.replace('<cac:AccountingSupplierParty>', `${refs}<cac:AccountingSupplierParty>`);
    expect(peppolRules(withReferences(BIS, reference('130', 'A')))).toEqual([]);
    expect(peppolRules(withReferences(BIS, reference('130', 'A') + reference('130', 'B')))).toEqual(['PEPPOL-EN16931-R006']);
    // Since the 2022 release R080 applies to credit notes only; an invoice names its project in cac:ProjectReference.
    expect(peppolRules(withReferences(BIS, reference('50', 'P1') + reference('50', 'P2')))).toEqual([]);
    const creditNote = BIS.replaceAll('Invoice-2', 'CreditNote-2').replace('<Invoice ', '<CreditNote ').replace('</Invoice>', '</CreditNote>')
      .replace(/<cbc:InvoiceTypeCode>\d+<\/cbc:InvoiceTypeCode>/, '<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>')
      .replaceAll('cac:InvoiceLine>', 'cac:CreditNoteLine>').replaceAll('cbc:InvoicedQuantity', 'cbc:CreditedQuantity');
    expect(peppolRules(creditNote)).toEqual([]);
    expect(peppolRules(withReferences(creditNote, reference('50', 'P1')))).toEqual([]);
    expect(peppolRules(withReferences(creditNote, reference('50', 'P1') + reference('50', 'P2')))).toEqual(['PEPPOL-EN16931-R080']);
    const lineReference = (type: string, id: string) => `<cac:DocumentReference><cbc:ID>${id}</cbc:ID><cbc:DocumentTypeCode>${type}</cbc:DocumentTypeCode></cac:DocumentReference>`;
    const onLine = (refs: string) => BIS.replace('<cac:Item>', `${refs}<cac:Item>`);
    expect(peppolRules(onLine(lineReference('130', 'O1')))).toEqual([]);
    expect(peppolRules(onLine(lineReference('130', 'O1') + lineReference('130', 'O2')))).toEqual(['PEPPOL-EN16931-R100']);
    expect(peppolRules(onLine(lineReference('50', 'O1')))).toEqual(['PEPPOL-EN16931-R101']);
  });

  it('leave the structure rules out for a model that has no XML behind it', () => {
    const inv = readEInvoiceXml(BIS.replace('<cbc:AccountingCost>n/a</cbc:AccountingCost>', '<cbc:AccountingCost/>'));
    expect(inv.structure?.emptyElements.count).toBe(1);
    const { structure: _structure, ...model } = inv;
    expect(validate(model).map((f) => f.rule)).not.toContain('PEPPOL-EN16931-R008');
  });
});
