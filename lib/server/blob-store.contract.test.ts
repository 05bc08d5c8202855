import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@/lib/db/test-database';
import { organizations, uploads, users } from '@/lib/db/schema';
import { createDatabaseBlobStore, createFilesystemBlobStore, putPartStream, type BlobStore, type PartKey } from './blob-store';
import { createS3BlobStore, S3Error } from './blob-store-s3';
import { useDatabaseForTests as pointServerAt } from './testing';

/**
 * One contract for every blob store (lib/server/blob-store-core.ts): what uploads.ts, the backup
 * script and /api/ready rely on, run against the filesystem store, the database store on each test
 * database, an S3 store against s3rver started here, and, with S3_TEST_ENDPOINT set, a real
 * S3-compatible endpoint (S3_TEST_BUCKET, S3_TEST_REGION, S3_TEST_ACCESS_KEY_ID,
 * S3_TEST_SECRET_ACCESS_KEY, S3_TEST_FORCE_PATH_STYLE; the bucket must exist).
 *
 * What s3rver cannot show, so only a real endpoint tests it: s3rver checks the access key id but
 * not SigV4 signatures (a wrong secret or a clock skew passes), does not decode `aws-chunked`
 * bodies (the store never sends them: each part is one plain PUT with a Content-Length, which this
 * suite checks byte for byte), ignores conditional headers (the store sends none), and answers 500
 * to parallel DELETEs in one prefix (it races removing the emptied directory), so its harness
 * deletes one object at a time.
 */
interface Harness {
  store: BlobStore;
  /** Makes `uploadId` a place parts may be stored (the database store needs its upload row). */
  open(uploadId: string): Promise<void>;
  /** Whether the store keeps its own index of uploads (false: parts go with the database rows). */
  listsUploads: boolean;
  /** Removes an upload the way the app does: the store's deleteUpload, or the upload row (ON DELETE CASCADE). */
  remove(uploadId: string): Promise<void>;
  close(): Promise<void>;
}

const key = (uploadId: string, index = 0): PartKey => ({ uploadId, fileId: randomUUID(), index });
const pattern = (size: number, seed = 0) => new Uint8Array(size).map((_, i) => (i * 31 + seed) % 251);

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of chunks) out.push(new Uint8Array(chunk));
  return out;
}
const joined = async (chunks: AsyncIterable<Uint8Array>) => new Uint8Array(Buffer.concat(await collect(chunks)));

async function filesystemHarness(): Promise<Harness> {
  const root = mkdtempSync(path.join(tmpdir(), 'zkinvoice-contract-'));
  const store = createFilesystemBlobStore(root);
  return { store, open: async () => {}, listsUploads: true, remove: (id) => store.deleteUpload(id), close: async () => rmSync(root, { recursive: true, force: true }) };
}

async function databaseHarness(kind: 'pglite' | 'postgres'): Promise<Harness> {
  const database: TestDatabase = await createTestDatabase(kind);
  pointServerAt(database.handle);
  const db = database.handle.db;
  const userId = randomUUID();
  const orgIds = [randomUUID(), randomUUID()] as const;
  await db.insert(users).values({ id: userId, email: `${userId}@example.test`, displayName: 'Contract' });
  for (const id of orgIds) await db.insert(organizations).values({ id, name: id, handle: `h-${id}` });
  return {
    store: createDatabaseBlobStore(),
    async open(uploadId) {
      await db.insert(uploads).values({ id: uploadId, supplierOrgId: orgIds[0], customerOrgId: orgIds[1], createdBy: userId, files: [], expiresAt: new Date(Date.now() + 3_600_000) }).onConflictDoNothing();
    },
    listsUploads: false,
    remove: async (uploadId) => void (await db.delete(uploads).where(eq(uploads.id, uploadId))),
    close: () => database.drop(),
  };
}

