import { describe, expect, it } from 'vitest';
import { readEInvoiceXml } from './read';
import { validate } from './rules';
import { sampleText } from './test-samples';

function rulesOf(xml: string, severity: 'fatal' | 'warning' = 'fatal'): string[] {
  return [...new Set(validate(readEInvoiceXml(xml)).filter((f) => f.severity === severity).map((f) => f.rule))].sort();
}

const BIS = sampleText('en16931-ubl/BIS3_Invoice_positive.XML');
const CII = sampleText('en16931-cii/CII_example3.xml');

describe('known-bad inputs give the right rule ids', () => {
  it('the positive BIS example passes', () => {
    expect(rulesOf(BIS)).toEqual([]);
  });

  it('a broken amount due (BT-115 ≠ BT-112 − BT-113) is BR-CO-16', () => {
    expect(rulesOf(BIS.replace('<cbc:PayableAmount currencyID="DKK">782179.43', '<cbc:PayableAmount currencyID="DKK">782179.44'))).toEqual(['BR-CO-16']);
  });

  it('a broken total with VAT is BR-CO-15 (and BR-CO-16 follows from it)', () => {
    expect(rulesOf(BIS.replace('<cbc:TaxInclusiveAmount currencyID="DKK">782179.43', '<cbc:TaxInclusiveAmount currencyID="DKK">782179.00'))).toEqual(['BR-CO-15', 'BR-CO-16']);
  });

  it('a line sum that does not add up is BR-CO-10', () => {
    expect(rulesOf(CII.replace('<ram:LineTotalAmount>800</ram:LineTotalAmount>', '<ram:LineTotalAmount>801</ram:LineTotalAmount>'))).toContain('BR-CO-10');
  });

  it('a wrong VAT amount is BR-CO-17, BR-S-09 and BR-CO-14', () => {
    const xml = BIS.replace(/<cbc:TaxAmount currencyID="DKK">156435.89/g, '<cbc:TaxAmount currencyID="DKK">150000.00').replace('782179.43</cbc:TaxInclusiveAmount>', '775743.54</cbc:TaxInclusiveAmount>').replace('782179.43</cbc:PayableAmount>', '775743.54</cbc:PayableAmount>');
    expect(rulesOf(xml)).toEqual(['BR-CO-17', 'BR-S-09']);
  });

  it('a credit transfer without an account (IBAN) is BR-61', () => {
    const xml = BIS.replace(/<cac:PayeeFinancialAccount>[\s\S]*?<\/cac:PayeeFinancialAccount>/, '');
    expect(rulesOf(xml)).toEqual(['BR-61']);
  });

  it('a missing seller name, buyer address and line unit are BR-06, BR-10, BR-23', () => {
    const xml = BIS.replace('<cbc:RegistrationName>Company A</cbc:RegistrationName>', '')
      .replace(/(<cac:AccountingCustomerParty>[\s\S]*?)<cac:PostalAddress>[\s\S]*?<\/cac:PostalAddress>/, '$1')
      .replace(' unitCode="KWH"', '');
    expect(rulesOf(xml)).toEqual(['BR-06', 'BR-10', 'BR-23']);
  });

  it('a standard-rated line at 0 % is BR-S-05', () => {
    expect(rulesOf(BIS.replace(/(<cac:ClassifiedTaxCategory>\s*<cbc:ID>S<\/cbc:ID>\s*<cbc:Percent>)25/, '$10'))).toContain('BR-S-05');
  });

  it('an amount that is not a decimal is reported, not coerced', () => {
    expect(rulesOf(BIS.replace('<cbc:PayableAmount currencyID="DKK">782179.43', '<cbc:PayableAmount currencyID="DKK">7,82'))).toContain('SYNTAX-DECIMAL');
  });

  it('more than two decimals in a total is BR-DEC-14', () => {
    expect(rulesOf(BIS.replace('782179.43</cbc:TaxInclusiveAmount>', '782179.430</cbc:TaxInclusiveAmount>'))).toContain('BR-DEC-14');
  });

  it('the negative BIS example is not reported for the rounding of negative VAT (issue #120 regression)', () => {
    const rules = rulesOf(sampleText('en16931-ubl/BIS3_Invoice_negativ.XML'));
    expect(rules).not.toContain('BR-S-09');
    expect(rules).not.toContain('BR-CO-17');
  });
});

describe('XRechnung (BR-DE-*)', () => {
  const XR = '<ram:ID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</ram:ID>';
  const xrechnung = sampleText('en16931-cii/XRechnung-O.xml').replace('<ram:ID>urn:cen.eu:en16931:2017</ram:ID>', XR);

  it('applies only when BT-24 names XRechnung', () => {
    expect(rulesOf(CII)).not.toContain('BR-DE-15');
    expect(rulesOf(CII.replace('<ram:ID>urn:cen.eu:en16931:2017</ram:ID>', XR))).toEqual(['BR-DE-05', 'BR-DE-06', 'BR-DE-15']);
  });

  it('a missing buyer reference is BR-DE-15; a missing seller contact is BR-DE-02', () => {
    expect(rulesOf(xrechnung)).toEqual([]);
    const noReference = xrechnung.replace(/<ram:BuyerReference>[^<]*<\/ram:BuyerReference>/, '');
    expect(rulesOf(noReference)).toEqual(['BR-DE-15']);
    const noContact = xrechnung.replace(/(<ram:SellerTradeParty>[\s\S]*?)<ram:DefinedTradeContact>[\s\S]*?<\/ram:DefinedTradeContact>/, '$1');
    expect(rulesOf(noContact)).toEqual(['BR-DE-02']);
  });
});
