import { concatBytes, type Bytes } from '../encoding';

/** An async source that yields `chunks` as given (test helper for the streaming API). */
export async function* fromChunks(chunks: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

/** Splits `bytes` at the given cut sizes (cycled), to feed a stream in arbitrary pieces. */
export function splitBySizes(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = Math.max(1, sizes[i % Math.max(1, sizes.length)] ?? bytes.length);
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

export async function collect(stream: AsyncIterable<Bytes>): Promise<Bytes[]> {
  const out: Bytes[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

export async function collectBytes(stream: AsyncIterable<Bytes>): Promise<Bytes> {
  return concatBytes(...(await collect(stream)));
}
