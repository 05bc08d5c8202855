import 'server-only';
import { randomUUID } from 'node:crypto';
import { constants, type Dirent } from 'node:fs';
import { access, mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { fileParts } from '@/lib/db/schema';
import { db } from './db';
import { env, type Env } from './env';
import { createS3BlobStore } from './blob-store-s3';
import { checkedKey, checkedUuid, UUID, type BlobStore, type PartKey } from './blob-store-core';

export { checkedKey, checkedUuid, gather, isUuid, putPartStream, type BlobStore, type PartKey } from './blob-store-core';

/**
 * Where ciphertext parts live (DESIGN §10). Ciphertext needs no database feature, and through a
 * database driver every byte is copied several times (postgres.js sends bytea as hex text, PGlite
 * copies it into a WebAssembly heap that never shrinks), so by default parts are plain files.
 *
 * The `file_parts` table stays the index: a part counts as stored only once its row exists, and
 * the row is written after the store has made the bytes durable. A blob without a row is an
 * orphan of an interrupted request; collectOrphans() removes those of uploads that are gone.
 */
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

const WRITE_BATCH_BYTES = 256 * 1024;

/** Writes the chunks in order with writev, finishing chunk by chunk after a short write. */
async function writeAll(handle: FileHandle, chunks: Uint8Array[], total: number): Promise<void> {
  const { bytesWritten } = await handle.writev(chunks);
  if (bytesWritten === total) return;
  // A short write (rare: a full disk or a signal).
  let skip = bytesWritten;
  for (const chunk of chunks) {
    let offset = Math.min(skip, chunk.byteLength);
    skip -= offset;
    while (offset < chunk.byteLength) offset += (await handle.write(chunk, offset, chunk.byteLength - offset)).bytesWritten;
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

  /** Creates the temporary file, and the upload's directory (durably) when it is the first part. */
  const openTemporary = async (temporary: string): Promise<FileHandle> => {
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
    try {
      return await open(temporary, flags, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const created = await mkdir(path.dirname(temporary), { recursive: true, mode: 0o700 });
    if (created) await syncDirectory(uploadsDir);
    return open(temporary, flags, 0o600);
  };

  const store: BlobStore = {
    kind: 'filesystem',
    put(key, data) {
      return store.putStream!(key, [data]);
    },
    // Written as the chunks arrive, a few at a time with one writev (no copy) rather than one
    // write call per 16–64 KiB request chunk; then one fdatasync (the data and the size reads
    // depend on), the rename, and the directory sync that makes the new entry itself durable.
    async putStream(key, chunks) {
      const target = partPath(key);
      const temporary = `${target}.${randomUUID()}.tmp`;
      const handle = await openTemporary(temporary);
      try {
        let pending: Uint8Array[] = [];
        let pendingBytes = 0;
        const writePending = async () => {
          await writeAll(handle, pending, pendingBytes);
          pending = [];
          pendingBytes = 0;
        };
        for await (const chunk of chunks) {
          pending.push(chunk);
          pendingBytes += chunk.byteLength;
          if (pendingBytes >= WRITE_BATCH_BYTES) await writePending();
        }
        if (pendingBytes) await writePending();
        await handle.datasync();
      } catch (error) {
        await handle.close();
        await rm(temporary, { force: true });
        throw error;
      }
      await handle.close();
      await rename(temporary, target);
      await syncDirectory(path.dirname(target));
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
    async listParts(uploadId) {
      let names: string[];
      try {
        names = await readdir(uploadDir(uploadId));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      return names.flatMap((name) => {
        const match = /^([0-9a-f-]{36})\.(\d+)$/.exec(name);
        return match && UUID.test(match[1]!) ? [{ uploadId, fileId: match[1]!, index: Number(match[2]) }] : [];
      });
    },
    async ping() {
      await mkdir(uploadsDir, { recursive: true, mode: 0o700 });
      await access(uploadsDir, constants.W_OK);
    },
    };
  return store;
}

/**
 * Parts as bytea in `file_parts.data`: the one store every app instance of a PostgreSQL
 * deployment shares without more infrastructure. It costs
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
    async listParts() {
      // The parts are rows of the database, and go with its backup.
      return [];
    },
    async ping() {
      await db().execute(sql`select 1`);
    },
  };
}

// One store per process, kept on globalThis like the database handle (lib/server/db.ts).
const holder = globalThis as unknown as { zkinvoiceBlobStore?: BlobStore };

export function blobStore(): BlobStore {
  if (!holder.zkinvoiceBlobStore) {
    const config = env();
    holder.zkinvoiceBlobStore = createConfiguredBlobStore(config);
  }
  return holder.zkinvoiceBlobStore;
}

/** The store the environment asks for (BLOB_STORE and its settings; see lib/server/env.ts). */
export function createConfiguredBlobStore(config: Env): BlobStore {
  switch (config.BLOB_STORE) {
    case 'database':
      return createDatabaseBlobStore();
    case 's3':
      return createS3BlobStore({
        endpoint: config.S3_ENDPOINT ?? `https://s3.${config.S3_REGION}.amazonaws.com`,
        bucket: config.S3_BUCKET!,
        region: config.S3_REGION,
        accessKeyId: config.S3_ACCESS_KEY_ID!,
        secretAccessKey: config.S3_SECRET_ACCESS_KEY!,
        forcePathStyle: config.S3_FORCE_PATH_STYLE === 'true',
      });
    default:
      return createFilesystemBlobStore(config.BLOB_DIR);
  }
}

/** Points the server modules at a store (unit tests only). */
export function useBlobStoreForTests(store: BlobStore): void {
  holder.zkinvoiceBlobStore = store;
}
