import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CIPHERTEXT_RECORD_SIZE,
  RECORD_SIZE,
  ciphertextLengthFor,
  padmeLength,
  paddedLength,
  recordCountFor,
} from './format';

describe('Padmé', () => {
  it('matches the PURBs definition on known values', () => {
    // From E = ⌊log2 L⌋, S = ⌊log2 E⌋ + 1, round up to a multiple of 2^(E−S), computed
    // independently with BigInt bit masks as in the paper's pseudocode.
    expect(Array.from({ length: 17 }, (_, n) => padmeLength(n))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 10, 12, 12, 14, 14, 16, 16,
    ]);
    expect(padmeLength(100)).toBe(104);
    expect(padmeLength(1000)).toBe(1024);
    expect(padmeLength(65_536)).toBe(65_536);
    expect(padmeLength(65_537)).toBe(67_584);
    expect(padmeLength(150_001)).toBe(151_552);
    expect(padmeLength(1_000_000)).toBe(1_015_808);
    expect(padmeLength(1_000_000_000)).toBe(1_006_632_960);
    expect(padmeLength(2 ** 40 + 1)).toBe(1_116_691_496_960);
  });

  it('is monotonic, never shrinks and adds at most 12%', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 48 }), (n) => {
        const padded = padmeLength(n);
        expect(padded).toBeGreaterThanOrEqual(n);
        expect(padded - n).toBeLessThanOrEqual(0.12 * n);
        expect(padmeLength(n + 1)).toBeGreaterThanOrEqual(padded);
        expect(padmeLength(padded)).toBe(padded);
      }),
      { numRuns: 2000 },
    );
  });

  it('handles sizes up to 2^53 − 1', () => {
    expect(padmeLength(2 ** 53 - 1)).toBe(2 ** 53);
    expect(padmeLength(2 ** 52 + 1)).toBe(2 ** 52 + 2 ** 46);
  });

  it('refuses negative, fractional and unsafe sizes', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) expect(() => padmeLength(bad)).toThrow(RangeError);
  });
});

describe('padded sizes', () => {
  it('pads with at least the marker byte and counts records and tags', () => {
    expect(paddedLength(0)).toBe(1);
    expect(paddedLength(RECORD_SIZE - 1)).toBe(RECORD_SIZE);
    expect(recordCountFor(0)).toBe(1);
    expect(recordCountFor(RECORD_SIZE - 1)).toBe(1);
    expect(recordCountFor(RECORD_SIZE)).toBe(2);
    expect(ciphertextLengthFor(0)).toBe(17);
    expect(ciphertextLengthFor(RECORD_SIZE - 1)).toBe(CIPHERTEXT_RECORD_SIZE);
    expect(ciphertextLengthFor(150_000)).toBe(151_552 + 3 * 16);
  });
});
