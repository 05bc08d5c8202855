/**
 * Invoice envelope v1 sizes (DESIGN §4). These numbers are part of the stored format: changing
 * any of them is a new envelope version, or stored invoices stop opening.
 */
/**
 * The manifest's `v`, which new invoices are written with. Records carry no version byte of their
 * own: their keys, nonces and AAD all come from `zkinvoice/v1/…` labels, and a reader picks the
 * format from the signed manifest. v2 (DESIGN §4) differs from v1 in one thing only: the sealed
 * header is Padmé-padded like documents (`padBytes`), so its length leaks only coarsely. Files,
 * keys, nonces and labels are the same; v1 stays readable forever.
 */
export const ENVELOPE_VERSION = 2;
export type EnvelopeVersion = 1 | 2;
export const ENVELOPE_VERSIONS: readonly EnvelopeVersion[] = [1, 2];

export function isEnvelopeVersion(v: unknown): v is EnvelopeVersion {
  return v === 1 || v === 2;
}
/** Plaintext bytes per STREAM record; only the final record may be shorter (1..RECORD_SIZE). */
export const RECORD_SIZE = 65_536;
export const RECORD_TAG_SIZE = 16;
export const CIPHERTEXT_RECORD_SIZE = RECORD_SIZE + RECORD_TAG_SIZE;

/** The padding marker: plaintext ‖ 0x80 ‖ 0x00…, as in ISO/IEC 7816-4. */
export const PADDING_MARKER = 0x80;

function assertSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`size must be a non-negative safe integer: ${size}`);
}

/** ⌊log2 n⌋ for n ≥ 1, exactly (Math.log2 can round up just below a power of two). */
function floorLog2(n: number): number {
  let exponent = 0;
  while (2 ** (exponent + 1) <= n) exponent++;
  return exponent;
}

/**
 * Padmé (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and Communication with
 * PURBs", PoPETs 2019, §4): with E = ⌊log2 n⌋ and S = ⌊log2 E⌋ + 1, round n up to a multiple of
 * 2^(E−S). A padded length then reveals only O(log log n) bits about n (its exponent E and S
 * mantissa bits) instead of O(log n), at a worst-case overhead of under 12% (shrinking as n
 * grows). Lengths below 8 have E − S ≤ 0 and stay unchanged.
 */
export function padmeLength(n: number): number {
  assertSize(n);
  if (n < 2) return n;
  const exponent = floorLog2(n);
  const mantissaBits = floorLog2(exponent) + 1;
  const step = 2 ** (exponent - mantissaBits);
  return Math.ceil(n / step) * step;
}

/**
 * Length of a file's padded plaintext: data ‖ 0x80 ‖ zeros up to padmeLength(size + 1). The marker
 * byte makes the padding removable from the file alone (no length field to store or trust), and
 * guarantees at least one byte, so the final record is never empty.
 */
export function paddedLength(size: number): number {
  assertSize(size);
  return padmeLength(size + 1);
}

export function recordCountFor(size: number): number {
  return Math.ceil(paddedLength(size) / RECORD_SIZE);
}

/** Exactly what `encryptFileStream` emits for `size` plaintext bytes: padded data plus one tag per record. */
export function ciphertextLengthFor(size: number): number {
  return paddedLength(size) + recordCountFor(size) * RECORD_TAG_SIZE;
}
