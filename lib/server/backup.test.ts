import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asc } from 'drizzle-orm';
import postgres from 'postgres';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '@/lib/db/client';
import { auditLog, fileParts, organizations, uploads, users } from '@/lib/db/schema';
import { testDatabaseKinds } from '@/lib/db/test-database';
import { recordAudit, verifyAuditChain } from './audit';
import { createBackup, readBackup, restoreBackup, type DatabaseLocation } from './backup';
import { createFilesystemBlobStore, type BlobStore } from './blob-store';
import { createS3BlobStore } from './blob-store-s3';
import { useDatabaseForTests as pointServerAt } from './testing';

// npm run backup → npm run restore, round trip: every row and every stored part comes back
// byte for byte, the audit chain still verifies, and a damaged or misdirected restore is refused.

const scratch = mkdtempSync(path.join(tmpdir(), 'zkinvoice-backup-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const fresh = (name: string) => path.join(scratch, `${name}-${randomUUID().slice(0, 8)}`);

let s3: S3rver;
let s3Port: number;
beforeAll(async () => {
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: fresh('s3rver'), configureBuckets: [{ name: 'zk-restore', configs: [] }] });
  s3Port = (await s3.run()).port;
});
afterAll(() => s3?.close());

const s3Store = () => createS3BlobStore({ endpoint: `http://127.0.0.1:${s3Port}`, bucket: 'zk-restore', region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true, deleteConcurrency: 1 });

