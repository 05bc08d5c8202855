import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { signMembershipCertificate, type MembershipCertificate } from '@/lib/crypto/certificate';
import { computeKeyId, signManifest, type InvoiceManifest } from '@/lib/crypto/envelope';
import { toBase64Url } from '@/lib/crypto/encoding';
import { generateKeyPairs, type GeneratedKeyPairs } from '@/lib/crypto/keys';
import type { OrgPublicKeys } from '@/lib/shared/invoice-dto';
import { decodeListChunk, encodeListChunk } from '@/lib/shared/list-chunk';
import { CIPHERTEXT_RECORD_BYTES } from '@/lib/shared/upload';
import { partFile } from './blobs';
import type { TestDatabase } from './db';

/**
 * What a malicious server (DESIGN §2) can do: it holds the database and the blob store, so most
 * of these edit them directly, between the supplier's sending and the customer's opening; what the database cannot
 * express (an answer that contradicts itself) is rewritten on its way to the browser. None returns
 * anything the test could use to fake a warning; the browser has to notice on its own.
 */

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Puts each invoice's sealed header and signed manifest on the other one. */
export async function swapSealedInvoices(db: TestDatabase, a: string, b: string): Promise<void> {
  await db.query(
    `update invoices i set sealed_header = o.sealed_header, manifest = o.manifest, manifest_signature = o.manifest_signature
       from invoices o where (i.id, o.id) in (($1::uuid, $2::uuid), ($2::uuid, $1::uuid))`,
    [a, b],
  );
}

/** The one document of an invoice (the tests send one where it matters). */
export async function onlyDocument(db: TestDatabase, invoiceId: string): Promise<{ fileId: string; size: number; parts: number }> {
  const rows = await db.query<{ file_id: string; ciphertext_size: string | number; part_count: number }>('select file_id, ciphertext_size, part_count from invoice_files where invoice_id = $1', [invoiceId]);
  if (rows.length !== 1) throw new Error(`invoice ${invoiceId} has ${rows.length} documents, expected 1`);
  return { fileId: rows[0]!.file_id, size: Number(rows[0]!.ciphertext_size), parts: rows[0]!.part_count };
}

/** Swaps the stored ciphertext of two invoices' documents (of equal length), part by part. */
export async function swapDocumentCiphertext(db: TestDatabase, a: string, b: string): Promise<void> {
  const [docA, docB] = [await onlyDocument(db, a), await onlyDocument(db, b)];
  if (docA.size !== docB.size) throw new Error('swap documents of equal ciphertext length');
  for (let index = 0; index < docA.parts; index++) {
    const [fileA, fileB] = [partFile(db.target, a, docA.fileId, index), partFile(db.target, b, docB.fileId, index)];
    renameSync(fileA, `${fileA}.swap`);
    renameSync(fileB, fileA);
    renameSync(`${fileA}.swap`, fileB);
  }
}

/** Flips the lowest bit of one stored byte of a document (in its first part). */
export async function flipDocumentByte(db: TestDatabase, invoiceId: string, offset: number): Promise<void> {
  const { fileId } = await onlyDocument(db, invoiceId);
  const file = partFile(db.target, invoiceId, fileId, 0);
  const data = readFileSync(file);
  if (offset >= data.byteLength) throw new Error('no part was changed');
  data[offset]! ^= 1;
  writeFileSync(file, data);
}

export async function flipHeaderByte(db: TestDatabase, invoiceId: string, offset: number): Promise<void> {
  const rows = await db.query('update invoices set sealed_header = set_byte(sealed_header, $2, get_byte(sealed_header, $2) # 1) where id = $1 returning id', [invoiceId, offset]);
  if (rows.length !== 1) throw new Error('no invoice was changed');
}

/**
 * Drops a document's last STREAM record, as a server would that serves a consistent but shorter
 * file: the stored bytes and the length it announces (Content-Length) both shrink. Returns the
 * number of bytes dropped.
 */
export async function dropLastRecord(db: TestDatabase, invoiceId: string): Promise<number> {
  const { fileId, size, parts } = await onlyDocument(db, invoiceId);
  const records = Math.ceil(size / CIPHERTEXT_RECORD_BYTES);
  if (records < 2) throw new Error('the document needs at least two records');
  const last = size - (records - 1) * CIPHERTEXT_RECORD_BYTES;
  const [part] = await db.query<{ size: number }>('select size from file_parts where upload_id = $1 and file_id = $2 and part_index = $3', [invoiceId, fileId, parts - 1]);
  if (!part || part.size <= last) throw new Error('the last record should share its part with another record');
  truncateSync(partFile(db.target, invoiceId, fileId, parts - 1), part.size - last);
  await db.query('update file_parts set size = $4::int where upload_id = $1 and file_id = $2 and part_index = $3', [invoiceId, fileId, parts - 1, part.size - last]);
  await db.query('update invoice_files set ciphertext_size = $3 where invoice_id = $1 and file_id = $2', [invoiceId, fileId, size - last]);
  return last;
}

