import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url, utf8Encode } from '@/lib/crypto/encoding';
import {
  canonicalManifestBytes,
  ciphertextLengthFor,
  computeDekCommitment,
  computeKeyId,
  createCiphertextDigest,
  encryptFileStream,
  encryptHeader,
  generateDek,
  RECORD_SIZE,
  sealDekForOrg,
  signManifest,
  type InvoiceManifest,
} from '@/lib/crypto/envelope';
import { sha256 } from '@/lib/crypto/kdf';
import { generateKeyPairs, type GeneratedKeyPairs } from '@/lib/crypto/keys';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@/lib/db/test-database';
import { auditLog, fileParts, invoiceKeys, invoices, memberships, organizations, orgKeys, uploads, users } from '@/lib/db/schema';
import { CIPHERTEXT_RECORD_BYTES, PART_BYTES } from '@/lib/shared/upload';
import { createDatabaseBlobStore, createFilesystemBlobStore, useBlobStoreForTests, type BlobStore } from './blob-store';
import { AppError } from './errors';
import type { CurrentSession } from './sessions';
import { useDatabaseForTests } from './testing';
import { getInvoice, listInvoices, openFileStream, storeFastKeys } from './invoices';
import { abandonUpload, collectAbandonedUploads, collectOrphanedBlobs, commitUpload, createUpload, putPart } from './uploads';

const NO_CONTEXT = { ip: null, userAgent: null };
const code = (promise: Promise<unknown>) => promise.then(() => 'ok', (e: unknown) => (e instanceof AppError ? e.code : String(e)));

interface Org { id: string; keys: GeneratedKeyPairs }

async function newOrg(): Promise<Org> {
  return { id: randomUUID(), keys: await generateKeyPairs() };
}

const STORES = ['filesystem', 'database'] as const;

