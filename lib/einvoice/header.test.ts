import { describe, expect, it } from 'vitest';
import { crossCheck } from './cross-check';
import { readEInvoiceXml } from './read';
import { sampleText } from './test-samples';
import { headerFromEInvoice } from './header';

const terms = (issue: string) => `${issue.slice(0, 8)}28`;

describe('the header a bulk-sent e-invoice is signed with', () => {
  it('says what the file says, so the cross-check finds nothing', () => {
    const inv = readEInvoiceXml(sampleText('en16931-cii/CII_example1.xml'));
    const made = headerFromEInvoice(inv, terms);
    expect(made.ok).toBe(true);
    if (!made.ok) return;
    expect(made.header).toMatchObject({ type: 'invoice', number: inv['BT-1'], currency: inv['BT-5'], amounts: { payable: inv['BG-22']['BT-115'] } });
    expect(crossCheck({ number: made.header.number, dueDate: made.header.dueDate, currency: made.header.currency, payable: made.header.amounts.payable, iban: made.header.payment.iban, sellerVatId: made.header.seller.vatId }, inv, 'x.xml')).toEqual([]);
  });

  it('is a credit note for type 381, and takes the usual terms when the file states no due date', () => {
    const inv = readEInvoiceXml(sampleText('en16931-ubl/ubl-tc434-creditnote1.xml'));
    inv['BT-9'] = null;
    const made = headerFromEInvoice(inv, terms);
    if (!made.ok) return expect(made.issues).toEqual([]);
    expect(made.header.type).toBe('credit-note');
    expect(made.header.dueDate).toBe(terms(inv['BT-2']!));
  });

  it('names why a file cannot be sent as a header (no IBAN to pay)', () => {
    const inv = readEInvoiceXml(sampleText('en16931-cii/CII_example1.xml'));
    inv['BG-16'] = [];
    const made = headerFromEInvoice(inv, terms);
    expect(made).toEqual({ ok: false, issues: ['validation.iban'] });
  });
});
