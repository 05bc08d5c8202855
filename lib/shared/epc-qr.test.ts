import fc from 'fast-check';
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { englishT } from './i18n';
import { buildEpcPayload, encodeQrMatrix, isCreditorReference, type EpcTransfer } from './epc-qr';

const INVOICE: EpcTransfer = {
  currency: 'EUR',
  amount: '1190.50',
  beneficiaryName: 'Müller & Söhne GmbH',
  iban: 'DE89 3704 0044 0532 0130 00',
  bic: 'COBADEFFXXX',
  reference: 'RF18 5390 0754 7034',
  note: 'Invoice INV-2026-0042',
};

/** The symbol drawn as a scanner would see it: 4-module quiet zone, 4 px per module, RGBA. */
function render(matrix: boolean[][], scale = 4, quiet = 4): { data: Uint8ClampedArray; size: number } {
  const size = (matrix.length + 2 * quiet) * scale;
  const data = new Uint8ClampedArray(size * size * 4).fill(255);
  matrix.forEach((row, r) =>
    row.forEach((dark, c) => {
      if (!dark) return;
      for (let y = 0; y < scale; y++)
        for (let x = 0; x < scale; x++) {
          const i = (((r + quiet) * scale + y) * size + (c + quiet) * scale + x) * 4;
          data[i] = data[i + 1] = data[i + 2] = 0;
        }
    }),
  );
  return { data, size };
}

function decode(payload: string): Uint8Array {
  const { data, size } = render(encodeQrMatrix(payload));
  const result = jsQR(data, size, size, { inversionAttempts: 'dontInvert' });
  if (!result) throw new Error('the QR code did not decode');
  return Uint8Array.from(result.binaryData);
}

describe('buildEpcPayload', () => {
  it('builds the EPC069-12 v002 payload of a known invoice byte for byte', () => {
    const result = buildEpcPayload(INVOICE);
    expect(result).toEqual({
      ok: true,
      payload: 'BCD\n002\n1\nSCT\nCOBADEFFXXX\nMüller & Söhne GmbH\nDE89370400440532013000\nEUR1190.5\n\nRF18539007547034\n\nInvoice INV-2026-0042',
    });
    // Character set 1: the ü and ö go in as UTF-8, two bytes each.
    expect(new TextEncoder().encode(result.ok ? result.payload : '').byteLength).toBe(result.ok ? result.payload.length + 2 : 0);
  });

  it('puts a reference without a valid RF checksum in the unstructured field and stops after the last populated line', () => {
    const result = buildEpcPayload({ ...INVOICE, bic: '', reference: 'INV-2026-0042', note: '' });
    expect(result).toEqual({ ok: true, payload: 'BCD\n002\n1\nSCT\n\nMüller & Söhne GmbH\nDE89370400440532013000\nEUR1190.5\n\n\nINV-2026-0042' });
    // RF with a wrong check digit is text, not a creditor reference.
    expect(buildEpcPayload({ ...INVOICE, reference: 'RF19539007547034', note: '' })).toMatchObject({ payload: expect.stringMatching(/\n\nRF19539007547034$/) });
  });

  it('writes amounts without trailing zeros', () => {
    const amountLine = (amount: string) => {
      const result = buildEpcPayload({ ...INVOICE, amount });
      return result.ok ? result.payload.split('\n')[7] : englishT(result.reason.key, result.reason.params);
    };
    expect(amountLine('12.30')).toBe('EUR12.3');
    expect(amountLine('12.00')).toBe('EUR12');
    expect(amountLine('0.01')).toBe('EUR0.01');
    expect(amountLine('999999999.99')).toBe('EUR999999999.99');
    expect(amountLine('12.3400')).toBe('EUR12.34');
  });

  it('refuses what it cannot express', () => {
    const reason = (change: Partial<EpcTransfer>) => {
      const result = buildEpcPayload({ ...INVOICE, ...change });
      return result.ok ? null : englishT(result.reason.key, result.reason.params);
    };
    expect(reason({ currency: 'CHF' })).toMatch(/euro transfers only; this invoice is in CHF/);
    expect(reason({ amount: '0.00' })).toMatch(/nothing to pay/);
    expect(reason({ amount: '-5.00' })).toMatch(/nothing to pay/);
    expect(reason({ amount: '1000000000.00' })).toMatch(/999,999,999.99/);
    expect(reason({ amount: '10.005' })).toMatch(/fractions of a cent/);
    expect(reason({ beneficiaryName: 'x'.repeat(71) })).toMatch(/payee name/);
    expect(reason({ reference: 'y'.repeat(141) })).toMatch(/remittance text/);
    expect(reason({ reference: 'line\nbreak' })).toMatch(/line break/);
    expect(reason({ note: 'z'.repeat(71) })).toMatch(/note to the payer/);
    expect(reason({ beneficiaryName: '€'.repeat(70), reference: '€'.repeat(140), note: '' })).toMatch(/331 bytes/);
  });
});

describe('isCreditorReference', () => {
  it('accepts ISO 11649 references with a valid checksum only', () => {
    expect(isCreditorReference('RF18 5390 0754 7034')).toBe(true);
    expect(isCreditorReference('RF18539007547034')).toBe(true);
    expect(isCreditorReference('RF19539007547034')).toBe(false);
    expect(isCreditorReference('RF18')).toBe(false);
    expect(isCreditorReference('INV-1')).toBe(false);
  });
});

describe('encodeQrMatrix', () => {
  it('renders a QR code that decodes back to the payload byte for byte', () => {
    const result = buildEpcPayload(INVOICE);
    if (!result.ok) throw new Error(englishT(result.reason.key, result.reason.params));
    expect(decode(result.payload)).toEqual(new TextEncoder().encode(result.payload));
  });

  it('round-trips any payload the builder accepts', () => {
    const text = (max: number) => fc.string({ unit: 'grapheme', maxLength: max }).filter((s) => !/[\r\n]/.test(s));
    fc.assert(
      fc.property(text(70).filter((s) => s.trim() !== ''), text(140), fc.integer({ min: 1, max: 99_999_999_999 }), (name, reference, cents) => {
        const result = buildEpcPayload({ currency: 'EUR', amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`, beneficiaryName: name, iban: 'DE89370400440532013000', reference });
        if (!result.ok) return;
        expect(decode(result.payload)).toEqual(new TextEncoder().encode(result.payload));
      }),
      { numRuns: 25 },
    );
  });
});
