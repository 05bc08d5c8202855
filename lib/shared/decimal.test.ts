import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DECIMAL_PATTERN, fromUnits, toUnits } from './decimal';

/** Units the long way: whole part times 10^4 plus the fraction padded to four digits. */
function reference(value: string): bigint {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = value.replace('-', '').split('.');
  const units = BigInt(whole) * 10_000n + BigInt(fraction.padEnd(4, '0'));
  return negative ? -units : units;
}

const decimal = fc
  .tuple(fc.boolean(), fc.stringMatching(/^\d{1,15}$/), fc.option(fc.stringMatching(/^\d{1,4}$/), { nil: undefined }))
  .map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`);

describe('decimal amounts', () => {
  it('parses into units at scale 4', () => {
    expect(toUnits('119.00')).toBe(1_190_000n);
    expect(toUnits('0.0001')).toBe(1n);
    expect(toUnits('-1.5')).toBe(-15_000n);
    expect(toUnits('7')).toBe(70_000n);
    expect(toUnits('-0')).toBe(0n);
    expect(toUnits('999999999999999.9999')).toBe(9_999_999_999_999_999_999n);
  });

  it('parses every decimal as the long way does, and formats it back', () => {
    fc.assert(
      fc.property(decimal, (value) => {
        expect(DECIMAL_PATTERN.test(value)).toBe(true);
        expect(toUnits(value)).toBe(reference(value));
        expect(toUnits(fromUnits(toUnits(value), 4))).toBe(toUnits(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what is not a decimal amount', () => {
    for (const bad of ['', '.5', '1.', '1.23456', '1e3', ' 1', '+1', '1,5', '1234567890123456', '--1', '0x10']) expect(() => toUnits(bad)).toThrow(/not a decimal amount/);
  });
});
