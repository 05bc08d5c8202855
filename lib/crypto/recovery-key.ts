import { concatBytes, randomBytes, type Bytes } from './encoding';
import { CryptoError } from './errors';

/**
 * Printed recovery key v1: base32(0x01 ‖ key(32) ‖ CRC-16(0x01 ‖ key)), 35 bytes → 56
 * characters → 14 groups of 4, e.g. `AEAQ-…-XXXX`. The version byte lets a future format be
 * told apart; it also makes the length a whole number of groups.
 *
 * The checksum only catches typing mistakes (it is no security boundary: the key is), so a
 * synchronous CRC-16/CCITT-FALSE is enough and keeps formatting/parsing synchronous. A CRC-16
 * detects every error burst up to 16 bits, i.e. every single wrong character (5 bits) and
 * every swap of two adjacent characters (10 bits).
 */
const RECOVERY_KEY_VERSION = 0x01;
const RECOVERY_KEY_LENGTH = 32;
const ENCODED_BYTES = 1 + RECOVERY_KEY_LENGTH + 2;
const ENCODED_CHARS = (ENCODED_BYTES * 8) / 5;
const GROUP_SIZE = 4;
const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
// Characters outside the alphabet that people read for one inside it.
const CONFUSABLES: Record<string, string> = { '0': 'O', '1': 'I', '8': 'B' };

export function generateRecoveryKey(): Bytes {
  return randomBytes(RECOVERY_KEY_LENGTH);
}

/** CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection; check("123456789") = 0x29B1. */
export function crc16(data: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET[(buffer >> bits) & 31];
    }
  }
  return out;
}

function decodeBase32(text: string): Bytes {
  const out = new Uint8Array((text.length * 5) >> 3);
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (const char of text) {
    const value = BASE32_ALPHABET.indexOf(char);
    if (value < 0) throw new CryptoError('bad_recovery_key', `"${char}" is not a recovery key character`);
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}

/** Uppercases, drops spaces and dashes, and maps 0→O, 1→I, 8→B. */
function normalizeRecoveryKey(text: string): string {
  return [...text.toUpperCase().replace(/[\s-]/g, '')].map((char) => CONFUSABLES[char] ?? char).join('');
}

export function formatRecoveryKey(key: Uint8Array): string {
  if (key.length !== RECOVERY_KEY_LENGTH) throw new CryptoError('bad_recovery_key', 'recovery key must be 32 bytes');
  const body = concatBytes(Uint8Array.of(RECOVERY_KEY_VERSION), key);
  const checksum = crc16(body);
  const encoded = encodeBase32(concatBytes(body, Uint8Array.of(checksum >> 8, checksum & 0xff)));
  return encoded.match(new RegExp(`.{${GROUP_SIZE}}`, 'g'))?.join('-') ?? '';
}

/** Tolerant of case, spacing, missing dashes and confusables; strict about length and checksum. */
export function parseRecoveryKey(text: string): Bytes {
  const normalized = normalizeRecoveryKey(text);
  if (normalized.length !== ENCODED_CHARS) {
    throw new CryptoError('bad_recovery_key', `a recovery key has ${ENCODED_CHARS} characters`);
  }
  const decoded = decodeBase32(normalized);
  const body = decoded.subarray(0, 1 + RECOVERY_KEY_LENGTH);
  const checksum = ((decoded[ENCODED_BYTES - 2] ?? 0) << 8) | (decoded[ENCODED_BYTES - 1] ?? 0);
  if (crc16(body) !== checksum) throw new CryptoError('bad_recovery_key', 'recovery key checksum does not match');
  if (body[0] !== RECOVERY_KEY_VERSION) throw new CryptoError('bad_recovery_key', 'unknown recovery key version');
  return body.slice(1);
}

/** The last group as the user would type it, for the "type the last group" confirmation. */
export function lastRecoveryGroup(text: string): string {
  return normalizeRecoveryKey(text).slice(-GROUP_SIZE);
}
