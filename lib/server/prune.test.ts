import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@/lib/db/test-database';
import { fileParts, organizations, rateLimits, sessions, uploads, users, webauthnChallenges } from '@/lib/db/schema';
import { blobStore } from './blob-store';
import { pruneExpired } from './prune';
import { useDatabaseForTests } from './testing';

process.env.BLOB_STORE = 'filesystem';
process.env.BLOB_DIR = mkdtempSync(path.join(tmpdir(), 'zkinvoice-prune-'));

describe.each(testDatabaseKinds())('the prune job on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    useDatabaseForTests(database.handle);
  });
  afterAll(() => database.drop());

  it('deletes expired challenges, sessions, old rate-limit rows and abandoned uploads with their blob files, and nothing live', async () => {
    const db = database.handle.db;
    const now = Date.now();
    const past = new Date(now - 60_000);
    const future = new Date(now + 3_600_000);
    const userId = randomUUID();
    const orgA = randomUUID();
    const orgB = randomUUID();
    await db.insert(users).values({ id: userId, email: `${userId}@example.test`, displayName: 'U' });
    for (const id of [orgA, orgB]) await db.insert(organizations).values({ id, name: id, handle: `h-${id}` });
    await db.insert(webauthnChallenges).values([
      { challenge: `old-${userId}`, ceremony: 'sign-in', expiresAt: past },
      { challenge: `new-${userId}`, ceremony: 'sign-in', expiresAt: future },
    ]);
    const session = (expiresAt: Date, lastSeenAt: Date) => ({ id: randomUUID(), tokenHash: new Uint8Array(Buffer.from(randomUUID())), userId, expiresAt, lastSeenAt });
    const [expired, idle, live] = [session(past, new Date(now - 1000)), session(future, new Date(now - 2 * 24 * 3600_000)), session(future, new Date(now))];
    await db.insert(sessions).values([expired, idle, live]);
    await db.insert(rateLimits).values([
      { key: `old-${userId}`, windowStart: new Date(now - 2 * 24 * 3600_000), count: 1 },
      { key: `new-${userId}`, windowStart: new Date(now - 60_000), count: 1 },
    ]);
    const upload = (expiresAt: Date) => ({ id: randomUUID(), supplierOrgId: orgA, customerOrgId: orgB, createdBy: userId, files: [{ fileId: randomUUID(), ciphertextSize: 10 }], expiresAt });
    const [abandoned, open] = [upload(past), upload(future)];
    await db.insert(uploads).values([abandoned, open]);
    for (const u of [abandoned, open]) {
      const fileId = u.files[0]!.fileId;
      await blobStore().put({ uploadId: u.id, fileId, index: 0 }, new Uint8Array(10));
      await db.insert(fileParts).values({ uploadId: u.id, fileId, partIndex: 0, size: 10 });
    }
    const blobDir = (id: string) => path.join(process.env.BLOB_DIR!, id);
    expect(await blobStore().listUploads()).toEqual(expect.arrayContaining([abandoned.id, open.id]));

    const report = await pruneExpired(new Date(now));
    expect(report).toMatchObject({ uploads: 1 });
    expect(report.challenges).toBeGreaterThanOrEqual(1);
    expect(report.sessions).toBeGreaterThanOrEqual(2);
    expect(report.rateLimits).toBeGreaterThanOrEqual(1);
    expect((await db.select({ c: webauthnChallenges.challenge }).from(webauthnChallenges)).map((r) => r.c)).not.toContain(`old-${userId}`);
    expect((await db.select({ c: webauthnChallenges.challenge }).from(webauthnChallenges)).map((r) => r.c)).toContain(`new-${userId}`);
    expect((await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId))).map((r) => r.id)).toEqual([live.id]);
    expect((await db.select({ key: rateLimits.key }).from(rateLimits)).map((r) => r.key)).toEqual(expect.arrayContaining([`new-${userId}`]));
    expect((await db.select({ key: rateLimits.key }).from(rateLimits)).map((r) => r.key)).not.toContain(`old-${userId}`);
    expect((await db.select({ id: uploads.id }).from(uploads)).map((r) => r.id)).toEqual([open.id]);
    expect(await db.select({ id: fileParts.uploadId }).from(fileParts).where(eq(fileParts.uploadId, abandoned.id))).toHaveLength(0);
    expect(await blobStore().listUploads()).toContain(open.id);
    expect(await blobStore().listUploads()).not.toContain(abandoned.id);
    expect(existsSync(blobDir(abandoned.id))).toBe(false);
  });
});
