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
});
