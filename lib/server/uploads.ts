import 'server-only';
import { createHash, randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, lt } from 'drizzle-orm';
import { computeKeyId, createCiphertextDigest, RECORD_SIZE, RECORD_TAG_SIZE, verifyManifest } from '@/lib/crypto/verify';
import { fileParts, invoiceFiles, invoiceKeys, invoices, organizations, uploads, users } from '@/lib/db/schema';
import type { z } from 'zod';
import type { commitUploadRequestSchema, createUploadRequestSchema } from '@/lib/shared/schemas/invoice';
import { applyEvent, checkSignedEvent } from './invoice-events';
import { CIPHERTEXT_RECORD_BYTES, partCountFor, partSizeFor } from '@/lib/shared/upload';
import { recordAudit } from './audit';
import { enqueueInvoiceReceived } from './notifications';
import { blobStore, putPartStream } from './blob-store';
import { db } from './db';
import { listHashes } from './list-hashes';
import { env } from './env';
import { AppError } from './errors';
import type { RequestContext } from './http';
import { log } from './log';
import { mayAddressProvisional } from './claims';
import { findOrgById, requireRole } from './orgs';
import { insertUploadWithinQuota } from './quotas';
import type { CurrentSession } from './sessions';

type CommitUploadRequest = z.infer<typeof commitUploadRequestSchema>;

const bytes = (b64: string): Uint8Array => new Uint8Array(Buffer.from(b64, 'base64url'));

/** Largest ciphertext a document of MAX_DOCUMENT_BYTES can become: padding adds < 12 %, plus tags. */
function maxCiphertextBytes(): number {
  const padded = Math.ceil(env().MAX_DOCUMENT_BYTES * 1.12) + 1;
  return padded + Math.ceil(padded / RECORD_SIZE) * (CIPHERTEXT_RECORD_BYTES - RECORD_SIZE);
}

/** Opens an upload; its id is the invoice id the browser binds into every ciphertext. */
export async function createUpload(session: CurrentSession, input: z.infer<typeof createUploadRequestSchema>): Promise<{ invoiceId: string; expiresAt: string }> {
  await requireRole(session, input.supplierOrgId, 'invoice.send');
  await refuseSuspendedOrg(input.supplierOrgId);
  if (input.supplierOrgId === input.customerOrgId) throw new AppError('bad_request', 'invoice_to_self');
  if (!(await findOrgById(input.customerOrgId)) || !(await mayAddressProvisional(input.supplierOrgId, input.customerOrgId))) throw new AppError('not_found', 'recipient_not_found');
  if (new Set(input.files.map((f) => f.fileId)).size !== input.files.length) throw new AppError('bad_request', 'document_ids_not_unique');
  const limit = maxCiphertextBytes();
  if (input.files.some((f) => f.ciphertextSize > limit)) {
    throw new AppError('bad_request', 'document_too_large', { params: { mib: Math.floor(env().MAX_DOCUMENT_BYTES / 1024 / 1024) } });
  }
  await collectAbandonedUploads();
  const invoiceId = randomUUID();
  const expiresAt = new Date(Date.now() + env().UPLOAD_TTL_SECONDS * 1000);
  await insertUploadWithinQuota({ id: invoiceId, supplierOrgId: input.supplierOrgId, customerOrgId: input.customerOrgId, createdBy: session.userId, files: input.files, expiresAt });
  return { invoiceId, expiresAt: expiresAt.toISOString() };
}

/** A platform admin can suspend an organization; while suspended it cannot send invoices. */
async function refuseSuspendedOrg(orgId: string): Promise<void> {
  const [org] = await db().select({ suspendedAt: organizations.suspendedAt }).from(organizations).where(eq(organizations.id, orgId));
  if (org?.suspendedAt) throw new AppError('forbidden', 'org_suspended');
}

