import { type Bytes } from '../encoding';
import { CryptoError } from '../errors';
import { PADDING_MARKER, RECORD_SIZE, padmeLength, paddedLength } from './format';

function lastNonZeroIndex(bytes: Uint8Array): number {
  for (let i = bytes.length - 1; i >= 0; i--) if (bytes[i] !== 0) return i;
  return -1;
}

/**
 * Removes `0x80 ‖ zeros` from the end of a plaintext stream without knowing in advance where the
 * stream ends. It holds back only the last non-zero byte seen and a *count* of the zeros after it:
 * Padmé padding can be megabytes of zeros on a large file, and counting them keeps memory flat.
 * Once a later non-zero byte shows they were data, the held byte and the zeros are released.
 */
export class PaddingStripper {
  private released = 0;
  private held: number | null = null;
  private zeroRun = 0;

  *push(plaintext: Bytes): Generator<Bytes> {
    const last = lastNonZeroIndex(plaintext);
    if (last < 0) {
      this.zeroRun += plaintext.length;
      return;
    }
    const data = plaintext.subarray(0, last);
    yield* this.releaseHeldBefore(data);
    this.held = plaintext[last] ?? 0;
    this.zeroRun = plaintext.length - last - 1;
  }

  /**
   * The held byte must be the marker, and the padded length must be exactly the Padmé length of
   * the data plus marker, so every file has one encoding and a malformed end is never mistaken
   * for data. Throws `bad_padding` otherwise.
   */
  finish(): void {
    if (this.held !== PADDING_MARKER) throw new CryptoError('bad_padding', 'no padding marker at the end');
    if (padmeLength(this.released + 1) !== this.released + 1 + this.zeroRun) {
      throw new CryptoError('bad_padding', 'padding length is not the Padmé length');
    }
  }

  /**
   * Yields `held ‖ zeros ‖ data` (no held byte at the very start, where the zeros lead the file):
   * in record-sized chunks while the zeros last, so a long zero run never becomes one buffer, and
   * as one chunk in the usual case of no zeros.
   */
  private *releaseHeldBefore(data: Bytes): Generator<Bytes> {
    const held = this.held ?? 0;
    let prefix = this.held === null ? 0 : 1;
    let zeros = this.zeroRun;
    this.released += prefix + zeros + data.length;
    while (prefix + zeros > RECORD_SIZE) {
      const chunk = new Uint8Array(RECORD_SIZE);
      chunk[0] = prefix === 1 ? held : 0;
      zeros -= RECORD_SIZE - prefix;
      prefix = 0;
      yield chunk;
    }
    if (prefix + zeros === 0) {
      if (data.length > 0) yield data;
      return;
    }
    const chunk = new Uint8Array(prefix + zeros + data.length);
    if (prefix === 1) chunk[0] = held;
    chunk.set(data, prefix + zeros);
    yield chunk;
  }
}

/**
 * A small plaintext (a v2 header or event payload) padded like a file: data ‖ 0x80 ‖ zeros up to
 * padmeLength(size + 1) (DESIGN §4), so its sealed length reveals only O(log log n) bits.
 */
export function padBytes(data: Uint8Array): Bytes {
  const padded = new Uint8Array(paddedLength(data.length));
  padded.set(data);
  padded[data.length] = PADDING_MARKER;
  return padded;
}

/** The inverse of `padBytes`, as strict as the file stripper: one encoding only, else `bad_padding`. */
export function unpadBytes(padded: Uint8Array): Bytes {
  const marker = lastNonZeroIndex(padded);
  if (marker < 0 || padded[marker] !== PADDING_MARKER) throw new CryptoError('bad_padding', 'no padding marker at the end');
  if (paddedLength(marker) !== padded.length) throw new CryptoError('bad_padding', 'padding is not the Padmé length of the data');
  return padded.slice(0, marker);
}
