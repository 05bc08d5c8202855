import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@/lib/db/test-database';
import { fileParts, memberships, organizations, orgKeys, uploads, users } from '@/lib/db/schema';
import { AppError } from './errors';
import { orgStorage } from './quotas';
import type { CurrentSession } from './sessions';
import { useDatabaseForTests } from './testing';
import { createUpload } from './uploads';

const code = (promise: Promise<unknown>) => promise.then(() => 'ok', (e: unknown) => (e instanceof AppError ? e.code : String(e)));
const MiB = 1024 * 1024;

describe.each(testDatabaseKinds())('storage quotas on %s', (kind) => {
  let database: TestDatabase;
  let session: CurrentSession;
  const supplierOrgId = randomUUID();
  const customerOrgId = randomUUID();
  const file = (ciphertextSize: number) => [{ fileId: randomUUID(), ciphertextSize }];
  const start = (ciphertextSize: number) => createUpload(session, { supplierOrgId, customerOrgId, files: file(ciphertextSize) });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    useDatabaseForTests(database.handle);
    const db = database.handle.db;
    const userId = randomUUID();
    await db.insert(users).values({ id: userId, email: `${userId}@example.test`, displayName: 'Sender' });
    for (const id of [supplierOrgId, customerOrgId]) {
      await db.insert(organizations).values({ id, name: id, handle: `h-${id}` });
      await db.insert(orgKeys).values({ orgId: id, version: 1, encryptionPublicKey: new Uint8Array(32), signingPublicKey: new Uint8Array(32), wrappedPrivateKeys: new Uint8Array(48) });
    }
    await db.insert(memberships).values({ orgId: supplierOrgId, userId, role: 'owner', keyVersion: 1, certificate: {}, certificateSignature: 'x' });
    session = { sessionId: randomUUID(), userId, credentialId: null, reauthAt: null, isPlatformAdmin: false, displayName: 'Sender', email: 's@example.test', recoveryConfirmed: true };
  });
  afterAll(() => database.drop());

  it('refuses an upload beyond the org quota before anything is stored, counting open uploads in full', async () => {
    const db = database.handle.db;
    await db.update(organizations).set({ quotaBytes: 3 * MiB }).where(eq(organizations.id, supplierOrgId));
    const first = await start(2 * MiB);
    expect(await orgStorage(supplierOrgId)).toMatchObject({ usedBytes: 2 * MiB, pendingBytes: 2 * MiB, quotaBytes: 3 * MiB });

    const before = await db.select({ id: uploads.id }).from(uploads).where(eq(uploads.supplierOrgId, supplierOrgId));
    const refusal = await start(2 * MiB).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: 'quota_exceeded', status: 413 });
    expect((refusal as AppError).message).toMatch(/storage is full: this invoice needs 2\.0 MiB, and 1\.0 MiB of its 3\.0 MiB quota is left\. Nothing was uploaded\./);
    const after = await db.select({ id: uploads.id }).from(uploads).where(eq(uploads.supplierOrgId, supplierOrgId));
    expect(after).toEqual(before);
    expect(await db.select({ n: fileParts.partIndex }).from(fileParts).where(inArray(fileParts.uploadId, after.map((u) => u.id)))).toHaveLength(0);

    // What still fits is accepted; an expired upload stops counting.
    expect(await code(start(MiB))).toBe('ok');
    await db.update(uploads).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(uploads.id, first.invoiceId));
    expect(await code(start(2 * MiB))).toBe('ok');
  });

  it('lets only one of two concurrent uploads take the last free bytes', async () => {
    const db = database.handle.db;
    await db.delete(uploads).where(eq(uploads.supplierOrgId, supplierOrgId));
    await db.update(organizations).set({ quotaBytes: 5 * MiB }).where(eq(organizations.id, supplierOrgId));
    const results = await Promise.all([start(3 * MiB), start(3 * MiB), start(3 * MiB)].map(code));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'quota_exceeded')).toHaveLength(2);
    expect((await orgStorage(supplierOrgId))?.usedBytes).toBe(3 * MiB);
  });

  it('holds an org without its own setting to the instance default of 5 GiB', async () => {
    const db = database.handle.db;
    await db.delete(uploads).where(eq(uploads.supplierOrgId, supplierOrgId));
    await db.update(organizations).set({ quotaBytes: null }).where(eq(organizations.id, supplierOrgId));
    expect((await orgStorage(supplierOrgId))?.quotaBytes).toBe(5 * 1024 * MiB);
    // The largest upload there is: 20 documents of 100 MiB (padded and sealed, about 112 MiB each).
    const largest = () => createUpload(session, { supplierOrgId, customerOrgId, files: Array.from({ length: 20 }, () => ({ fileId: randomUUID(), ciphertextSize: 112 * MiB })) });
    expect(await code(largest())).toBe('ok');
    expect(await code(largest())).toBe('ok');
    const refusal = await largest().catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'quota_exceeded', status: 413 });
    expect((refusal as AppError).message).toMatch(/of its 5\.0 GiB quota is left/);
  });

  it('caps the uploads an org may have open at once; an expired or sent one frees its slot', async () => {
    const db = database.handle.db;
    await db.delete(uploads).where(eq(uploads.supplierOrgId, supplierOrgId));
    await db.update(organizations).set({ quotaBytes: 0 }).where(eq(organizations.id, supplierOrgId));
    const opened = [];
    for (let i = 0; i < 20; i++) opened.push(await start(1024));
    const refusal = await start(1024).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'limit_reached', status: 409 });
    expect((refusal as AppError).message).toMatch(/already has 20 invoices being uploaded \(at most 20 at a time\)/);
    expect(await db.select({ id: uploads.id }).from(uploads).where(eq(uploads.supplierOrgId, supplierOrgId))).toHaveLength(20);
    await db.update(uploads).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(uploads.id, opened[0]!.invoiceId));
    await db.update(uploads).set({ committedAt: new Date() }).where(eq(uploads.id, opened[1]!.invoiceId));
    expect(await Promise.all([start(1024), start(1024), start(1024)].map(code))).toEqual(expect.arrayContaining(['ok', 'ok', 'limit_reached']));
  });

  it('treats 0 as unlimited', async () => {
    const db = database.handle.db;
    await db.delete(uploads).where(eq(uploads.supplierOrgId, supplierOrgId));
    await db.update(organizations).set({ quotaBytes: 0 }).where(eq(organizations.id, supplierOrgId));
    expect(await code(start(50 * MiB))).toBe('ok');
    expect((await orgStorage(supplierOrgId))?.quotaBytes).toBeNull();
  });
});
