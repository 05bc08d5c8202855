import { domainLabel } from './domain';
import { concatBytes, utf8Encode } from './encoding';
import { CryptoError } from './errors';
import { sha256 } from './kdf';

const PUBLIC_KEY_LENGTH = 32;
const GROUPS = 6;
const BYTES_PER_GROUP = 5;
const GROUP_MODULUS = 100_000;

/**
 * A safety number for comparing keys out of band (DESIGN §5): SHA-256 over
 * `utf8("zkinvoice/v1/fingerprint|<label>") ‖ 0x00 ‖ signing(32) ‖ encryption(32)`, shown as
 * 6 groups of 5 decimal digits like Signal's. Each group is a 40-bit big-endian chunk of the
 * hash mod 100000 (bias < 2^-23), so the number carries log2(10^30) ≈ 99.7 bits: forging a key
 * pair with a given safety number takes ~2^99 hashes. The label (e.g. an org id) is hashed in,
 * so the same keys show a different number in a different role.
 */
export async function fingerprint(
  publicKeys: { signing: Uint8Array; encryption: Uint8Array },
  label: string,
): Promise<string> {
  if (publicKeys.signing.length !== PUBLIC_KEY_LENGTH || publicKeys.encryption.length !== PUBLIC_KEY_LENGTH) {
    throw new CryptoError('bad_key', 'public keys must be 32 bytes');
  }
  const digest = await sha256(
    concatBytes(utf8Encode(domainLabel('fingerprint', label)), Uint8Array.of(0), publicKeys.signing, publicKeys.encryption),
  );
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let chunk = 0;
    for (const byte of digest.subarray(g * BYTES_PER_GROUP, (g + 1) * BYTES_PER_GROUP)) chunk = chunk * 256 + byte;
    groups.push(String(chunk % GROUP_MODULUS).padStart(5, '0'));
  }
  return groups.join(' ');
}
