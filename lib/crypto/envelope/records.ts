import { type Bytes } from '../encoding';

/** One fixed-size slice of a byte stream; `last` is true only for the slice the stream ends with. */
export type RecordSlice = { bytes: Bytes; last: boolean };

/**
 * Re-slices chunks of any size into records of exactly `size` bytes, except the last (1..size
 * bytes; an empty stream yields one empty last record, so callers always see where it ends).
 * A full record is held back until one more byte arrives or the stream ends, because whether it
 * is the last one decides how it must decrypt. At most two records are in memory at a time.
 */
export async function* sliceRecords(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<RecordSlice> {
  let buffer = new Uint8Array(size);
  let filled = 0;
  let held: Bytes | null = null;
  for await (const chunk of source) {
    let offset = 0;
    while (offset < chunk.length) {
      if (held !== null) {
        yield { bytes: held, last: false };
        held = null;
      }
      const take = Math.min(size - filled, chunk.length - offset);
      buffer.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === size) {
        held = buffer;
        buffer = new Uint8Array(size);
        filled = 0;
      }
    }
  }
  if (held !== null) {
    yield { bytes: held, last: true };
    return;
  }
  yield { bytes: buffer.subarray(0, filled), last: true };
}