async function s3rverHarness(): Promise<Harness> {
  const directory = mkdtempSync(path.join(tmpdir(), 'zkinvoice-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: 'zk-contract', configs: [] }] });
  const { port } = await server.run();
  const store = createS3BlobStore({ endpoint: `http://127.0.0.1:${port}`, bucket: 'zk-contract', region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true, retries: 0, deleteConcurrency: 1 });
  return {
    store,
    open: async () => {},
    listsUploads: true,
    remove: (id) => store.deleteUpload(id),
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

async function realS3Harness(): Promise<Harness> {
  const store = createS3BlobStore({
    endpoint: process.env.S3_TEST_ENDPOINT!,
    bucket: process.env.S3_TEST_BUCKET ?? 'zkinvoice-test',
    region: process.env.S3_TEST_REGION ?? 'us-east-1',
    accessKeyId: process.env.S3_TEST_ACCESS_KEY_ID ?? '',
    secretAccessKey: process.env.S3_TEST_SECRET_ACCESS_KEY ?? '',
    forcePathStyle: process.env.S3_TEST_FORCE_PATH_STYLE === 'true',
  });
  const created: string[] = [];
  return {
    store,
    open: async (uploadId) => void created.push(uploadId),
    listsUploads: true,
    remove: (id) => store.deleteUpload(id),
    // A shared bucket: remove only what this run wrote.
    close: async () => void (await Promise.all(created.map((id) => store.deleteUpload(id)))),
  };
}

const HARNESSES: [string, () => Promise<Harness>][] = [
  ['filesystem', filesystemHarness],
  ...testDatabaseKinds().map((kind) => [`database on ${kind}`, () => databaseHarness(kind)] as [string, () => Promise<Harness>]),
  ['s3 (s3rver)', s3rverHarness],
  ...(process.env.S3_TEST_ENDPOINT ? [['s3 (S3_TEST_ENDPOINT)', realS3Harness] as [string, () => Promise<Harness>]] : []),
];

describe.each(HARNESSES)('blob store contract: %s', (_name, makeHarness) => {
  let harness: Harness;
  let store: BlobStore;
  const upload = async () => {
    const uploadId = randomUUID();
    await harness.open(uploadId);
    return uploadId;
  };

  beforeAll(async () => {
    harness = await makeHarness();
    store = harness.store;
  });
  afterAll(() => harness?.close());

  it('answers a ping when it can be reached', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('stores a part and reads it back byte for byte, in chunks of the asked size', async () => {
    const part = key(await upload(), 3);
    const data = pattern(1_048_832, 7); // one full part: 16 records of 64 KiB + 16
    await store.put(part, data);
    const chunks = await collect(store.read(part, 65_552));
    expect(chunks.map((c) => c.byteLength)).toEqual(Array(16).fill(65_552));
    expect(Buffer.concat(chunks).equals(Buffer.from(data))).toBe(true);
  });

  it('returns a short last chunk and reads an empty part as no chunks', async () => {
    const uploadId = await upload();
    const short = key(uploadId, 0);
    await store.put(short, pattern(10_000));
    expect((await collect(store.read(short, 4096))).map((c) => c.byteLength)).toEqual([4096, 4096, 1808]);
    const empty = key(uploadId, 1);
    await store.put(empty, new Uint8Array(0));
    expect(await collect(store.read(empty, 4096))).toEqual([]);
  });

  it('stores a part streamed in chunks, and a stream that fails stores nothing and keeps the part stored before', async () => {
    const part = key(await upload());
    const data = pattern(1_048_832, 3);
    async function* chunks(fail: boolean) {
      for (let offset = 0; offset < data.byteLength; offset += 65_536) {
        if (fail && offset > 300_000) throw new Error('the client went away');
        yield data.slice(offset, offset + 65_536);
      }
    }
    await putPartStream(store, part, chunks(false));
    expect(Buffer.from(await joined(store.read(part, 65_552))).equals(Buffer.from(data))).toBe(true);
    await expect(putPartStream(store, part, chunks(true))).rejects.toThrow('the client went away');
    expect(Buffer.from(await joined(store.read(part, 65_552))).equals(Buffer.from(data))).toBe(true);
  });

  it('replaces a part whole when it is sent again (a retried request)', async () => {
    const part = key(await upload());
    await store.put(part, pattern(5000, 1));
    await store.put(part, new Uint8Array([2, 2, 2]));
    expect(await joined(store.read(part, 4096))).toEqual(new Uint8Array([2, 2, 2]));
  });

  it('keeps parts of different files and indexes apart', async () => {
    const uploadId = await upload();
    const a = key(uploadId, 0);
    const b = { ...a, index: 1 };
    const c = key(uploadId, 0);
    await Promise.all([store.put(a, pattern(300, 1)), store.put(b, pattern(300, 2)), store.put(c, pattern(300, 3))]);
    expect(await joined(store.read(a, 1000))).toEqual(pattern(300, 1));
    expect(await joined(store.read(b, 1000))).toEqual(pattern(300, 2));
    expect(await joined(store.read(c, 1000))).toEqual(pattern(300, 3));
  });

  it('has nothing left to read once its upload is removed', async () => {
    const uploadId = await upload();
    const part = key(uploadId);
    await store.put(part, pattern(10));
    expect(await joined(store.read(part, 100))).toEqual(pattern(10));
    await harness.remove(uploadId);
    await expect(collect(store.read(part, 100))).rejects.toThrow();
  });

  it('fails to read a part it does not have', async () => {
    await expect(collect(store.read(key(await upload()), 4096))).rejects.toThrow();
  });

  it.each([
    { uploadId: '../../etc', fileId: randomUUID(), index: 0 },
    { uploadId: randomUUID(), fileId: '../passwd', index: 0 },
    { uploadId: randomUUID(), fileId: `${randomUUID()}/x`, index: 0 },
    { uploadId: randomUUID().toUpperCase(), fileId: randomUUID(), index: 0 },
    { uploadId: randomUUID(), fileId: randomUUID(), index: -1 },
    { uploadId: randomUUID(), fileId: randomUUID(), index: 1.5 },
  ])('refuses a key that is not uuids and an integer: %o', async (bad) => {
    await expect(store.put(bad, new Uint8Array(1))).rejects.toThrow(/blob keys|part indexes/);
    await expect(collect(store.read(bad, 10))).rejects.toThrow(/blob keys|part indexes/);
  });

  it('lists the uploads it holds and their parts, and deletes an upload whole', async ({ skip }) => {
    if (!harness.listsUploads) skip('parts live in database rows and go with their upload row (ON DELETE CASCADE)');
    const uploadId = await upload();
    const other = await upload();
    const parts = [key(uploadId, 0), key(uploadId, 0), key(uploadId, 0)];
    parts[1]!.index = 1;
    for (const part of parts) await store.put(part, pattern(100));
    await store.put(key(other), pattern(10));
    expect(await store.listUploads()).toEqual(expect.arrayContaining([uploadId, other]));
    const sortKey = (p: PartKey) => `${p.fileId}.${p.index}`;
    expect((await store.listParts(uploadId)).map(sortKey).sort()).toEqual(parts.map(sortKey).sort());
    await store.deleteUpload(uploadId);
    expect(await store.listUploads()).not.toContain(uploadId);
    expect(await store.listParts(uploadId)).toEqual([]);
    expect(await store.listUploads()).toContain(other);
    // Deleting what is gone is not an error (a retried prune).
    await store.deleteUpload(uploadId);
    await expect(store.deleteUpload('..')).rejects.toThrow(/blob keys/);
  });
});

describe('s3 store failures', () => {
  it('names the operation and the store’s error code, and never the credentials', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'zkinvoice-s3rver-'));
    const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
    const { port } = await server.run();
    try {
      const config = { endpoint: `http://127.0.0.1:${port}`, bucket: 'no-such-bucket', region: 'us-east-1', forcePathStyle: true, retries: 0 };
      const missing = await createS3BlobStore({ ...config, accessKeyId: 'S3RVER', secretAccessKey: 'very-secret-key' }).ping().then(() => null, (e: unknown) => e);
      expect(missing).toBeInstanceOf(S3Error);
      expect((missing as S3Error).message).toBe('S3 ping failed: HTTP 404 NoSuchBucket');
      expect(String((missing as Error).stack)).not.toMatch(/very-secret-key/);
      const unknown = await createS3BlobStore({ ...config, accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'very-secret-key' }).ping().then(() => null, (e: unknown) => e);
      expect((unknown as S3Error).message).toBe('S3 ping failed: HTTP 403 InvalidAccessKeyId');
      expect(String((unknown as Error).stack)).not.toMatch(/very-secret-key/);
    } finally {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('fails a request to an endpoint that does not answer instead of hanging', async () => {
    // A port nobody listens on: connection refused is a thrown fetch error, not a silent success.
    const store = createS3BlobStore({ endpoint: 'http://127.0.0.1:9', bucket: 'zk', region: 'us-east-1', accessKeyId: 'a', secretAccessKey: 'b', forcePathStyle: true, retries: 0, timeoutMs: 5000 });
    await expect(store.put(key(randomUUID()), new Uint8Array(1))).rejects.toThrow();
    await expect(store.ping()).rejects.toThrow();
  });

  it('addresses the bucket by host name unless path style is asked for', async () => {
    const seen: string[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = (async (input: RequestInfo | URL) => {
      seen.push(input instanceof Request ? input.url : String(input));
      return new Response('<ListBucketResult></ListBucketResult>', { status: 200 });
    }) as typeof fetch;
    try {
      const config = { endpoint: 'https://s3.eu-central-1.amazonaws.com', bucket: 'zk-invoices', region: 'eu-central-1', accessKeyId: 'a', secretAccessKey: 'b' };
      await createS3BlobStore({ ...config, forcePathStyle: false }).ping();
      await createS3BlobStore({ ...config, forcePathStyle: true }).ping();
    } finally {
      globalThis.fetch = original;
    }
    expect(seen.map((u) => new URL(u).origin + new URL(u).pathname)).toEqual(['https://zk-invoices.s3.eu-central-1.amazonaws.com/', 'https://s3.eu-central-1.amazonaws.com/zk-invoices']);
  });
});
