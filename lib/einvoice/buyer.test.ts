import { describe, expect, it } from 'vitest';
import { buyerIdentifiers, describeBuyerIdentifier, sentBuyerIdentifiers } from './buyer';
import { readEInvoiceXml } from './read';
import { sampleBytes } from './test-samples';

const read = (path: string) => readEInvoiceXml(new TextDecoder().decode(sampleBytes(path)));

describe('buyer identifiers', () => {
  it('are the buyer VAT id and electronic address, compared without spacing and case', () => {
    const inv = read('en16931-ubl/BIS3_Invoice_positive.XML');
    const ids = buyerIdentifiers(inv);
    expect(ids.length).toBeGreaterThan(0);
    const shuffled = structuredClone(inv);
    if (shuffled['BG-7'].vatId) shuffled['BG-7'].vatId = ` ${shuffled['BG-7'].vatId.toLowerCase().split('').join(' ')} `;
    if (shuffled['BG-7'].endpoint) shuffled['BG-7'].endpoint = { ...shuffled['BG-7'].endpoint, id: shuffled['BG-7'].endpoint.id.toUpperCase() };
    expect(buyerIdentifiers(shuffled)).toEqual(ids);
  });

  it('read the same from UBL and CII, and name nothing for a buyer without either', () => {
    const inv = read('en16931-cii/CII_example1.xml');
    const bare = structuredClone(inv);
    bare['BG-7'] = { ...bare['BG-7'], vatId: 'DE 123.456-789', endpoint: { id: 'Ap@Kunde.Example', scheme: 'em' } };
    expect(buyerIdentifiers(bare)).toEqual(['vat:DE123456789', 'endpoint:EM:ap@kunde.example']);
    bare['BG-7'] = { ...bare['BG-7'], vatId: null, endpoint: null };
    expect(buyerIdentifiers(bare)).toEqual([]);
    expect(sentBuyerIdentifiers('de 123456789', [bare])).toEqual(['vat:DE123456789']);
  });

  it('read back for people', () => {
    expect(describeBuyerIdentifier('vat:DE1')).toEqual({ kind: 'vat', value: 'DE1' });
    expect(describeBuyerIdentifier('endpoint:0204:04011000-12345-34')).toEqual({ kind: 'endpoint', value: '0204:04011000-12345-34' });
    expect(describeBuyerIdentifier('endpoint::x:y')).toEqual({ kind: 'endpoint', value: 'x:y' });
  });
});