async function openUpload(session: CurrentSession, invoiceId: string) {
  const [upload] = await db().select().from(uploads).where(and(eq(uploads.id, invoiceId), eq(uploads.createdBy, session.userId)));
  // A committed upload stays answerable after its expiry, so a late retry of the commit learns it was sent.
  if (!upload || (!upload.committedAt && upload.expiresAt.getTime() < Date.now())) throw new AppError('not_found', 'upload_not_found');
  return upload;
}

/**
 * Stores one part. Idempotent: sending the same part again replaces it, so a client can retry
 * after a dropped connection. The upload and the part's place in it are checked before a byte is
 * read; the body then streams to the blob store in one pass that also counts it (a part of the
 * wrong size is refused and nothing is stored) and hashes each ciphertext record, for the
 * commit's manifest check. The bytes are durable in the blob store before the row that counts the
 * part as stored is written, so an interrupted request leaves at most an orphaned blob, never a
 * row without its bytes.
 */
export async function putPart(session: CurrentSession, invoiceId: string, fileId: string, index: number, data: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
  const upload = await openUpload(session, invoiceId);
  if (upload.committedAt) throw new AppError('conflict', 'invoice_already_sent');
  const file = upload.files.find((f) => f.fileId === fileId);
  if (!file) throw new AppError('not_found', 'document_not_in_upload');
  if (!Number.isInteger(index) || index < 0 || index >= partCountFor(file.ciphertextSize)) throw new AppError('bad_request', 'part_out_of_range');
  const size = partSizeFor(file.ciphertextSize, index);
  const hasher = recordHasher(size, () => new AppError('bad_request', 'part_size', { params: { index, bytes: size } }));
  await putPartStream(blobStore(), { uploadId: invoiceId, fileId, index }, hasher.pass(data instanceof Uint8Array ? [data] : data));
  const recordHashes = hasher.hashes();
  await db()
    .insert(fileParts)
    .values({ uploadId: invoiceId, fileId, partIndex: index, size, recordHashes })
    .onConflictDoUpdate({ target: [fileParts.uploadId, fileParts.fileId, fileParts.partIndex], set: { size, recordHashes } });
}

/**
 * Passes a part's bytes through unchanged while checking that they are exactly `size` bytes and
 * hashing each CIPHERTEXT_RECORD_BYTES record (parts start on record boundaries) with SHA-256.
 */
