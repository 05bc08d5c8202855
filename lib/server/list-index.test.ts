import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalManifestBytes, type InvoiceManifest } from '@/lib/crypto/envelope';
import { sha256 } from '@/lib/crypto/kdf';
import { toBase64Url } from '@/lib/crypto/encoding';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@/lib/db/test-database';
import { invoiceKeys, invoices, memberships, organizations, orgKeys, uploads } from '@/lib/db/schema';
import { COMPACT_BOUNDS_MIN_CHUNK, COMPACT_PAGE_MAX, LIST_PAGE_MAX, listInvoicesQuerySchema } from '@/lib/shared/schemas/invoice';
import { LIST_INDEX_SEGMENT_MAX_RECORDS } from '@/lib/shared/schemas/list-index';
import { decodeListChunk, LIST_CHUNK_RECORD_BYTES, type ListChunk } from '@/lib/shared/list-chunk';
import { AppError } from './errors';
import { listCompactBounds, listInvoicesByIds, listInvoicesCompact as listCompactBytes } from './invoices';
import { appendSegment, listSegments, readSegment } from './list-index';
import { testPerson, type TestPerson } from './test-people';
import { useDatabaseForTests } from './testing';

/** The compact chunk as served, decoded as a client decodes it (lib/shared/list-chunk.ts). */
async function listInvoicesCompact(...args: Parameters<typeof listCompactBytes>): Promise<ListChunk & { bytes: Uint8Array }> {
  const bytes = await listCompactBytes(...args);
  const chunk = decodeListChunk(bytes);
  expect(chunk).not.toBeNull();
  return { ...chunk!, bytes };
}

/** A compact chunk's entries as one object an invoice, hashes in base64url. */
const rowsOf = (chunk: ListChunk) =>
  chunk.ids.map((id, i) => {
    const at = i * LIST_CHUNK_RECORD_BYTES;
    return {
      id,
      supplierOrgId: chunk.parties[chunk.supplier[i]!],
      customerOrgId: chunk.parties[chunk.customer[i]!],
      status: chunk.statuses[chunk.status[i]!],
      createdAt: new Date(chunk.view.getFloat64(at + 16)).toISOString(),
      updatedAt: new Date(chunk.view.getFloat64(at + 24)).toISOString(),
      manifestSha256: toBase64Url(chunk.records.subarray(at + 32, at + 64)),
      headerSha256: toBase64Url(chunk.records.subarray(at + 64, at + 96)),
    };
  });

const code = (promise: Promise<unknown>) => promise.then(() => 'ok', (e: unknown) => (e instanceof AppError ? e.code : String(e)));

