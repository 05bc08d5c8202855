import { describe, expect, it } from 'vitest';
import { crossCheck, type HeaderFacts } from './cross-check';
import { invoiceFromForm } from './form';
import { readEInvoiceXml } from './read';
import { generateEInvoice } from './generate';
import { sampleText } from './test-samples';

const inv = readEInvoiceXml(sampleText('en16931-ubl/ubl-tc434-example2.xml'));
const agreeing: HeaderFacts = { number: 'TOSL108', dueDate: '2013-07-20', currency: 'NOK', payable: '801.780', iban: 'no93 8601 1117 947', sellerVatId: 'NO123456789MVA' };

describe('cross-check of the signed header against an e-invoice', () => {
  it('equal values written differently agree (decimals, IBAN spacing and case)', () => {
    expect(crossCheck(agreeing, inv, 'a.xml')).toEqual([]);
  });

  it('names each difference with both values', () => {
    const header = { ...agreeing, number: 'TOSL109', payable: '1487.50', iban: 'DE89370400440532013000', dueDate: '2013-08-01', currency: 'EUR', sellerVatId: 'NO999MVA' };
    expect(crossCheck(header, inv, 'a.xml')).toEqual([
      { field: 'payable', header: '1487.50', einvoice: '801.78', document: 'a.xml' },
      { field: 'iban', header: 'DE89370400440532013000', einvoice: 'NO9386011117947', document: 'a.xml' },
      { field: 'number', header: 'TOSL109', einvoice: 'TOSL108', document: 'a.xml' },
      { field: 'dueDate', header: '2013-08-01', einvoice: '2013-07-20', document: 'a.xml' },
      { field: 'currency', header: 'EUR', einvoice: 'NOK', document: 'a.xml' },
      { field: 'sellerVatId', header: 'NO999MVA', einvoice: 'NO123456789MVA', document: 'a.xml' },
    ]);
  });

  it('a term the e-invoice leaves out is not a difference', () => {
    const model = invoiceFromForm({
      typeCode: '380', number: 'X-1', issueDate: '2026-01-01', dueDate: '', currency: 'EUR', buyerReference: '', paymentTerms: '30 days', note: '',
      seller: { name: 'S', vatId: '', street: '', city: '', postcode: '', country: 'DE', email: '', contactName: '', phone: '' },
      buyer: { name: 'B', vatId: '', street: '', city: '', postcode: '', country: 'DE', email: '' },
      payeeName: '', iban: '', bic: '', reference: '', precedingNumber: '',
      lines: [{ description: 'x', quantity: '1', unit: 'C62', unitPrice: '10', vatCategory: 'S', vatRate: '19' }],
    });
    const back = readEInvoiceXml(generateEInvoice(model, 'CII'));
    expect(crossCheck({ number: 'X-1', dueDate: '2026-02-01', currency: 'EUR', payable: '11.90', iban: 'DE89370400440532013000', sellerVatId: 'DE123456789' }, back, 'x.xml')).toEqual([]);
  });
});
