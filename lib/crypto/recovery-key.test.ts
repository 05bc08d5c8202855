import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Encode } from './encoding';
import { crc16, formatRecoveryKey, generateRecoveryKey, lastRecoveryGroup, parseRecoveryKey } from './recovery-key';
import { expectCryptoError } from './test-utils';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
// Cross-checked once with Python base64.b32encode and binascii.crc_hqx(data, 0xFFFF).
const GOLDEN = 'AEAA-CAQD-AQCQ-MBYI-BEFA-WDAN-BYHR-AEIS-CMKB-KFQX-DAMR-UGY4-DUPB-73A5';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function parseError(text: string): Promise<unknown> {
  return Promise.resolve().then(() => parseRecoveryKey(text));
}

describe('recovery key', () => {
  it('uses CRC-16/CCITT-FALSE (check value 0x29B1)', () => {
    expect(crc16(utf8Encode('123456789'))).toBe(0x29b1);
  });

  it('formats the golden key as 14 groups of 4', () => {
    expect(formatRecoveryKey(KEY)).toBe(GOLDEN);
    expect(parseRecoveryKey(GOLDEN)).toEqual(KEY);
    expect(lastRecoveryGroup(GOLDEN)).toBe('73A5');
  });

  it('round-trips random keys', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (key) => {
        expect(parseRecoveryKey(formatRecoveryKey(key))).toEqual(key);
      }),
    );
    expect(parseRecoveryKey(formatRecoveryKey(generateRecoveryKey())).length).toBe(32);
  });

  it('accepts lowercase, spaces, missing dashes and confusables 0/1/8', () => {
    expect(parseRecoveryKey(GOLDEN.toLowerCase().replaceAll('-', ' '))).toEqual(KEY);
    expect(parseRecoveryKey(GOLDEN.replaceAll('-', ''))).toEqual(KEY);
    expect(parseRecoveryKey(`  ${GOLDEN.replaceAll('-', '\n')}  `)).toEqual(KEY);
    const withConfusables = formatRecoveryKey(Uint8Array.from({ length: 32 }, () => 0x73));
    expect(withConfusables).toMatch(/[OIB]/);
    const typed = withConfusables.replaceAll('O', '0').replaceAll('I', '1').replaceAll('B', '8');
    expect(parseRecoveryKey(typed)).toEqual(parseRecoveryKey(withConfusables));
    expect(lastRecoveryGroup(GOLDEN.toLowerCase())).toBe('73A5');
  });

  it('rejects any single mistyped character', async () => {
    const compact = GOLDEN.replaceAll('-', '');
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: compact.length - 1 }), fc.integer({ min: 1, max: 31 }), async (position, shift) => {
        const wrong = BASE32[(BASE32.indexOf(compact[position] ?? 'A') + shift) % 32] ?? 'A';
        const typo = compact.slice(0, position) + wrong + compact.slice(position + 1);
        await expectCryptoError(parseError(typo), 'bad_recovery_key');
      }),
      { numRuns: 300 },
    );
  });

  it('rejects swapped neighbours, wrong length and foreign characters', async () => {
    const compact = GOLDEN.replaceAll('-', '');
    await expectCryptoError(parseError(compact.slice(0, 10) + compact[11] + compact[10] + compact.slice(12)), 'bad_recovery_key');
    await expectCryptoError(parseError(compact.slice(1)), 'bad_recovery_key');
    await expectCryptoError(parseError(compact + 'A'), 'bad_recovery_key');
    await expectCryptoError(parseError(compact.slice(0, -1) + '9'), 'bad_recovery_key');
    expect(() => formatRecoveryKey(new Uint8Array(31))).toThrow();
  });
});
