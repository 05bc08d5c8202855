import 'server-only';
import { randomUUID } from 'node:crypto';
import { constants, type Dirent } from 'node:fs';
import { mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { fileParts } from '@/lib/db/schema';
import { db } from './db';
import { env } from './env';

/**
 * Where ciphertext parts live (DESIGN §10). Ciphertext needs no database feature, and through a
 * database driver every byte is copied several times (postgres.js sends bytea as hex text, PGlite
 * copies it into a WebAssembly heap that never shrinks), so by default parts are plain files.
 *
 * The `file_parts` table stays the index: a part counts as stored only once its row exists, and
 * the row is written after the store has made the bytes durable. A blob without a row is an
 * orphan of an interrupted request; collectOrphans() removes those of uploads that are gone.
 */
export interface PartKey {
  uploadId: string;
  fileId: string;
  index: number;
}

export interface BlobStore {
  readonly kind: 'filesystem' | 'database';
  /** Stores a part durably, replacing an earlier one with the same key atomically. */
  put(key: PartKey, data: Uint8Array): Promise<void>;
  /** A part's bytes in chunks of `chunkBytes` (the last may be shorter), read as they are taken. */
  read(key: PartKey, chunkBytes: number): AsyncGenerator<Uint8Array>;
  /** Removes every part of an upload; nothing to remove is not an error. */
  deleteUpload(uploadId: string): Promise<void>;
  /** The upload ids that have parts in the store. */
  listUploads(): Promise<string[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Keys come only from uuids and integers; anything else is a bug upstream, never a path. */
function checkedUuid(value: string): string {
  if (!UUID.test(value)) throw new Error('blob keys are lowercase uuids');
  return value;
}

function checkedKey(key: PartKey): PartKey {
  if (!Number.isSafeInteger(key.index) || key.index < 0) throw new Error('part indexes are non-negative integers');
  return { uploadId: checkedUuid(key.uploadId), fileId: checkedUuid(key.fileId), index: key.index };
}

/** Reads exactly `length` bytes at `position`, or fewer at the end of the file. */
async function readAt(handle: FileHandle, length: number, position: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}

/** Makes a rename or a new entry in `dir` durable (POSIX needs the directory itself synced). */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * One directory per upload under `<root>/uploads/`, one file per part: `<fileId>.<index>`. A part
 * is written to a temporary name, fsynced, then renamed into place, so a reader sees the old part
 * or the new one, never half of one, and a crash leaves at most a `.tmp` file to collect.
 */
export function createFilesystemBlobStore(root: string): BlobStore {
  const uploadsDir = path.resolve(root, 'uploads');
  const uploadDir = (uploadId: string) => path.join(uploadsDir, checkedUuid(uploadId));
  const partPath = (key: PartKey) => {
    const { uploadId, fileId, index } = checkedKey(key);
    return path.join(uploadDir(uploadId), `${fileId}.${index}`);
  };

  return {
    kind: 'filesystem',
    async put(key, data) {
      const target = partPath(key);
      const dir = path.dirname(target);
      const created = await mkdir(dir, { recursive: true, mode: 0o700 });
      const temporary = `${target}.${randomUUID()}.tmp`;
      const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      try {
        let written = 0;
        while (written < data.byteLength) written += (await handle.write(data, written, data.byteLength - written)).bytesWritten;
        await handle.sync();
      } catch (error) {
        await handle.close();
        await rm(temporary, { force: true });
        throw error;
      }
      await handle.close();
      await rename(temporary, target);
      await syncDirectory(dir);
      if (created) await syncDirectory(uploadsDir);
    },
    async *read(key, chunkBytes) {
      const handle = await open(partPath(key), constants.O_RDONLY);
      try {
        for (let position = 0; ; position += chunkBytes) {
          const chunk = await readAt(handle, chunkBytes, position);
          if (chunk.byteLength === 0) return;
          yield chunk;
          if (chunk.byteLength < chunkBytes) return;
        }
      } finally {
        await handle.close();
      }
    },
    async deleteUpload(uploadId) {
      await rm(uploadDir(uploadId), { recursive: true, force: true });
    },
    async listUploads() {
      let entries: Dirent[];
      try {
        entries = await readdir(uploadsDir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      return entries.filter((e) => e.isDirectory() && UUID.test(e.name)).map((e) => e.name);
    },
  };
}

/**
 * Parts as bytea in `file_parts.data`: the one store every app instance of a PostgreSQL
 * deployment shares without more infrastructure (until an S3-compatible store exists). It costs
 * memory per part in transit (see README), and its parts go with the upload row (ON DELETE CASCADE).
 */
export function createDatabaseBlobStore(): BlobStore {
  const where = (key: PartKey) => and(eq(fileParts.uploadId, key.uploadId), eq(fileParts.fileId, key.fileId), eq(fileParts.partIndex, key.index));
  return {
    kind: 'database',
    async put(key, data) {
      const { uploadId, fileId, index } = checkedKey(key);
      await db()
        .insert(fileParts)
        .values({ uploadId, fileId, partIndex: index, data, size: data.byteLength })
        .onConflictDoUpdate({ target: [fileParts.uploadId, fileParts.fileId, fileParts.partIndex], set: { data, size: data.byteLength } });
    },
    async *read(key, chunkBytes) {
      const [part] = await db().select({ data: fileParts.data }).from(fileParts).where(where(checkedKey(key)));
      if (!part?.data) throw new Error(`part ${key.index} of ${key.fileId} is missing`);
      for (let offset = 0; offset < part.data.byteLength; offset += chunkBytes) yield part.data.subarray(offset, offset + chunkBytes);
    },
    async deleteUpload() {
      // The rows, and their bytes, are deleted with the upload (ON DELETE CASCADE).
    },
    async listUploads() {
      return [];
    },
  };
}

// One store per process, kept on globalThis like the database handle (lib/server/db.ts).
const holder = globalThis as unknown as { zkinvoiceBlobStore?: BlobStore };

export function blobStore(): BlobStore {
  if (!holder.zkinvoiceBlobStore) {
    const config = env();
    holder.zkinvoiceBlobStore = config.BLOB_STORE === 'database' ? createDatabaseBlobStore() : createFilesystemBlobStore(config.BLOB_DIR);
  }
  return holder.zkinvoiceBlobStore;
}

/** Points the server modules at a store (unit tests only). */
export function useBlobStoreForTests(store: BlobStore): void {
  holder.zkinvoiceBlobStore = store;
}