/**
 * Changes one value of the stored, signed manifest (a JSON path such as {createdAt} or {files,0,size}).
 * The value goes in as text: postgres.js would JSON-encode a string bound to a jsonb parameter a
 * second time, storing "5" for 5, which is a malformed manifest rather than an edited one.
 */
export async function editManifest(db: TestDatabase, invoiceId: string, path: string, value: unknown): Promise<void> {
  const rows = await db.query('update invoices set manifest = jsonb_set(manifest, $2::text[], $3::text::jsonb) where id = $1 returning id', [invoiceId, path, JSON.stringify(value)]);
  if (rows.length !== 1) throw new Error('no invoice was changed');
}

export async function readManifest(db: TestDatabase, invoiceId: string): Promise<InvoiceManifest> {
  const [row] = await db.query<{ manifest: InvoiceManifest | string }>('select manifest from invoices where id = $1', [invoiceId]);
  if (!row) throw new Error(`no invoice ${invoiceId}`);
  return typeof row.manifest === 'string' ? (JSON.parse(row.manifest) as InvoiceManifest) : row.manifest;
}

/** The server's own key pairs for an organization it impersonates, and for a member it invents. */
export interface ForgedKeys {
  org: GeneratedKeyPairs;
  user: GeneratedKeyPairs;
}

export async function forgeKeys(): Promise<ForgedKeys> {
  return { org: await generateKeyPairs(), user: await generateKeyPairs() };
}

/**
 * Replaces the signer's membership certificate with one for the server's own user key, signed by
 * the server's own org key, and re-signs an invoice's manifest with that user key: a forgery that
 * is consistent in itself and fails only against the supplier key the customer pinned.
 */
export async function forgeSignerAndManifest(db: TestDatabase, invoiceId: string, keys: ForgedKeys): Promise<{ restoreCertificate(): Promise<void> }> {
  const manifest = await readManifest(db, invoiceId);
  const [membership] = await db.query<{ certificate: MembershipCertificate | string; certificate_signature: string }>(
    'select certificate, certificate_signature from memberships where org_id = $1 and user_id = $2',
    [manifest.supplierOrgId, manifest.signerUserId],
  );
  if (!membership) throw new Error('the signer has no membership');
  const original = typeof membership.certificate === 'string' ? (JSON.parse(membership.certificate) as MembershipCertificate) : membership.certificate;
  const certificate: MembershipCertificate = { ...original, userSigningKey: toBase64Url(keys.user.signingPublicKey), issuedAt: new Date().toISOString() };
  await db.query('update memberships set certificate = $3::jsonb, certificate_signature = $4 where org_id = $1 and user_id = $2', [
    manifest.supplierOrgId,
    manifest.signerUserId,
    JSON.stringify(certificate),
    await signMembershipCertificate(keys.org.signingPrivateKey, certificate),
  ]);
  const forged: InvoiceManifest = { ...manifest, signerKeyId: await computeKeyId(keys.user.signingPublicKey) };
  await db.query('update invoices set manifest = $2::jsonb, manifest_signature = $3 where id = $1', [invoiceId, JSON.stringify(forged), await signManifest(keys.user.signingPrivateKey, forged)]);
  // The certificate belongs to the member, not to the invoice: other invoices need the real one back.
  const restoreCertificate = async () => {
    await db.query('update memberships set certificate = $3::jsonb, certificate_signature = $4 where org_id = $1 and user_id = $2', [
      manifest.supplierOrgId,
      manifest.signerUserId,
      JSON.stringify(original),
      membership.certificate_signature,
    ]);
  };
  return { restoreCertificate };
}

/**
 * Moves an organization's handle to a new organization the server made, with the same name and the
 * server's own keys; the real one gets another handle. A look-up of the handle then names the
 * impostor. Returns the impostor's id.
 */
export async function impersonateHandle(db: TestDatabase, orgId: string, keys: GeneratedKeyPairs): Promise<string> {
  const impostor = randomUUID();
  const [org] = await db.query<{ name: string; handle: string }>('select name, handle from organizations where id = $1', [orgId]);
  if (!org) throw new Error(`no org ${orgId}`);
  await db.query("update organizations set handle = handle || '-moved' where id = $1", [orgId]);
  await db.query('insert into organizations (id, name, handle) values ($1, $2, $3)', [impostor, org.name, org.handle]);
  await db.query("insert into org_keys (org_id, version, encryption_public_key, signing_public_key, wrapped_private_keys) values ($1, 1, decode($2, 'hex'), decode($3, 'hex'), decode('00', 'hex'))", [
    impostor,
    hex(keys.encryptionPublicKey),
    hex(keys.signingPublicKey),
  ]);
  return impostor;
}

/**
 * Answers the customer's invoice requests (list and single) as a server would that claims the
 * supplier's keys belong to some other organization id, one the customer has pinned nothing for.
 */
