import { CryptoError } from './errors';

/**
 * Bytes backed by a plain ArrayBuffer. TS 5.9's WebCrypto types accept only these as
 * `BufferSource`, so every function here returns them; inputs stay plain `Uint8Array`.
 */
export type Bytes = Uint8Array<ArrayBuffer>;

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Each ASCII code's value in the alphabet, -1 where it is not one of its characters.
const BASE64URL_VALUES = Int8Array.from({ length: 128 }, (_, code) => BASE64URL_ALPHABET.indexOf(String.fromCharCode(code)));
// getRandomValues refuses more than 65,536 bytes per call.
const RANDOM_CHUNK = 65_536;

/** Hands a view to WebCrypto, copying only when it sits on a SharedArrayBuffer or foreign buffer. */
export function asBufferSource(bytes: Uint8Array): Bytes {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Bytes) : new Uint8Array(bytes);
}

// One of each, made once: opening an invoice encodes a dozen labels, AADs and its canonical
// manifest, and a new encoder and a copy of its output for each was a tenth of a 10,000-invoice
// list's first open in Chromium. Neither keeps state between calls (the decoder is never
// streaming), and encode returns a fresh buffer each time.
const UTF8_ENCODER = new TextEncoder();
const UTF8_STRICT_DECODER = new TextDecoder('utf-8', { fatal: true });

export function utf8Encode(text: string): Bytes {
  return UTF8_ENCODER.encode(text);
}

/** Strict: invalid UTF-8 is a format error, not a string full of U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  try {
    return UTF8_STRICT_DECODER.decode(bytes);
  } catch (cause) {
    throw new CryptoError('bad_format', 'invalid UTF-8', { cause });
  }
}

/** RFC 4648 §5 base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1] ?? 0;
    const b2 = bytes[i + 2] ?? 0;
    const triple = (b0 << 16) | (b1 << 8) | b2;
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out += BASE64URL_ALPHABET[(triple >> (18 - 6 * c)) & 63];
  }
  return out;
}

/**
 * Strict base64url: no padding, no whitespace, no non-zero trailing bits — so each byte string
 * has exactly one accepted encoding and ids compared as strings stay unambiguous.
 */
export function fromBase64Url(text: string): Bytes {
  if (text.length % 4 === 1) throw new CryptoError('bad_format', 'base64url length');
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  // By UTF-16 code unit: anything outside ASCII, a surrogate included, is not base64url.
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? BASE64URL_VALUES[code]! : -1;
    if (value < 0) throw new CryptoError('bad_format', 'base64url character');
    buffer = ((buffer << 6) | value) & 0xfff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) throw new CryptoError('bad_format', 'base64url trailing bits');
  return out;
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

export function fromHex(hex: string): Bytes {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new CryptoError('bad_format', 'hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Bytes {
  return concatByteList(parts);
}

/**
 * concatBytes for a list of any length: a spread call (`concatBytes(...parts)`) is bounded by the
 * engine's argument limit, some 100,000 in V8, which a full list-index segment or the record
 * hashes of a multi-gigabyte document exceed.
 */
export function concatByteList(parts: readonly Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Compares without an early exit, so timing does not reveal the first differing byte. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export function randomBytes(length: number): Bytes {
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += RANDOM_CHUNK) {
    globalThis.crypto.getRandomValues(out.subarray(offset, offset + RANDOM_CHUNK));
  }
  return out;
}
