import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, dec, equals, format, isDecimal, mul, round, sub } from './decimal';

describe('decimal strings', () => {
  it('adds without float error and keeps leading zeros as numbers', () => {
    expect(format(add(dec('0.1'), dec('0.2')))).toBe('0.3');
    expect(format(dec('00123'))).toBe('123');
    expect(format(mul(dec('12.5'), dec('120.00')), 2)).toBe('1500.00');
  });

  it('rounds half away from zero', () => {
    expect(format(round(dec('2.345'), 2))).toBe('2.35');
    expect(format(round(dec('-2.345'), 2))).toBe('-2.35');
    expect(format(round(dec('2.344'), 2))).toBe('2.34');
  });

  it('refuses what is not a decimal', () => {
    for (const bad of ['', '1e5', '1,5', 'NaN', '--1', '1.2.3']) expect(isDecimal(bad)).toBe(false);
  });

  it('a + b − b = a for any decimals (property)', () => {
    const decimal = fc.tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 6 })).map(([units, scale]) => ({ units, scale }));
    fc.assert(fc.property(decimal, decimal, (a, b) => equals(sub(add(a, b), b), a) && equals(dec(format(a)), a)));
  });
});
