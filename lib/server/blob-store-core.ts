import 'server-only';

/**
 * The blob-store interface and its key rules, shared by every store (lib/server/blob-store.ts,
 * lib/server/blob-store-s3.ts) and tested once against all of them (blob-store.contract.test.ts).
 */
export interface PartKey {
  uploadId: string;
  fileId: string;
  index: number;
}

export interface BlobStore {
  readonly kind: 'filesystem' | 'database' | 's3';
  /** Stores a part durably, replacing an earlier one with the same key atomically. */
  put(key: PartKey, data: Uint8Array): Promise<void>;
  /**
   * The same, taking the bytes as they arrive (a request body), for a store that can write them
   * without holding the part whole; call it through putPartStream(). If `chunks` throws (a short
   * or oversized body), nothing is stored and an earlier part with the key stays.
   */
  putStream?(key: PartKey, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void>;
  /** A part's bytes in chunks of `chunkBytes` (the last may be shorter), read as they are taken. */
  read(key: PartKey, chunkBytes: number): AsyncGenerator<Uint8Array>;
  /** Removes every part of an upload; nothing to remove is not an error. */
  deleteUpload(uploadId: string): Promise<void>;
  /**
   * The upload ids that have parts in the store. A store that keeps parts in the database lists
   * none: its parts go with their upload row, so it has no orphans to collect.
   */
  listUploads(): Promise<string[]>;
  /** The parts stored for an upload, in no particular order (backups copy them; see scripts/backup.ts). */
  listParts(uploadId: string): Promise<PartKey[]>;
  /** Throws unless the store can be reached and written to (GET /api/ready). */
  ping(): Promise<void>;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Keys come only from uuids and integers; anything else is a bug upstream, never a path. */
export const isUuid = (value: string): boolean => UUID.test(value);

export function checkedUuid(value: string): string {
  if (!UUID.test(value)) throw new Error('blob keys are lowercase uuids');
  return value;
}

export function checkedKey(key: PartKey): PartKey {
  if (!Number.isSafeInteger(key.index) || key.index < 0) throw new Error('part indexes are non-negative integers');
  return { uploadId: checkedUuid(key.uploadId), fileId: checkedUuid(key.fileId), index: key.index };
}


/** Gathers a streamed part into one array, for a store that needs the whole part at once. */
export async function gather(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    length += chunk.byteLength;
  }
  if (parts.length === 1) return parts[0]!;
  const whole = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.byteLength;
  }
  return whole;
}

/** Stores a part from its chunks: streamed where the store can, else gathered first (a part is ≤ 1 MiB). */
export async function putPartStream(store: BlobStore, key: PartKey, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void> {
  if (store.putStream) return store.putStream(key, chunks);
  checkedKey(key);
  return store.put(key, await gather(chunks));
}