describe.each(testDatabaseKinds().flatMap((kind) => STORES.map((store) => [kind, store] as const)))('uploads on %s, parts in the %s store', (kind, storeKind) => {
  let database: TestDatabase;
  let store: BlobStore;
  let blobDir: string;
  let session: CurrentSession;
  let signer: GeneratedKeyPairs;
  let supplier: Org;
  let customer: Org;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    useDatabaseForTests(database.handle);
    blobDir = mkdtempSync(path.join(tmpdir(), 'zkinvoice-blobs-'));
    store = storeKind === 'filesystem' ? createFilesystemBlobStore(blobDir) : createDatabaseBlobStore();
    useBlobStoreForTests(store);
    const db = database.handle.db;
    signer = await generateKeyPairs();
    const userId = randomUUID();
    await db.insert(users).values({ id: userId, email: `${userId}@example.test`, displayName: 'Signer', signingPublicKey: signer.signingPublicKey, encryptionPublicKey: signer.encryptionPublicKey });
    supplier = await newOrg();
    customer = await newOrg();
    for (const org of [supplier, customer]) {
      await db.insert(organizations).values({ id: org.id, name: org.id, handle: `h-${org.id}` });
      await db.insert(orgKeys).values({ orgId: org.id, version: 1, encryptionPublicKey: org.keys.encryptionPublicKey, signingPublicKey: org.keys.signingPublicKey, wrappedPrivateKeys: new Uint8Array(48) });
    }
    await db.insert(memberships).values({ orgId: supplier.id, userId, role: 'owner', keyVersion: 1, certificate: {}, certificateSignature: 'x' });
    session = { sessionId: randomUUID(), userId, credentialId: null, reauthAt: null, isPlatformAdmin: false, displayName: 'Signer', email: 'signer@example.test', recoveryConfirmed: true };
  });
  afterAll(async () => {
    await database.drop();
    rmSync(blobDir, { recursive: true, force: true });
  });

  /** Encrypts `size` bytes, uploads them in parts, and builds a correctly signed commit. */
  async function prepareInvoice(size: number, options: { signWith?: GeneratedKeyPairs } = {}) {
    const fileId = randomUUID();
    const plaintext = new Uint8Array(size).map((_, i) => i % 251);
    const dek = generateDek();
    const records: Uint8Array[] = [];
    const digest = createCiphertextDigest();
    async function* source() {
      yield plaintext;
    }
    // The invoice id must be known before encrypting, so the upload is created first.
    const ciphertextSize = ciphertextLengthFor(size);
    const upload = await createUpload(session, { supplierOrgId: supplier.id, customerOrgId: customer.id, files: [{ fileId, ciphertextSize }] });
    for await (const record of encryptFileStream(dek, { invoiceId: upload.invoiceId, fileId }, source(), size)) {
      records.push(record);
      await digest.update(record);
    }
    const ciphertext = new Uint8Array(ciphertextSize);
    records.reduce((offset, r) => (ciphertext.set(r, offset), offset + r.byteLength), 0);
    const sealedHeader = await encryptHeader(dek, upload.invoiceId, utf8Encode('{"v":1}'), 1);
    const key = options.signWith ?? signer;
    const manifest: InvoiceManifest = {
      v: 1,
      invoiceId: upload.invoiceId,
      supplierOrgId: supplier.id,
      customerOrgId: customer.id,
      signerUserId: session.userId,
      signerKeyId: await computeKeyId(key.signingPublicKey),
      createdAt: new Date().toISOString(),
      header: { sha256: toBase64Url(await sha256(sealedHeader)), size: sealedHeader.byteLength },
      files: [{ fileId, sha256: toBase64Url(await digest.digest()), size: ciphertextSize, recordSize: RECORD_SIZE }],
      dekCommitment: toBase64Url(await computeDekCommitment(dek)),
      recipients: [{ orgId: supplier.id, keyVersion: 1 }, { orgId: customer.id, keyVersion: 1 }],
    };
    const grants = await Promise.all([supplier, customer].map(async (o) => ({ orgId: o.id, keyVersion: 1, sealedDek: toBase64Url(await sealDekForOrg(dek, o.keys.encryptionPublicKey, { invoiceId: upload.invoiceId, orgId: o.id, keyVersion: 1 })) })));
    const commit = { manifest, manifestSignature: await signManifest(key.signingPrivateKey, manifest), sealedHeader: toBase64Url(sealedHeader), grants };
    const uploadAll = async () => {
      for (let i = 0; i * PART_BYTES < ciphertextSize; i++) await putPart(session, upload.invoiceId, fileId, i, ciphertext.subarray(i * PART_BYTES, (i + 1) * PART_BYTES));
    };
    return { invoiceId: upload.invoiceId, fileId, ciphertext, commit, uploadAll };
  }

  const visible = async (invoiceId: string) => (await database.handle.db.select({ id: invoices.id }).from(invoices).where(eq(invoices.id, invoiceId))).length === 1;

  it('makes an invoice visible only at a verified commit, and a repeated commit is harmless', async () => {
    const invoice = await prepareInvoice(2 * PART_BYTES + 1000);
    await invoice.uploadAll();
    expect(await visible(invoice.invoiceId)).toBe(false);
    await commitUpload(session, invoice.invoiceId, invoice.commit, NO_CONTEXT);
    expect(await visible(invoice.invoiceId)).toBe(true);
    await expect(commitUpload(session, invoice.invoiceId, invoice.commit, NO_CONTEXT)).resolves.toEqual({ invoiceId: invoice.invoiceId });
    // The hashes the compact list serves (DESIGN §6) are kept at commit: those of the canonical manifest and sealed header.
    const [hashes] = await database.handle.db.select({ manifestSha256: invoices.manifestSha256, headerSha256: invoices.headerSha256 }).from(invoices).where(eq(invoices.id, invoice.invoiceId));
    expect(hashes!.manifestSha256).toEqual(await sha256(canonicalManifestBytes(invoice.commit.manifest)));
    expect(toBase64Url(hashes!.headerSha256!)).toBe(invoice.commit.manifest.header.sha256);
  });

  it('answers commits that cross each other, and a retry after the upload expired, with the one invoice', async () => {
    const invoice = await prepareInvoice(1000);
    await invoice.uploadAll();
    const results = await Promise.all([1, 2, 3].map(() => commitUpload(session, invoice.invoiceId, invoice.commit, NO_CONTEXT)));
    expect(results).toEqual([1, 2, 3].map(() => ({ invoiceId: invoice.invoiceId })));
    const rows = await database.handle.db.select({ id: invoices.id }).from(invoices).where(eq(invoices.id, invoice.invoiceId));
    expect(rows).toHaveLength(1);
    const audited = await database.handle.db.select({ seq: auditLog.seq }).from(auditLog).where(and(eq(auditLog.action, 'invoice.uploaded'), eq(auditLog.objectId, invoice.invoiceId)));
    expect(audited).toHaveLength(1);
    await database.handle.db.update(uploads).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(uploads.id, invoice.invoiceId));
    await expect(commitUpload(session, invoice.invoiceId, invoice.commit, NO_CONTEXT)).resolves.toEqual({ invoiceId: invoice.invoiceId });
  });

  it('accepts a retried part (idempotent) and refuses a part of the wrong size', async () => {
    const invoice = await prepareInvoice(100_000);
    await invoice.uploadAll();
    await invoice.uploadAll();
    expect(await code(putPart(session, invoice.invoiceId, invoice.fileId, 0, invoice.ciphertext.subarray(1)))).toBe('bad_request');
    expect(await code(putPart(session, invoice.invoiceId, invoice.fileId, 5, invoice.ciphertext))).toBe('bad_request');
    await commitUpload(session, invoice.invoiceId, invoice.commit, NO_CONTEXT);
  });

  it('streams a part in chunks of any size, and the commit checks it from the record hashes taken on the way or, without them, from the stored bytes', async () => {
    for (const dropHashes of [false, true]) {
      const invoice = await prepareInvoice(2 * PART_BYTES + 70_000);
      for (let i = 0; i * PART_BYTES < invoice.ciphertext.byteLength; i++) {
        const part = invoice.ciphertext.subarray(i * PART_BYTES, (i + 1) * PART_BYTES);
        async function* chunks() {
          // Chunk edges that never line up with the records.
          for (let offset = 0; offset < part.byteLength; offset += 40_009) yield part.slice(offset, offset + 40_009);
        }
        await putPart(session, invoice.invoiceId, invoice.fileId, i, chunks());
      }
      const where = eq(fileParts.uploadId, invoice.invoiceId);
      const rows = await database.handle.db.select({ size: fileParts.size, hashes: fileParts.recordHashes }).from(fileParts).where(where);
      expect(rows).toHaveLength(3);
      for (const row of rows) expect(row.hashes?.byteLength).toBe(Math.ceil(row.size / CIPHERTEXT_RECORD_BYTES) * 32);
      if (dropHashes) await database.handle.db.update(fileParts).set({ recordHashes: null }).where(where);
      await commitUpload(session, invoice.invoiceId, invoice.commit, NO_CONTEXT);
      expect(await visible(invoice.invoiceId)).toBe(true);
    }
  });

  it('stores nothing from a streamed part that ends short or runs long, and keeps the part stored before', async () => {
    const invoice = await prepareInvoice(PART_BYTES + 10);
    const first = invoice.ciphertext.subarray(0, PART_BYTES);
    await putPart(session, invoice.invoiceId, invoice.fileId, 0, first);
    const tampered = new Uint8Array(first);
    tampered[5]! ^= 1;
    async function* short() {
      yield tampered.subarray(0, 1000);
    }
    async function* long() {
      yield tampered;
      yield new Uint8Array(1);
    }
    expect(await code(putPart(session, invoice.invoiceId, invoice.fileId, 0, short()))).toBe('bad_request');
    expect(await code(putPart(session, invoice.invoiceId, invoice.fileId, 0, long()))).toBe('bad_request');
    const stored: Uint8Array[] = [];
    for await (const chunk of store.read({ uploadId: invoice.invoiceId, fileId: invoice.fileId, index: 0 }, PART_BYTES)) stored.push(chunk);
    expect(Buffer.concat(stored).equals(Buffer.from(first))).toBe(true);
    await putPart(session, invoice.invoiceId, invoice.fileId, 1, invoice.ciphertext.subarray(PART_BYTES));
    await commitUpload(session, invoice.invoiceId, invoice.commit, NO_CONTEXT);
  });

  it('refuses a commit while a part is missing, and nothing becomes visible', async () => {
    const invoice = await prepareInvoice(PART_BYTES + 10);
    await putPart(session, invoice.invoiceId, invoice.fileId, 0, invoice.ciphertext.subarray(0, PART_BYTES));
    expect(await code(commitUpload(session, invoice.invoiceId, invoice.commit, NO_CONTEXT))).toBe('bad_request');
    expect(await visible(invoice.invoiceId)).toBe(false);
  });

  it('refuses stored bytes that differ from the signed digest', async () => {
    const invoice = await prepareInvoice(50_000);
    const tampered = new Uint8Array(invoice.ciphertext);
    tampered[100]! ^= 1;
    await putPart(session, invoice.invoiceId, invoice.fileId, 0, tampered);
    expect(await code(commitUpload(session, invoice.invoiceId, invoice.commit, NO_CONTEXT))).toBe('bad_request');
    expect(await visible(invoice.invoiceId)).toBe(false);
  });

  it('refuses a manifest signed by a key other than the uploader’s', async () => {
    const invoice = await prepareInvoice(10, { signWith: await generateKeyPairs() });
    await invoice.uploadAll();
    expect(await code(commitUpload(session, invoice.invoiceId, invoice.commit, NO_CONTEXT))).toBe('bad_request');
  });

  it('refuses a manifest whose recipients are not both organizations’ current keys', async () => {
    const invoice = await prepareInvoice(10);
    await invoice.uploadAll();
    const manifest = { ...invoice.commit.manifest, recipients: [{ orgId: supplier.id, keyVersion: 1 }] };
    const commit = { ...invoice.commit, manifest, manifestSignature: await signManifest(signer.signingPrivateKey, manifest) };
    expect(await code(commitUpload(session, invoice.invoiceId, commit, NO_CONTEXT))).toBe('bad_request');
  });

  it('refuses an upload sealed to other key versions than the current ones (a rotation meanwhile) as a conflict: the sender seals again', async () => {
    const invoice = await prepareInvoice(10);
    await invoice.uploadAll();
    const manifest = { ...invoice.commit.manifest, recipients: invoice.commit.manifest.recipients.map((r) => ({ ...r, keyVersion: r.keyVersion + 1 })) };
    const commit = { ...invoice.commit, manifest, manifestSignature: await signManifest(signer.signingPrivateKey, manifest) };
    expect(await code(commitUpload(session, invoice.invoiceId, commit, NO_CONTEXT))).toBe('conflict');
  });

  it('refuses at commit an upload whose key grants were sealed to an organization’s previous epoch, customer side or supplier side, as org_keys_changed', async () => {
    for (const rotated of [customer, supplier]) {
      const invoice = await prepareInvoice(10);
      await invoice.uploadAll();
      // The org rotates (a member was removed) after the browser sealed the DEK to its epoch-1 key.
      const [row] = await database.handle.db.select({ version: organizations.currentKeyVersion }).from(organizations).where(eq(organizations.id, rotated.id));
      const next = row!.version + 1;
      const keys = await generateKeyPairs();
      await database.handle.db.insert(orgKeys).values({ orgId: rotated.id, version: next, encryptionPublicKey: keys.encryptionPublicKey, signingPublicKey: keys.signingPublicKey, wrappedPrivateKeys: new Uint8Array(48) });
      await database.handle.db.update(organizations).set({ currentKeyVersion: next }).where(eq(organizations.id, rotated.id));
      const refused = await commitUpload(session, invoice.invoiceId, invoice.commit, NO_CONTEXT).then(() => null, (e: unknown) => e);
      expect(refused).toBeInstanceOf(AppError);
      expect(refused).toMatchObject({ code: 'conflict', reason: 'org_keys_changed' });
      expect(await visible(invoice.invoiceId)).toBe(false);
      // Put back, so the other cases seal to epoch 1 again.
      await database.handle.db.update(organizations).set({ currentKeyVersion: row!.version }).where(eq(organizations.id, rotated.id));
      await database.handle.db.delete(orgKeys).where(and(eq(orgKeys.orgId, rotated.id), eq(orgKeys.version, next)));
    }
  });

  it('collects expired, uncommitted uploads with their parts, and keeps committed ones', async () => {
    const abandoned = await prepareInvoice(10);
    await abandoned.uploadAll();
    const committed = await prepareInvoice(10);
    await committed.uploadAll();
    await commitUpload(session, committed.invoiceId, committed.commit, NO_CONTEXT);
    const past = new Date(Date.now() - 1000);
    await database.handle.db.update(uploads).set({ expiresAt: past });
    expect(await collectAbandonedUploads()).toBeGreaterThanOrEqual(1);
    const remaining = await database.handle.db.select({ id: fileParts.uploadId }).from(fileParts).where(eq(fileParts.uploadId, abandoned.invoiceId));
    expect(remaining).toHaveLength(0);
    expect(await visible(committed.invoiceId)).toBe(true);
    const kept = await database.handle.db.select({ id: fileParts.uploadId }).from(fileParts).where(eq(fileParts.uploadId, committed.invoiceId));
    expect(kept.length).toBeGreaterThan(0);
    if (storeKind === 'filesystem') {
      expect(await store.listUploads()).not.toContain(abandoned.invoiceId);
      expect(await store.listUploads()).toContain(committed.invoiceId);
    }
  });

  it('deletes the parts of an upload its sender abandons', async () => {
    const invoice = await prepareInvoice(10);
    await invoice.uploadAll();
    await abandonUpload(session, invoice.invoiceId, NO_CONTEXT);
    expect(await database.handle.db.select({ id: fileParts.uploadId }).from(fileParts).where(eq(fileParts.uploadId, invoice.invoiceId))).toHaveLength(0);
    expect(await store.listUploads()).not.toContain(invoice.invoiceId);
  });

  it('counts a part only once its row is written: bytes alone (an interrupted request) do not complete an upload', async () => {
    const invoice = await prepareInvoice(PART_BYTES + 10);
    await putPart(session, invoice.invoiceId, invoice.fileId, 0, invoice.ciphertext.subarray(0, PART_BYTES));
    if (storeKind === 'filesystem') await store.put({ uploadId: invoice.invoiceId, fileId: invoice.fileId, index: 1 }, invoice.ciphertext.subarray(PART_BYTES));
    expect(await code(commitUpload(session, invoice.invoiceId, invoice.commit, NO_CONTEXT))).toBe('bad_request');
    expect(await visible(invoice.invoiceId)).toBe(false);
  });

  it('collects parts whose upload is gone, and keeps every other', async () => {
    const committed = await prepareInvoice(10);
    await committed.uploadAll();
    await commitUpload(session, committed.invoiceId, committed.commit, NO_CONTEXT);
    const orphan = randomUUID();
    if (storeKind === 'filesystem') await store.put({ uploadId: orphan, fileId: randomUUID(), index: 0 }, new Uint8Array(10));
    expect(await collectOrphanedBlobs()).toBe(storeKind === 'filesystem' ? 1 : 0);
    expect(await store.listUploads()).not.toContain(orphan);
    const { stream, size } = await openFileStream(session, committed.invoiceId, committed.fileId);
    const chunks: Uint8Array[] = [];
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from(committed.ciphertext));
    expect(size).toBe(committed.ciphertext.byteLength);
  });

  it('stores fast-path records in a batch only for invoices of the org, all or nothing, a new one replacing the org’s earlier one', async () => {
    const [a, b] = [await prepareInvoice(10), await prepareInvoice(10)];
    for (const invoice of [a, b]) {
      await invoice.uploadAll();
      await commitUpload(session, invoice.invoiceId, invoice.commit, NO_CONTEXT);
    }
    const fastKeys = async (invoiceId: string) =>
      database.handle.db.select({ sealedDek: invoiceKeys.sealedDek }).from(invoiceKeys).where(and(eq(invoiceKeys.invoiceId, invoiceId), eq(invoiceKeys.kind, 'fast')));
    const wrapped = (byte: string) => byte.repeat(60);
    const stranger = randomUUID();
    expect(await code(storeFastKeys(session, { orgId: supplier.id, keyVersion: 1, keys: [{ invoiceId: a.invoiceId, wrappedDek: wrapped('A') }, { invoiceId: stranger, wrappedDek: wrapped('A') }] }))).toBe('not_found');
    expect(await fastKeys(a.invoiceId)).toHaveLength(0);
    expect(await code(storeFastKeys(session, { orgId: customer.id, keyVersion: 1, keys: [{ invoiceId: a.invoiceId, wrappedDek: wrapped('A') }] }))).toBe('not_found');
    expect(await code(storeFastKeys(session, { orgId: supplier.id, keyVersion: 2, keys: [{ invoiceId: a.invoiceId, wrappedDek: wrapped('A') }] }))).toBe('conflict');
    await storeFastKeys(session, { orgId: supplier.id, keyVersion: 1, keys: [{ invoiceId: a.invoiceId, wrappedDek: wrapped('A') }, { invoiceId: b.invoiceId, wrappedDek: wrapped('B') }] });
    expect((await fastKeys(a.invoiceId)).map((k) => Buffer.from(k.sealedDek).toString('base64url'))).toEqual([wrapped('A')]);
    // Rewritten after a full verification (the old record no longer opened): one record, the new one.
    await storeFastKeys(session, { orgId: supplier.id, keyVersion: 1, keys: [{ invoiceId: a.invoiceId, wrappedDek: wrapped('C') }] });
    expect((await fastKeys(a.invoiceId)).map((k) => Buffer.from(k.sealedDek).toString('base64url'))).toEqual([wrapped('C')]);
    expect((await fastKeys(b.invoiceId)).map((k) => Buffer.from(k.sealedDek).toString('base64url'))).toEqual([wrapped('B')]);
  });

  it('pages a list by cursor: every invoice exactly once, in id order, and the same invoices as the whole list', async () => {
    for (let i = 0; i < 3; i++) {
      const invoice = await prepareInvoice(10);
      await invoice.uploadAll();
      await commitUpload(session, invoice.invoiceId, invoice.commit, NO_CONTEXT);
    }
    const whole = (await listInvoices(session, 'sent', supplier.id)).invoices.map((i) => i.id);
    expect(whole.length).toBeGreaterThanOrEqual(3);
    const paged: string[] = [];
    let after: string | undefined;
    for (let pages = 0; ; pages++) {
      const chunk = await listInvoices(session, 'sent', supplier.id, undefined, { after, limit: 2 });
      expect(chunk.invoices.length).toBeLessThanOrEqual(2);
      paged.push(...chunk.invoices.map((i) => i.id));
      for (const invoice of chunk.invoices) expect(chunk.orgs[invoice.supplierOrgId]?.orgId).toBe(supplier.id);
      if (!chunk.nextCursor) break;
      expect(chunk.nextCursor).toBe(chunk.invoices.at(-1)!.id);
      after = chunk.nextCursor;
      expect(pages).toBeLessThan(whole.length);
    }
    expect(paged).toEqual([...paged].sort());
    expect([...paged].sort()).toEqual([...whole].sort());
  });

  it('answers "not found" to everyone outside the two organizations, and serves members', async () => {
    const invoice = await prepareInvoice(1000);
    await invoice.uploadAll();
    await commitUpload(session, invoice.invoiceId, invoice.commit, NO_CONTEXT);
    const outsiderId = randomUUID();
    await database.handle.db.insert(users).values({ id: outsiderId, email: `${outsiderId}@example.test`, displayName: 'Outsider' });
    const outsider: CurrentSession = { ...session, sessionId: randomUUID(), userId: outsiderId };
    expect(await code(getInvoice(outsider, invoice.invoiceId))).toBe('not_found');
    expect(await code(listInvoices(outsider, 'inbox', customer.id))).toBe('not_found');
    expect(await code(listInvoices(outsider, 'sent', supplier.id))).toBe('not_found');
    expect(await code(listInvoices(outsider, 'sent', supplier.id, customer.id))).toBe('not_found');
    expect(await code(openFileStream(outsider, invoice.invoiceId, invoice.fileId))).toBe('not_found');
    expect(await code(storeFastKeys(outsider, { orgId: customer.id, keyVersion: 1, keys: [{ invoiceId: invoice.invoiceId, wrappedDek: 'A'.repeat(60) }] }))).toBe('not_found');
    expect(await code(putPart(outsider, invoice.invoiceId, invoice.fileId, 0, invoice.ciphertext))).toBe('not_found');

    expect((await listInvoices(session, 'sent', supplier.id, customer.id)).invoices.map((i) => i.id)).toContain(invoice.invoiceId);
    expect((await listInvoices(session, 'sent', supplier.id, randomUUID())).invoices).toHaveLength(0);
    const own = await getInvoice(session, invoice.invoiceId);
    expect(own.invoices[0]?.id).toBe(invoice.invoiceId);
    // The supplier sees only its own org's key copies, never another org's.
    expect(own.invoices[0]?.keys.every((k) => k.orgId === supplier.id)).toBe(true);
    const { stream, size } = await openFileStream(session, invoice.invoiceId, invoice.fileId);
    let received = 0;
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) received += chunk.byteLength;
    expect(received).toBe(size);
  });
});