describe.each(testDatabaseKinds())('list index and compact list on %s', (kind) => {
  let database: TestDatabase;
  let supplier: TestPerson;
  let customer: TestPerson;
  let viewer: TestPerson;
  let outsider: TestPerson;
  const supplierOrg = randomUUID();
  const customerOrg = randomUUID();
  const invoiceIds: string[] = [];

  async function newOrg(orgId: string, members: [TestPerson, 'owner' | 'viewer'][]): Promise<void> {
    const db = database.handle.db;
    await db.insert(organizations).values({ id: orgId, name: `Org ${orgId}`, handle: `h-${orgId}` });
    await db.insert(orgKeys).values({ orgId, version: 1, encryptionPublicKey: new Uint8Array(32), signingPublicKey: new Uint8Array(32), wrappedPrivateKeys: new Uint8Array(48) });
    for (const [person, role] of members) {
      await db.insert(memberships).values({ orgId, userId: person.userId, role, keyVersion: 1, certificate: {}, certificateSignature: 'x' });
    }
  }

  function manifestFor(id: string): InvoiceManifest {
    return {
      v: 2, invoiceId: id, supplierOrgId: supplierOrg, customerOrgId: customerOrg, signerUserId: supplier.userId, signerKeyId: 'AAAAAAAAAAAAAAAAAAAAAA', createdAt: '2025-01-02T03:04:05.678Z',
      header: { sha256: toBase64Url(new Uint8Array(32)), size: 40 }, files: [], dekCommitment: toBase64Url(new Uint8Array(32)), recipients: [{ orgId: supplierOrg, keyVersion: 1 }, { orgId: customerOrg, keyVersion: 1 }],
    } as InvoiceManifest;
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    useDatabaseForTests(database.handle);
    supplier = await testPerson('supplier');
    customer = await testPerson('customer');
    viewer = await testPerson('viewer');
    outsider = await testPerson('outsider');
    await newOrg(supplierOrg, [[supplier, 'owner']]);
    await newOrg(customerOrg, [[customer, 'owner'], [viewer, 'viewer']]);
    await newOrg(randomUUID(), [[outsider, 'owner']]);
    const db = database.handle.db;
    // Stored as invoices committed before the hash columns existed: no hashes kept yet.
    for (let i = 0; i < 5; i++) {
      const id = randomUUID();
      invoiceIds.push(id);
      await db.insert(uploads).values({ id, supplierOrgId: supplierOrg, customerOrgId: customerOrg, createdBy: supplier.userId, files: [], expiresAt: new Date(Date.now() + 60_000), committedAt: new Date() });
      await db.insert(invoices).values({ id, supplierOrgId: supplierOrg, customerOrgId: customerOrg, signerUserId: supplier.userId, manifest: manifestFor(id), manifestSignature: 'sig', sealedHeader: Uint8Array.of(i, 1, 2, 3) });
      await db.insert(invoiceKeys).values({ invoiceId: id, orgId: customerOrg, keyVersion: 1, kind: 'grant', sealedDek: new Uint8Array(80) });
    }
    invoiceIds.sort();
  });
  afterAll(() => database.drop());

  it('[member] appends segments, lists them and reads them back byte for byte', async () => {
    const first = randomUUID();
    const second = randomUUID();
    await appendSegment(customer.session, { orgId: customerOrg, epoch: 1, segmentId: first, recordCount: 3, ciphertext: Uint8Array.of(1, 2, 3, 4) });
    // A viewer holds the org secret too and may record what it verified.
    await appendSegment(viewer.session, { orgId: customerOrg, epoch: 1, segmentId: second, recordCount: 1, ciphertext: Uint8Array.of(9) });
    const listed = await listSegments(customer.session, customerOrg);
    expect(listed.epoch).toBe(1);
    expect(listed.segments).toHaveLength(2);
    expect(listed.segments).toContainEqual({ segmentId: first, recordCount: 3, size: 4 });
    expect(await readSegment(viewer.session, customerOrg, first)).toEqual(Uint8Array.of(1, 2, 3, 4));
    expect(await readSegment(customer.session, customerOrg, randomUUID())).toBeNull();
  });

  it('[member] cannot replace a segment, append under another epoch or past the record limit', async () => {
    const segmentId = randomUUID();
    await appendSegment(customer.session, { orgId: customerOrg, epoch: 1, segmentId, recordCount: 1, ciphertext: Uint8Array.of(1) });
    expect(await code(appendSegment(customer.session, { orgId: customerOrg, epoch: 1, segmentId, recordCount: 1, ciphertext: Uint8Array.of(2) }))).toBe('conflict');
    expect(await readSegment(customer.session, customerOrg, segmentId)).toEqual(Uint8Array.of(1));
    expect(await code(appendSegment(customer.session, { orgId: customerOrg, epoch: 2, segmentId: randomUUID(), recordCount: 1, ciphertext: Uint8Array.of(1) }))).toBe('conflict');
    expect(await code(appendSegment(customer.session, { orgId: customerOrg, epoch: 1, segmentId: randomUUID(), recordCount: LIST_INDEX_SEGMENT_MAX_RECORDS + 1, ciphertext: Uint8Array.of(1) }))).toBe('bad_request');
  });

  it('[outsider] can neither list, read nor append another org’s segments', async () => {
    const { segments } = await listSegments(customer.session, customerOrg);
    expect(await code(listSegments(outsider.session, customerOrg))).toBe('not_found');
    expect(await code(readSegment(outsider.session, customerOrg, segments[0]!.segmentId))).toBe('not_found');
    expect(await code(appendSegment(outsider.session, { orgId: customerOrg, epoch: 1, segmentId: randomUUID(), recordCount: 1, ciphertext: Uint8Array.of(1) }))).toBe('not_found');
    // The supplier is a party to the invoices, not a member of the customer org.
    expect(await code(listSegments(supplier.session, customerOrg))).toBe('not_found');
  });

  it('[member] gets a compact list: metadata and the manifest and header hashes, no manifest, header or keys', async () => {
    const first = await listInvoicesCompact(customer.session, 'inbox', customerOrg, { limit: 3 });
    const rest = await listInvoicesCompact(customer.session, 'inbox', customerOrg, { limit: 3, after: first.nextCursor! });
    expect(first.nextCursor).toBe(invoiceIds[2]);
    expect(rest.nextCursor).toBeNull();
    const all = [...rowsOf(first), ...rowsOf(rest)];
    expect(all.map((i) => i.id)).toEqual(invoiceIds);
    expect(first.parties.sort()).toEqual([customerOrg, supplierOrg].sort());
    expect(Object.keys(first.orgs).sort()).toEqual([customerOrg, supplierOrg].sort());
    // The same metadata as the full list, to the millisecond.
    const full = await listInvoicesByIds(customer.session, 'inbox', customerOrg, invoiceIds);
    expect(all.map(({ id, supplierOrgId, customerOrgId, status, createdAt, updatedAt }) => ({ id, supplierOrgId, customerOrgId, status, createdAt, updatedAt }))).toEqual(
      full.invoices.map(({ id, supplierOrgId, customerOrgId, status, createdAt, updatedAt }) => ({ id, supplierOrgId, customerOrgId, status, createdAt, updatedAt })),
    );
    for (const item of all) {
      const [row] = await database.handle.db.select({ manifest: invoices.manifest, sealedHeader: invoices.sealedHeader, manifestSha256: invoices.manifestSha256 }).from(invoices).where(eq(invoices.id, item.id));
      // Exactly what a client hashes (lib/crypto, WebCrypto) of the manifest and header it is served.
      expect(item.manifestSha256).toBe(toBase64Url(await sha256(canonicalManifestBytes(row!.manifest as InvoiceManifest))));
      expect(item.headerSha256).toBe(toBase64Url(await sha256(row!.sealedHeader)));
      // Computed once, then kept.
      expect(row!.manifestSha256 && toBase64Url(row!.manifestSha256)).toBe(item.manifestSha256);
    }
    // Nothing but the meta and 101 bytes an invoice (the decoder refuses any other length); the meta
    // holds the parties' public keys, no manifest, signature, sealed header or key of an invoice.
    for (const chunk of [first, rest]) {
      expect(Buffer.from(chunk.bytes).toString('latin1')).not.toMatch(/manifestSignature|sealedHeader|sealedDek|"keys"|dekCommitment/);
      expect(Object.keys(chunk.orgs).every((id) => chunk.parties.includes(id))).toBe(true);
    }
    expect(rowsOf(await listInvoicesCompact(customer.session, 'inbox', customerOrg, { limit: 10 }))).toEqual(all);
  });

  it('serves the hashes of the bytes stored now: a manifest or sealed header changed in the database drops its kept hash', async () => {
    const db = database.handle.db;
    const id = invoiceIds[4]!;
    const before = rowsOf(await listInvoicesCompact(customer.session, 'inbox', customerOrg, { limit: 10 })).find((i) => i.id === id)!;
    const moved = { ...manifestFor(id), createdAt: '1999-01-02T03:04:05.678Z' };
    await db.update(invoices).set({ manifest: moved, sealedHeader: Uint8Array.of(9, 9, 9) }).where(eq(invoices.id, id));
    const after = rowsOf(await listInvoicesCompact(customer.session, 'inbox', customerOrg, { limit: 10 })).find((i) => i.id === id)!;
    expect(after.manifestSha256).toBe(toBase64Url(await sha256(canonicalManifestBytes(moved))));
    expect(after.headerSha256).toBe(toBase64Url(await sha256(Uint8Array.of(9, 9, 9))));
    expect(after.manifestSha256).not.toBe(before.manifestSha256);
    // A status change leaves them as they are.
    await db.update(invoices).set({ status: 'viewed' }).where(eq(invoices.id, id));
    const [kept] = await db.select({ manifestSha256: invoices.manifestSha256 }).from(invoices).where(eq(invoices.id, id));
    expect(toBase64Url(kept!.manifestSha256!)).toBe(after.manifestSha256);
  });

  it('[member] fetches full invoices by id from its own box only', async () => {
    const some = await listInvoicesByIds(customer.session, 'inbox', customerOrg, [invoiceIds[1]!, invoiceIds[3]!, randomUUID()]);
    expect(some.invoices.map((i) => i.id)).toEqual([invoiceIds[1], invoiceIds[3]]);
    expect(some.invoices[0]!.manifest).toEqual(manifestFor(invoiceIds[1]!));
    expect((await listInvoicesByIds(customer.session, 'sent', customerOrg, [invoiceIds[1]!])).invoices).toEqual([]);
    expect(await code(listInvoicesByIds(outsider.session, 'inbox', customerOrg, [invoiceIds[1]!]))).toBe('not_found');
    expect(await code(listInvoicesCompact(outsider.session, 'inbox', customerOrg, { limit: 10 }))).toBe('not_found');
  });

  it('[member] splits the compact list into ranges: the bounds between chunks, and each range by `after` and `until`', async () => {
    const ids = invoiceIds;
    // The id ending each chunk but the last (a bound at the very end would start an empty chunk).
    expect((await listCompactBounds(customer.session, 'inbox', customerOrg, 2)).bounds).toEqual([ids[1], ids[3]]);
    expect((await listCompactBounds(customer.session, 'inbox', customerOrg, 1)).bounds).toEqual(ids.slice(0, 4));
    expect((await listCompactBounds(customer.session, 'inbox', customerOrg, 5)).bounds).toEqual([]);
    expect((await listCompactBounds(viewer.session, 'inbox', customerOrg, 2)).bounds).toEqual([ids[1], ids[3]]);
    expect((await listCompactBounds(customer.session, 'sent', customerOrg, 2)).bounds).toEqual([]);
    expect(await code(listCompactBounds(outsider.session, 'inbox', customerOrg, 2))).toBe('not_found');
    // Each range, as a client asks for it: after one bound, up to and including the next.
    const ranges = [
      await listInvoicesCompact(customer.session, 'inbox', customerOrg, { until: ids[1], limit: 2 }),
      await listInvoicesCompact(customer.session, 'inbox', customerOrg, { after: ids[1], until: ids[3], limit: 2 }),
      await listInvoicesCompact(customer.session, 'inbox', customerOrg, { after: ids[3], limit: 2 }),
    ];
    expect(ranges.map((r) => r.ids)).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    expect(ranges.map((r) => r.nextCursor)).toEqual([null, null, null]);
    // A range of more than a chunk (invoices that arrived since the bounds were read) is paged within it.
    const wide = await listInvoicesCompact(customer.session, 'inbox', customerOrg, { after: ids[0], until: ids[3], limit: 2 });
    expect(wide.ids).toEqual(ids.slice(1, 3));
    expect(wide.nextCursor).toBe(ids[2]);
    const rest = await listInvoicesCompact(customer.session, 'inbox', customerOrg, { after: ids[2], until: ids[3], limit: 2 });
    expect(rest.ids).toEqual([ids[3]]);
    expect(rest.nextCursor).toBeNull();
    expect(await code(listInvoicesCompact(outsider.session, 'inbox', customerOrg, { until: ids[3], limit: 2 }))).toBe('not_found');
  });

  it('parses the split query: bounds of chunks of at least COMPACT_BOUNDS_MIN_CHUNK, a range end that is an id', () => {
    const orgId = randomUUID();
    expect(listInvoicesQuerySchema.parse({ box: 'inbox', orgId, view: 'bounds', limit: String(COMPACT_PAGE_MAX) })).toMatchObject({ view: 'bounds', limit: COMPACT_PAGE_MAX });
    expect(listInvoicesQuerySchema.safeParse({ box: 'inbox', orgId, view: 'bounds', limit: String(COMPACT_BOUNDS_MIN_CHUNK - 1) }).success).toBe(false);
    expect(listInvoicesQuerySchema.safeParse({ box: 'inbox', orgId, view: 'bounds' }).success).toBe(false);
    expect(listInvoicesQuerySchema.parse({ box: 'inbox', orgId, view: 'compact', limit: '5000', until: invoiceIds[0] }).until).toBe(invoiceIds[0]);
    expect(listInvoicesQuerySchema.safeParse({ box: 'inbox', orgId, view: 'compact', limit: '5000', until: 'zzz' }).success).toBe(false);
  });

  it('parses the list query: compact view, and at most 100 ids', () => {
    const orgId = randomUUID();
    expect(listInvoicesQuerySchema.parse({ box: 'inbox', orgId, limit: '500', view: 'compact' })).toMatchObject({ limit: 500, view: 'compact' });
    expect(listInvoicesQuerySchema.parse({ box: 'inbox', orgId, ids: `${invoiceIds[0]},${invoiceIds[1]}` }).ids).toEqual(invoiceIds.slice(0, 2));
    expect(listInvoicesQuerySchema.safeParse({ box: 'inbox', orgId, ids: Array.from({ length: 101 }, () => randomUUID()).join(',') }).success).toBe(false);
    expect(listInvoicesQuerySchema.safeParse({ box: 'inbox', orgId, ids: 'not-a-uuid' }).success).toBe(false);
    expect(listInvoicesQuerySchema.safeParse({ box: 'inbox', orgId, view: 'tiny' }).success).toBe(false);
    // Compact chunks may be larger than full ones, both bounded.
    expect(listInvoicesQuerySchema.parse({ box: 'inbox', orgId, limit: String(COMPACT_PAGE_MAX), view: 'compact' }).limit).toBe(COMPACT_PAGE_MAX);
    expect(listInvoicesQuerySchema.safeParse({ box: 'inbox', orgId, limit: String(COMPACT_PAGE_MAX + 1), view: 'compact' }).success).toBe(false);
    expect(listInvoicesQuerySchema.parse({ box: 'inbox', orgId, limit: String(LIST_PAGE_MAX) }).limit).toBe(LIST_PAGE_MAX);
    expect(listInvoicesQuerySchema.safeParse({ box: 'inbox', orgId, limit: String(LIST_PAGE_MAX + 1) }).success).toBe(false);
    expect(listInvoicesQuerySchema.safeParse({ box: 'inbox', orgId, limit: String(LIST_PAGE_MAX + 1), view: 'full' }).success).toBe(false);
  });
});
