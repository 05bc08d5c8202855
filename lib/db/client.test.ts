import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileParts, uploads } from './schema';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from './test-database';

describe.each(testDatabaseKinds())('bytea on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await test.drop();
  });

  it('round-trips binary values of every size byte for byte', async () => {
    const { db } = test.handle;
    const uploadId = crypto.randomUUID();
    await db.execute(sql`insert into organizations (id, name, handle) values (${uploadId}, 'o', ${`h-${uploadId}`})`);
    await db.execute(sql`insert into users (id, email, display_name) values (${uploadId}, ${`${uploadId}@example.test`}, 'u')`);
    await db.insert(uploads).values({ id: uploadId, supplierOrgId: uploadId, customerOrgId: uploadId, createdBy: uploadId, files: [], expiresAt: new Date() });
    const values = [new Uint8Array(0), Uint8Array.of(0), Uint8Array.of(0xff, 0x00, 0x80), new Uint8Array(randomBytes(4095)), new Uint8Array(randomBytes(1024 * 1024 + 256))];
    // A view into a larger buffer must store only its own bytes.
    const backing = new Uint8Array(randomBytes(64));
    values.push(backing.subarray(8, 40));
    await db.insert(fileParts).values(values.map((data, partIndex) => ({ uploadId, fileId: uploadId, partIndex, data, size: data.byteLength })));
    const rows = await db.select({ partIndex: fileParts.partIndex, data: fileParts.data }).from(fileParts).where(eq(fileParts.uploadId, uploadId)).orderBy(fileParts.partIndex);
    expect(rows).toHaveLength(values.length);
    for (const row of rows) {
      expect(row.data).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(row.data!).equals(Buffer.from(values[row.partIndex]!))).toBe(true);
    }
  });
});
