import { describe, expect, it } from 'vitest';
import { csvAmount, csvCell, csvFormatFor, CSV_EUROPEAN, CSV_INTERNATIONAL, toCsv } from './csv';

describe('csvCell', () => {
  it('quotes commas, quotes and line breaks as RFC 4180 says', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('Acme, Inc.')).toBe('"Acme, Inc."');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('')).toBe('');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://evil.test","x")')).toBe(`"'=HYPERLINK(""http://evil.test"",""x"")"`);
    expect(csvCell('+1+1')).toBe("'+1+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
  });

  it('leaves plain numbers as numbers', () => {
    expect(csvCell('-12.50')).toBe('-12.50');
    expect(csvCell('1190.00')).toBe('1190.00');
  });
});

describe('toCsv', () => {
  it('starts with a BOM and separates records with CRLF', () => {
    expect(toCsv([['Number', 'Amount'], ['INV-1', '10.00'], ['a,b', '=1']])).toBe('\uFEFFNumber,Amount\r\nINV-1,10.00\r\n"a,b",\'=1');
  });
});

describe('European CSV', () => {
  it('uses semicolons and decimal commas where the locale writes 1,5', () => {
    expect(csvFormatFor('de-DE')).toEqual(CSV_EUROPEAN);
    expect(csvFormatFor('de-AT')).toEqual(CSV_EUROPEAN);
    expect(csvFormatFor('en-US')).toEqual(CSV_INTERNATIONAL);
    expect(csvAmount('1250.50', CSV_EUROPEAN)).toBe('1250,50');
    expect(csvAmount('-0.01', CSV_INTERNATIONAL)).toBe('-0.01');
  });

  it('quotes the semicolon instead of the comma, and keeps decimal-comma numbers as numbers', () => {
    expect(toCsv([['Nummer', 'Betrag'], ['Acme, Inc.', '1250,50'], ['a;b', '-12,50']], ';')).toBe('\uFEFFNummer;Betrag\r\nAcme, Inc.;1250,50\r\n"a;b";-12,50');
  });
});