export function recordHasher(size: number, wrongSize: () => Error): { pass(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Uint8Array>; hashes(): Uint8Array } {
  const hashes = new Uint8Array(Math.ceil(size / CIPHERTEXT_RECORD_BYTES) * 32);
  let done = false;
  return {
    async *pass(chunks) {
      let received = 0;
      let record = createHash('sha256');
      let recordIndex = 0;
      let inRecord = 0;
      for await (const chunk of chunks) {
        received += chunk.byteLength;
        if (received > size) throw wrongSize();
        for (let offset = 0; offset < chunk.byteLength; ) {
          const take = Math.min(CIPHERTEXT_RECORD_BYTES - inRecord, chunk.byteLength - offset);
          record.update(chunk.subarray(offset, offset + take));
          offset += take;
          inRecord += take;
          if (inRecord === CIPHERTEXT_RECORD_BYTES) {
            hashes.set(record.digest(), 32 * recordIndex++);
            record = createHash('sha256');
            inRecord = 0;
          }
        }
        yield chunk;
      }
      if (received !== size) throw wrongSize();
      if (inRecord > 0) hashes.set(record.digest(), 32 * recordIndex);
      done = true;
    },
    hashes() {
      if (!done) throw new Error('the part was not read to its end');
      return hashes;
    },
  };
}

/**
 * Streams a file's stored parts in chunks of `chunkBytes`, read from the blob store as they are
 * taken, so memory stays flat in the file size. Only parts with a row count (see putPart), in
 * order; a gap ends the file early, which the commit's size check and the reader's STREAM
 * decryption both refuse.
 */
export async function* readStoredFile(uploadId: string, fileId: string, chunkBytes: number): AsyncGenerator<Uint8Array> {
  const rows = await db().select({ index: fileParts.partIndex }).from(fileParts).where(and(eq(fileParts.uploadId, uploadId), eq(fileParts.fileId, fileId))).orderBy(asc(fileParts.partIndex));
  const store = blobStore();
  for (const [position, { index }] of rows.entries()) {
    if (index !== position) return;
    yield* store.read({ uploadId, fileId, index }, chunkBytes);
  }
}

/**
 * The manifest digest of what is stored: the hash list over the ciphertext records (DESIGN §4),
 * from the record hashes taken as each part streamed in; parts stored without them are read again.
 */
async function digestStoredFile(uploadId: string, fileId: string): Promise<{ digest: string; size: number; lastRecordBytes: number }> {
  const rows = await db()
    .select({ index: fileParts.partIndex, size: fileParts.size, recordHashes: fileParts.recordHashes })
    .from(fileParts)
    .where(and(eq(fileParts.uploadId, uploadId), eq(fileParts.fileId, fileId)))
    .orderBy(asc(fileParts.partIndex));
  // Only parts in order from the first count: a gap ends the file early, which the size check refuses.
  const contiguous: typeof rows = [];
  for (const [position, row] of rows.entries()) {
    if (row.index !== position) break;
    contiguous.push(row);
  }
  const size = contiguous.reduce((sum, row) => sum + row.size, 0);
  const lastRecordBytes = size % CIPHERTEXT_RECORD_BYTES || (size ? CIPHERTEXT_RECORD_BYTES : 0);
  if (contiguous.every((row) => row.recordHashes?.byteLength === Math.ceil(row.size / CIPHERTEXT_RECORD_BYTES) * 32)) {
    const list = createHash('sha256');
    for (const row of contiguous) list.update(row.recordHashes!);
    return { digest: list.digest('base64url'), size, lastRecordBytes };
  }
  const digest = createCiphertextDigest();
  let read = 0;
  // Parts hold whole records (only a file's last record is short), so record-sized chunks of each
  // part are exactly the records.
  for await (const record of readStoredFile(uploadId, fileId, CIPHERTEXT_RECORD_BYTES)) {
    await digest.update(record);
    read += record.byteLength;
  }
  return { digest: Buffer.from(await digest.digest()).toString('base64url'), size: read, lastRecordBytes };
}

/**
 * Makes the invoice visible, in one transaction, only after checking that the manifest is signed
 * by the uploading user's key, names this upload's parties and their current keys, and matches
 * the sealed header and every stored part byte for byte.
 */
export async function commitUpload(session: CurrentSession, invoiceId: string, input: z.infer<typeof commitUploadRequestSchema>, context: RequestContext): Promise<{ invoiceId: string }> {
  const upload = await openUpload(session, invoiceId);
  if (upload.committedAt) return { invoiceId };
  await requireRole(session, upload.supplierOrgId, 'invoice.send');
  // Suspended while the upload was open: nothing becomes visible.
  await refuseSuspendedOrg(upload.supplierOrgId);
  const { manifest } = input;
  const fail = (message: string): never => {
    throw new AppError('bad_request', 'invoice_rejected', { params: { detail: message } });
  };

  const [signer] = await db().select({ signingPublicKey: users.signingPublicKey }).from(users).where(eq(users.id, session.userId));
  if (!signer?.signingPublicKey) fail('the signer has no signing key.');
  const signingKey = signer!.signingPublicKey!;
  if (manifest.invoiceId !== invoiceId || manifest.supplierOrgId !== upload.supplierOrgId || manifest.customerOrgId !== upload.customerOrgId) fail('the manifest names other parties.');
  if (manifest.signerUserId !== session.userId || manifest.signerKeyId !== (await computeKeyId(signingKey))) fail('the manifest names another signer.');
  if (!(await verifyManifest(signingKey, manifest, input.manifestSignature))) fail('the manifest signature is not valid.');

  const sealedHeader = bytes(input.sealedHeader);
  if (manifest.header.size !== sealedHeader.byteLength || manifest.header.sha256 !== createHash('sha256').update(sealedHeader).digest('base64url')) fail('the header does not match the manifest.');

  const [supplier, customer] = await Promise.all([findOrgById(upload.supplierOrgId), findOrgById(upload.customerOrgId)]);
  const expected = [supplier, customer].map((o) => `${o?.orgId}:${o?.keyVersion}`).sort().join(',');
  // An upload sealed before either org rotated its keys (a member was removed meanwhile) is refused
  // as a conflict: the sender's browser must seal again to the new keys (DESIGN §3.3).
  if (manifest.recipients.map((r) => `${r.orgId}:${r.keyVersion}`).sort().join(',') !== expected) {
    const sameOrgs = manifest.recipients.map((r) => r.orgId).sort().join(',') === [supplier, customer].map((o) => o?.orgId).sort().join(',');
    if (sameOrgs) throw new AppError('conflict', 'org_keys_changed');
    fail('the recipients are not both organizations’ current keys.');
  }
  if (input.grants.map((g) => `${g.orgId}:${g.keyVersion}`).sort().join(',') !== expected) fail('a key grant is missing for a recipient.');
  if (input.fastKey && (input.fastKey.orgId !== upload.supplierOrgId || input.fastKey.keyVersion !== supplier?.keyVersion)) fail('the fast-path key belongs to another organization.');

  if (input.credits) await checkCreditedInvoice(session, upload, input.credits);

  const declared = new Map(upload.files.map((f) => [f.fileId, f.ciphertextSize]));
  if (manifest.files.length !== declared.size) fail('the documents differ from the upload.');
  for (const file of manifest.files) {
    if (declared.get(file.fileId) !== file.size || file.recordSize !== RECORD_SIZE) fail('a document’s size differs from the upload.');
    const stored = await digestStoredFile(invoiceId, file.fileId);
    if (stored.size !== file.size) fail('a document was not completely uploaded.');
    if (stored.lastRecordBytes <= RECORD_TAG_SIZE) fail('a document’s last record is too short to hold anything.');
    if (stored.digest !== file.sha256) fail('a document’s stored bytes differ from the signed manifest.');
  }

  await db().transaction(async (tx) => {
    // Checked again under a shared lock of both org rows, which a rotation holds exclusively while it
    // moves an org to its next epoch: a rotation that committed after the check above is seen here,
    // and one still running waits, so no invoice commits sealed to a removed member's last epoch.
    const current = await tx.select({ id: organizations.id, keyVersion: organizations.currentKeyVersion }).from(organizations).where(inArray(organizations.id, [upload.supplierOrgId, upload.customerOrgId])).for('share');
    if (current.map((o) => `${o.id}:${o.keyVersion}`).sort().join(',') !== expected) throw new AppError('conflict', 'org_keys_changed');
    const [claimed] = await tx.update(uploads).set({ committedAt: new Date() }).where(and(eq(uploads.id, invoiceId), isNull(uploads.committedAt))).returning({ id: uploads.id });
    if (!claimed) return;
    await tx.insert(invoices).values({
      id: invoiceId,
      supplierOrgId: upload.supplierOrgId,
      customerOrgId: upload.customerOrgId,
      signerUserId: session.userId,
      manifest,
      manifestSignature: input.manifestSignature,
      sealedHeader,
      ...listHashes(manifest, sealedHeader),
      creditsInvoiceId: input.credits?.invoiceId ?? null,
    });
    if (manifest.files.length) {
      await tx.insert(invoiceFiles).values(manifest.files.map((f) => ({ invoiceId, fileId: f.fileId, ciphertextSize: f.size, partCount: partCountFor(f.size) })));
    }
    await tx.insert(invoiceKeys).values([
      ...input.grants.map((g) => ({ invoiceId, orgId: g.orgId, keyVersion: g.keyVersion, kind: 'grant' as const, sealedDek: bytes(g.sealedDek) })),
      ...(input.fastKey ? [{ invoiceId, orgId: input.fastKey.orgId, keyVersion: input.fastKey.keyVersion, kind: 'fast' as const, sealedDek: bytes(input.fastKey.wrappedDek) }] : []),
    ]);
    await enqueueInvoiceReceived(tx, { id: invoiceId, supplierOrgId: upload.supplierOrgId, customerOrgId: upload.customerOrgId });
    await recordAudit({ action: 'invoice.uploaded', outcome: 'success', actorUserId: session.userId, credentialId: session.credentialId, objectType: 'invoice', objectId: invoiceId }, context, tx);
    // A credit note and the `credited` event of the invoice it credits commit together, or neither.
    if (input.credits) await applyEvent(tx, input.credits.invoiceId, input.credits.event, session, context);
  });
  return { invoiceId };
}

/** A credit note may credit only an invoice between the same supplier and customer, with its signed event. */
async function checkCreditedInvoice(session: CurrentSession, upload: { supplierOrgId: string; customerOrgId: string }, credits: NonNullable<CommitUploadRequest['credits']>): Promise<void> {
  const [original] = await db().select({ id: invoices.id, supplierOrgId: invoices.supplierOrgId, customerOrgId: invoices.customerOrgId }).from(invoices).where(eq(invoices.id, credits.invoiceId));
  if (!original || original.supplierOrgId !== upload.supplierOrgId) throw new AppError('not_found', 'credit_original_not_found');
  if (original.customerOrgId !== upload.customerOrgId) throw new AppError('bad_request', 'credit_wrong_customer');
  await checkSignedEvent(session, original, credits.event, { creditNote: true });
}

/** Deletes uploads that were never committed and have expired, with their parts. */
export async function collectAbandonedUploads(now = new Date()): Promise<number> {
  const removed = await db().delete(uploads).where(and(isNull(uploads.committedAt), lt(uploads.expiresAt, now))).returning({ id: uploads.id });
  for (const { id } of removed) await blobStore().deleteUpload(id);
  if (removed.length) log('info', 'uploads.collected', { count: removed.length });
  return removed.length;
}

/**
 * Deletes stored parts whose upload row is gone: left by a crash between deleting an upload and
 * its blobs, or by a part written while its upload was being collected. Run at start-up, since it
 * lists every upload in the store.
 */
export async function collectOrphanedBlobs(): Promise<number> {
  const store = blobStore();
  const stored = await store.listUploads();
  let collected = 0;
  for (let start = 0; start < stored.length; start += 500) {
    const batch = stored.slice(start, start + 500);
    const known = new Set((await db().select({ id: uploads.id }).from(uploads).where(inArray(uploads.id, batch))).map((r) => r.id));
    for (const id of batch.filter((id) => !known.has(id))) {
      await store.deleteUpload(id);
      collected++;
    }
  }
  if (collected) log('info', 'blobs.collected', { count: collected });
  return collected;
}

export async function uploadedParts(session: CurrentSession, invoiceId: string): Promise<{ fileId: string; parts: number[] }[]> {
  const upload = await openUpload(session, invoiceId);
  const rows = await db().select({ fileId: fileParts.fileId, index: fileParts.partIndex }).from(fileParts).where(eq(fileParts.uploadId, invoiceId)).orderBy(asc(fileParts.partIndex));
  return upload.files.map((f) => ({ fileId: f.fileId, parts: rows.filter((r) => r.fileId === f.fileId).map((r) => r.index) }));
}

export async function abandonUpload(session: CurrentSession, invoiceId: string, context: RequestContext): Promise<void> {
  await db().transaction(async (tx) => {
    const [removed] = await tx
      .delete(uploads)
      .where(and(eq(uploads.id, invoiceId), eq(uploads.createdBy, session.userId), isNull(uploads.committedAt)))
      .returning({ id: uploads.id });
    if (!removed) throw new AppError('not_found', 'upload_unfinished_not_found');
    await recordAudit({ action: 'invoice.upload_cancelled', outcome: 'success', actorUserId: session.userId, objectType: 'upload', objectId: invoiceId }, context, tx);
  });
  await blobStore().deleteUpload(invoiceId);
}
