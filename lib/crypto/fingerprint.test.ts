import { describe, expect, it } from 'vitest';
import { fromHex } from './encoding';
import { fingerprint } from './fingerprint';
import { expectCryptoError } from './test-utils';

// RFC 8032 TEST 1 public key and RFC 7748 §6.1 Alice's public key.
const KEYS = {
  signing: fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'),
  encryption: fromHex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a'),
};

describe('fingerprint', () => {
  // Cross-checked once with node:crypto SHA-256 and BigInt arithmetic.
  it('matches the golden safety number', async () => {
    expect(await fingerprint(KEYS, 'org-1')).toBe('94475 55548 13621 02636 92283 47949');
  });

  it('changes with the label and with either key, and refuses bad key lengths', async () => {
    const golden = await fingerprint(KEYS, 'org-1');
    expect(await fingerprint(KEYS, 'org-2')).not.toBe(golden);
    expect(await fingerprint({ signing: KEYS.encryption, encryption: KEYS.signing }, 'org-1')).not.toBe(golden);
    const changed = new Uint8Array(KEYS.encryption);
    changed[31] = (changed[31] ?? 0) ^ 1;
    expect(await fingerprint({ ...KEYS, encryption: changed }, 'org-1')).not.toBe(golden);
    await expectCryptoError(fingerprint({ ...KEYS, signing: KEYS.signing.subarray(1) }, 'org-1'), 'bad_key');
  });
});