async function newLocation(kind: 'pglite' | 'postgres'): Promise<{ location: DatabaseLocation; open: () => DatabaseHandle; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const dataDir = fresh('pglite');
    return { location: { kind, dataDir }, open: () => openDatabase({ pgliteDataDir: dataDir }), drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const base = process.env.TEST_DATABASE_URL!;
  const name = `zkinvoice_backup_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    location: { kind, url: url.toString() },
    open: () => openDatabase({ databaseUrl: url.toString(), pgliteDataDir: 'memory://' }),
    async drop() {
      const drop = postgres(base, { max: 1, onnotice: () => {} });
      await drop.unsafe(`drop database if exists "${name}" with (force)`);
      await drop.end();
    },
  };
}

const CONTEXT = { ip: '192.0.2.1', userAgent: 'backup-test' };
const bytesOf = (size: number, seed: number) => new Uint8Array(size).map((_, i) => (i * 7 + seed) % 256);

/** A small deployment: two organizations, a committed upload with two parts, an open one, audit rows. */
async function seed(handle: DatabaseHandle, store: BlobStore) {
  pointServerAt(handle);
  const db = handle.db;
  const userId = randomUUID();
  const [supplier, customer] = [randomUUID(), randomUUID()];
  await db.insert(users).values({ id: userId, email: `${userId}@example.test`, displayName: 'Backup Tester' });
  await db.insert(organizations).values([{ id: supplier, name: 'Supplier', handle: `s-${supplier}` }, { id: customer, name: 'Customer', handle: `c-${customer}` }]);
  const parts: { uploadId: string; fileId: string; index: number; data: Uint8Array }[] = [];
  for (const committed of [true, false]) {
    const uploadId = randomUUID();
    const fileId = randomUUID();
    await db.insert(uploads).values({ id: uploadId, supplierOrgId: supplier, customerOrgId: customer, createdBy: userId, files: [{ fileId, ciphertextSize: 300_000 }], expiresAt: new Date(Date.now() + 86_400_000), committedAt: committed ? new Date() : null });
    for (const [index, size] of [[0, 200_000], [1, 100_000]] as const) {
      const data = bytesOf(size, index + (committed ? 0 : 100));
      await store.put({ uploadId, fileId, index }, data);
      await db.insert(fileParts).values({ uploadId, fileId, partIndex: index, size });
      parts.push({ uploadId, fileId, index, data });
    }
    await recordAudit({ action: 'invoice.uploaded', outcome: 'success', actorUserId: userId, objectType: 'invoice', objectId: uploadId }, CONTEXT);
  }
  await recordAudit({ action: 'account.sign_in', outcome: 'failure', reason: 'challenge_invalid' }, CONTEXT);
  return { parts, snapshot: await snapshot(handle) };
}

async function snapshot(handle: DatabaseHandle) {
  const db = handle.db;
  const normalize = (rows: unknown[]) => JSON.parse(JSON.stringify(rows, (_, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))) as unknown;
  return {
    users: normalize(await db.select().from(users).orderBy(asc(users.id))),
    organizations: normalize(await db.select().from(organizations).orderBy(asc(organizations.id))),
    uploads: normalize(await db.select().from(uploads).orderBy(asc(uploads.id))),
    fileParts: normalize(await db.select().from(fileParts).orderBy(asc(fileParts.uploadId), asc(fileParts.fileId), asc(fileParts.partIndex))),
    audit: normalize(await db.select().from(auditLog).orderBy(asc(auditLog.seq))),
  };
}

async function readAll(store: BlobStore, key: { uploadId: string; fileId: string; index: number }): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of store.read(key, 65_536)) chunks.push(new Uint8Array(chunk));
  return new Uint8Array(Buffer.concat(chunks));
}

describe.each(testDatabaseKinds())('backup and restore on %s', (kind) => {
  it('round-trips the database and every part, into the same kind of store and into S3, and refuses what it must', async () => {
    const source = await newLocation(kind);
    const sourceStore = createFilesystemBlobStore(fresh('blobs'));
    const handle = source.open();
    await handle.migrate();
    const { parts, snapshot: before } = await seed(handle, sourceStore);
    // An orphan blob (no row): not part of what the database counts, so not backed up.
    await sourceStore.put({ uploadId: randomUUID(), fileId: randomUUID(), index: 0 }, bytesOf(10, 1));
    if (kind === 'pglite') {
      // PGlite has one opener: a backup while the server has it open is refused.
      await expect(createBackup({ dir: fresh('backup'), database: source.location, store: sourceStore })).rejects.toThrow(/is open \(a server is running on it\)/);
    }
    await handle.close();

    const dir = fresh('backup');
    const { manifest } = await createBackup({ dir, database: source.location, store: sourceStore });
    expect(manifest).toMatchObject({ database: kind, blobStore: 'filesystem', parts: 4, partBytes: 600_000 });
    expect(await readBackup(dir)).toEqual(manifest);
    expect(readdirSync(path.join(dir, 'blobs')).sort()).toEqual([...new Set(parts.map((p) => p.uploadId))].sort());
    // A new backup never goes over an old one; a restore never goes over a database in use.
    await expect(createBackup({ dir, database: source.location, store: sourceStore })).rejects.toThrow(/not empty/);
    await expect(restoreBackup({ dir, database: source.location, store: sourceStore })).rejects.toThrow(/not empty/);
    const other: DatabaseLocation = kind === 'pglite' ? { kind: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none' } : { kind: 'pglite', dataDir: fresh('pglite') };
    await expect(restoreBackup({ dir, database: other, store: sourceStore })).rejects.toThrow(`This backup is of a ${kind} database and cannot be restored into ${other.kind}.`);

    for (const targetStore of [createFilesystemBlobStore(fresh('restored-blobs')), s3Store()]) {
      const target = await newLocation(kind);
      await restoreBackup({ dir, database: target.location, store: targetStore });
      const restored = target.open();
      try {
        await restored.migrate();
        expect(await snapshot(restored)).toEqual(before);
        pointServerAt(restored);
        expect(await verifyAuditChain()).toMatchObject({ ok: true, verifiedUpTo: 3 });
        for (const part of parts) expect(Buffer.from(await readAll(targetStore, part)).equals(Buffer.from(part.data))).toBe(true);
        // The restored deployment keeps working: a new audit row extends the restored chain.
        await recordAudit({ action: 'account.sign_in', outcome: 'failure', reason: 'after_restore' }, CONTEXT);
        expect(await verifyAuditChain()).toMatchObject({ ok: true, verifiedUpTo: 4 });
      } finally {
        await restored.close();
        await target.drop();
      }
    }

    // A damaged file is found before anything is restored.
    const blob = Object.keys(manifest.files).find((f) => f.startsWith('blobs/'))!;
    appendFileSync(path.join(dir, blob), 'x');
    const untouched = kind === 'pglite' ? fresh('pglite') : 'postgres://nobody@127.0.0.1:1/none';
    await expect(restoreBackup({ dir, database: kind === 'pglite' ? { kind, dataDir: untouched } : { kind, url: untouched }, store: sourceStore })).rejects.toThrow(`The backup is damaged: ${blob} does not match its checksum.`);
    await source.drop();
  }, 240_000);
});