export async function serveSupplierUnderOtherId(page: Page, supplierOrgId: string, keys: GeneratedKeyPairs): Promise<void> {
  await rewriteServedOrgs(page, (orgs) => {
    const real = orgs[supplierOrgId] as OrgPublicKeys | undefined;
    if (real) orgs[supplierOrgId] = { ...real, orgId: randomUUID(), signingPublicKey: toBase64Url(keys.signingPublicKey), encryptionPublicKey: toBase64Url(keys.encryptionPublicKey) };
  });
}

/** Serves invoice lists and invoices without the supplier organization's public keys (withholding them). */
export async function withholdOrgKeys(page: Page, orgId: string): Promise<void> {
  await rewriteServedOrgs(page, (orgs) => {
    delete orgs[orgId];
  });
}

/**
 * Edits the organizations' public keys served with invoice lists and invoices: in the JSON of the
 * full list and of an invoice, and in the meta of a compact list's binary chunk (lib/shared/list-chunk.ts).
 */
async function rewriteServedOrgs(page: Page, edit: (orgs: Record<string, unknown>) => void): Promise<void> {
  await page.route(/\/api\/invoices(\/[0-9a-f-]{36})?(\?.*)?$/, async (route) => {
    const response = await route.fetch();
    if (response.ok() && response.headers()['content-type'] === 'application/octet-stream') {
      const chunk = decodeListChunk(await response.body());
      if (!chunk) throw new Error('the server sent a compact chunk the test cannot read');
      edit(chunk.orgs);
      const { parties, statuses, orgs, nextCursor, ...columns } = chunk;
      const body = Buffer.from(encodeListChunk({ parties, statuses, orgs, nextCursor }, columns));
      await route.fulfill({ response, body, headers: { ...response.headers(), 'content-length': String(body.length) } });
      return;
    }
    const body = (await response.json()) as { orgs?: Record<string, unknown> };
    if (body.orgs) edit(body.orgs);
    await route.fulfill({ response, json: body });
  });
}

/** Publishes other public keys for an organization's current key version, as the server would. */
export async function replaceOrgPublicKeys(db: TestDatabase, orgId: string, keys: GeneratedKeyPairs): Promise<void> {
  const rows = await db.query(
    `update org_keys set signing_public_key = decode($2, 'hex'), encryption_public_key = decode($3, 'hex')
      where org_id = $1 and version = (select current_key_version from organizations where id = $1) returning org_id`,
    [orgId, hex(keys.signingPublicKey), hex(keys.encryptionPublicKey)],
  );
  if (rows.length !== 1) throw new Error(`no keys were replaced for org ${orgId}`);
}

/** A user's sealed keyring as the server stores it, to be served again later (a replay). */
export interface KeyringSnapshot {
  userId: string;
  sealed: string | null;
  version: number;
}

export async function snapshotKeyring(db: TestDatabase, email: string): Promise<KeyringSnapshot> {
  const [row] = await db.query<{ id: string; encrypted_keyring: Uint8Array | null; keyring_version: number }>('select id, encrypted_keyring, keyring_version from users where email = $1', [email]);
  if (!row) throw new Error(`no user ${email}`);
  return { userId: row.id, sealed: row.encrypted_keyring ? hex(row.encrypted_keyring) : null, version: row.keyring_version };
}

/** Serves an older keyring again: its bytes and the version number it was stored under. */
export async function replayKeyring(db: TestDatabase, snapshot: KeyringSnapshot): Promise<void> {
  const rows = await db.query("update users set encrypted_keyring = decode($2, 'hex'), keyring_version = $3 where id = $1 returning id", [snapshot.userId, snapshot.sealed, snapshot.version]);
  if (rows.length !== 1) throw new Error('no keyring was replaced');
}

/** Answers as if the user never had a keyring. */
export async function emptyKeyring(db: TestDatabase, userId: string): Promise<void> {
  const rows = await db.query('update users set encrypted_keyring = null, keyring_version = 0 where id = $1 returning id', [userId]);
  if (rows.length !== 1) throw new Error('no keyring was emptied');
}

/** Deletes the last `count` events of an invoice's history and sets the status the rest leads to, as a consistent server would. */
export async function dropLastEvents(db: TestDatabase, invoiceId: string, count: number): Promise<void> {
  const rows = await db.query<{ id: string; status_after: string }>('select id, status_after from invoice_events where invoice_id = $1 order by seq desc', [invoiceId]);
  if (rows.length < count) throw new Error(`invoice ${invoiceId} has only ${rows.length} events`);
  await db.query('delete from invoice_events where id = any($1::uuid[])', [rows.slice(0, count).map((r) => r.id)]);
  await db.query('update invoices set status = $2 where id = $1', [invoiceId, rows[count]?.status_after ?? 'issued']);
}

/** Reports another status for an invoice than its signed history leads to. */
export async function setInvoiceStatus(db: TestDatabase, invoiceId: string, status: string): Promise<void> {
  const rows = await db.query('update invoices set status = $2 where id = $1 returning id', [invoiceId, status]);
  if (rows.length !== 1) throw new Error('no invoice was changed');
}
