import 'server-only';
import { and, asc, desc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { InvoiceManifest } from '@/lib/crypto/verify';
import { invoiceFiles, invoiceKeys, invoices, memberships } from '@/lib/db/schema';
import type { InvoiceListDto } from '@/lib/shared/invoice-dto';
import { encodeListChunk, LIST_CHUNK_RECORD_BYTES, uuidText } from '@/lib/shared/list-chunk';
import type { InvoiceActivityDto } from '@/lib/shared/schemas/responses';
import type { Manifest } from '@/lib/shared/schemas/invoice';
import { db } from './db';
import { AppError } from './errors';
import { listHashes } from './list-hashes';
import { findOrgById, requireRole } from './orgs';
import type { CurrentSession } from './sessions';
import { signerCertificates } from './signers';
import { readStoredFile } from './uploads';

/** Download chunks: large enough for few reads, small enough that a slow reader holds little. */
const DOWNLOAD_CHUNK_BYTES = 256 * 1024;

const b64 = (data: Uint8Array): string => Buffer.from(data).toString('base64url');

// Map.groupBy arrives in Node 21; the project supports Node 20.
function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

const invoiceColumns = {
  id: invoices.id,
  supplierOrgId: invoices.supplierOrgId,
  customerOrgId: invoices.customerOrgId,
  signerUserId: invoices.signerUserId,
  status: invoices.status,
  createdAt: invoices.createdAt,
  updatedAt: invoices.updatedAt,
  manifest: invoices.manifest,
  manifestSignature: invoices.manifestSignature,
  sealedHeader: invoices.sealedHeader,
};

type InvoiceRow = Pick<typeof invoices.$inferSelect, keyof typeof invoiceColumns>;

/** The invoices sent to an unclaimed provisional org, for a guest who proved its claim secret (lib/server/claims.ts). */
export async function listInvoicesToOrg(orgId: string): Promise<InvoiceListDto> {
  const rows = await db().select(invoiceColumns).from(invoices).where(eq(invoices.customerOrgId, orgId)).orderBy(desc(invoices.createdAt));
  return assemble(rows, orgId);
}

async function assemble(rows: InvoiceRow[], orgId: string): Promise<InvoiceListDto> {
  const ids = rows.map((r) => r.id);
  const [keys, files] = ids.length
    ? await Promise.all([
        db().select().from(invoiceKeys).where(and(inArray(invoiceKeys.invoiceId, ids), eq(invoiceKeys.orgId, orgId))),
        db().select().from(invoiceFiles).where(inArray(invoiceFiles.invoiceId, ids)),
      ])
    : [[], []];
  const orgIds = [...new Set(rows.flatMap((r) => [r.supplierOrgId, r.customerOrgId]))];
  const orgs: InvoiceListDto['orgs'] = {};
  for (const id of orgIds) {
    const org = await findOrgById(id);
    if (org) orgs[id] = org;
  }
  const signers = await signerCertificates(rows.map((r) => `${r.signerUserId}|${r.supplierOrgId}`));
  const keysByInvoice = groupBy(keys, (k) => k.invoiceId);
  const filesByInvoice = groupBy(files, (f) => f.invoiceId);
  return {
    orgs,
    signers,
    invoices: rows.map((r) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      manifest: r.manifest as Manifest,
      sealedHeader: b64(r.sealedHeader),
      keys: (keysByInvoice.get(r.id) ?? []).map((k) => ({ kind: k.kind, orgId: k.orgId, keyVersion: k.keyVersion, sealedDek: b64(k.sealedDek) })),
      files: (filesByInvoice.get(r.id) ?? []).map((f) => ({ fileId: f.fileId, ciphertextSize: f.ciphertextSize })),
    })),
  };
}

/**
 * The org's inbox or sent list. With `page`, one cursor-paged chunk in invoice-id order (stable
 * under inserts, so a client can open each chunk while it fetches the next) and the cursor of the
 * next chunk, or null at the end; without, the whole list newest first.
 */
export async function listInvoices(
  session: CurrentSession,
  box: 'inbox' | 'sent',
  orgId: string,
  counterpartyOrgId?: string,
  page?: { after?: string; limit: number },
): Promise<InvoiceListDto & { nextCursor?: string | null }> {
  await requireRole(session, orgId, 'invoice.read');
  const own = eq(box === 'inbox' ? invoices.customerOrgId : invoices.supplierOrgId, orgId);
  const filters = [own];
  if (counterpartyOrgId) filters.push(eq(box === 'inbox' ? invoices.supplierOrgId : invoices.customerOrgId, counterpartyOrgId));
  if (!page) {
    const rows = await db().select(invoiceColumns).from(invoices).where(and(...filters)).orderBy(desc(invoices.createdAt));
    return assemble(rows, orgId);
  }
  if (page.after) filters.push(gt(invoices.id, page.after));
  const rows = await db().select(invoiceColumns).from(invoices).where(and(...filters)).orderBy(asc(invoices.id)).limit(page.limit + 1);
  const more = rows.length > page.limit;
  const chunk = more ? rows.slice(0, page.limit) : rows;
  return { ...(await assemble(chunk, orgId)), nextCursor: more ? chunk.at(-1)!.id : null };
}

function ownFilter(box: 'inbox' | 'sent', orgId: string) {
  return eq(box === 'inbox' ? invoices.customerOrgId : invoices.supplierOrgId, orgId);
}

/** The org's own invoices of a box by id (the ones a compact list could not show from its index); ids not in the box are left out. */
export async function listInvoicesByIds(session: CurrentSession, box: 'inbox' | 'sent', orgId: string, ids: string[]): Promise<InvoiceListDto> {
  await requireRole(session, orgId, 'invoice.read');
  const rows = await db().select(invoiceColumns).from(invoices).where(and(ownFilter(box, orgId), inArray(invoices.id, ids))).orderBy(asc(invoices.id));
  return assemble(rows, orgId);
}

/**
 * One cursor-paged chunk of the compact list (DESIGN §6), encoded as lib/shared/list-chunk.ts
 * describes: per invoice its metadata and the SHA-256 of its canonical manifest and of its sealed
 * header — what an org's list-index record is bound to — and no manifest, sealed header or keys.
 * PostgreSQL writes the records' bytes (ids, times as whole milliseconds as a Date holds them, so a
 * row equals the full list's, and the hashes) as one value, so Node parses one row, not one per
 * invoice. Hashes of invoices committed before they were stored at commit are computed here once
 * and kept.
 */
export async function listInvoicesCompact(
  session: CurrentSession,
  box: 'inbox' | 'sent',
  orgId: string,
  page: { after?: string; until?: string; limit: number },
): Promise<Uint8Array<ArrayBuffer>> {
  await requireRole(session, orgId, 'invoice.read');
  const filters = [ownFilter(box, orgId)];
  if (page.after) filters.push(gt(invoices.id, page.after));
  // One range of a split list (listCompactBounds): ids up to and including `until`.
  if (page.until) filters.push(lte(invoices.id, page.until));
  const read = async () => {
    const result = await db().execute(sql`
      select count(*)::int as n,
             coalesce(string_agg(uuid_send(c.id) || float8send(floor(extract(epoch from c.created_at) * 1000)::float8)
                                 || float8send(floor(extract(epoch from c.updated_at) * 1000)::float8) || c.manifest_sha256 || c.header_sha256, ''::bytea order by c.id), ''::bytea) as records,
             coalesce(string_agg(c.supplier_org_id::text || ',' || c.customer_org_id::text || ',' || c.status, ',' order by c.id), '') as entries,
             coalesce(string_agg(c.id::text, ',') filter (where c.manifest_sha256 is null or c.header_sha256 is null), '') as missing
        from (select ${invoices.id} as id, ${invoices.supplierOrgId} as supplier_org_id, ${invoices.customerOrgId} as customer_org_id, ${invoices.status} as status,
                     ${invoices.createdAt} as created_at, ${invoices.updatedAt} as updated_at, ${invoices.manifestSha256} as manifest_sha256, ${invoices.headerSha256} as header_sha256
                from ${invoices} where ${and(...filters)} order by ${invoices.id} limit ${page.limit + 1}) c`);
    // postgres.js answers an array of rows, PGlite an object with `rows`.
    const [row] = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: number; records: Uint8Array; entries: string; missing: string }[];
    return row!;
  };
  let row = await read();
  // Invoices committed before their hashes were kept at commit: computed and kept once, then read again.
  if (row.missing) {
    await storeListHashes(row.missing.split(','));
    row = await read();
  }
  const more = row.n > page.limit;
  const n = Math.min(row.n, page.limit);
  // Not one record an invoice: a hash not kept after all (the invoice changed meanwhile) or not a SHA-256.
  if (row.records.length !== row.n * LIST_CHUNK_RECORD_BYTES) throw new Error('compact list: a list hash is missing or not a SHA-256');
  const records = row.records.subarray(0, n * LIST_CHUNK_RECORD_BYTES);
  const entries = row.n ? row.entries.split(',') : [];
  const partyIndex = new Map<string, number>();
  const party = (id: string): number => {
    let i = partyIndex.get(id);
    if (i === undefined) partyIndex.set(id, (i = partyIndex.size));
    return i;
  };
  const statusIndex = new Map<string, number>();
  const supplier = new Uint16Array(n);
  const customer = new Uint16Array(n);
  const status = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    supplier[i] = party(entries[3 * i]!);
    customer[i] = party(entries[3 * i + 1]!);
    const name = entries[3 * i + 2]!;
    let s = statusIndex.get(name);
    if (s === undefined) statusIndex.set(name, (s = statusIndex.size));
    status[i] = s;
  }
  const parties = [...partyIndex.keys()];
  const orgs: Record<string, unknown> = {};
  for (const id of parties) {
    const org = await findOrgById(id);
    if (org) orgs[id] = org;
  }
  const nextCursor = more ? uuidText(records, (n - 1) * LIST_CHUNK_RECORD_BYTES) : null;
  return encodeListChunk({ parties, statuses: [...statusIndex.keys()], orgs, nextCursor }, { records, supplier, customer, status });
}

/**
 * Where the org's compact list splits into chunks of `limit`: the id after which each chunk but the
 * first starts (the `after` of a paged request), in order. A client fetches the ranges between them
 * at once instead of one chunk after another; one index-only scan of the box's ids.
 */
export async function listCompactBounds(session: CurrentSession, box: 'inbox' | 'sent', orgId: string, limit: number): Promise<{ bounds: string[] }> {
  await requireRole(session, orgId, 'invoice.read');
  const numbered = db()
    .select({ id: invoices.id, n: sql<number>`row_number() over (order by ${invoices.id})`.as('n'), total: sql<number>`count(*) over ()`.as('total') })
    .from(invoices)
    .where(ownFilter(box, orgId))
    .as('numbered');
  // The last chunk's end is not a bound: a chunk starting after it would be empty.
  const list = await db().select({ id: numbered.id }).from(numbered).where(sql`${numbered.n} % ${limit} = 0 and ${numbered.n} < ${numbered.total}`).orderBy(asc(numbered.id));
  return { bounds: list.map((r) => r.id) };
}

/** Computes and keeps the list hashes of invoices stored before they were kept at commit (JCS is not SQL). */
async function storeListHashes(ids: string[]): Promise<Map<string, { manifestSha256: Uint8Array; headerSha256: Uint8Array }>> {
  const rows = await db().select({ id: invoices.id, manifest: invoices.manifest, sealedHeader: invoices.sealedHeader }).from(invoices).where(inArray(invoices.id, ids));
  const hashes = new Map(rows.map((r) => [r.id, listHashes(r.manifest as InvoiceManifest, r.sealedHeader)]));
  const entries = [...hashes];
  await db().execute(sql`
    update ${invoices} set manifest_sha256 = decode(u.m, 'hex'), header_sha256 = decode(u.h, 'hex')
    from unnest(string_to_array(${entries.map(([id]) => id).join(',')}, ','), string_to_array(${entries.map(([, h]) => Buffer.from(h.manifestSha256).toString('hex')).join(',')}, ','), string_to_array(${entries.map(([, h]) => Buffer.from(h.headerSha256).toString('hex')).join(',')}, ',')) as u(id, m, h)
    where ${invoices.id} = u.id::uuid and (${isNull(invoices.manifestSha256)} or ${isNull(invoices.headerSha256)})`);
  return hashes;
}

/** Counts and last change of the org's two lists (see invoiceActivitySchema); two index-only aggregates. */
export async function invoiceActivity(session: CurrentSession, orgId: string): Promise<InvoiceActivityDto> {
  await requireRole(session, orgId, 'invoice.read');
  const aggregate = (column: typeof invoices.customerOrgId | typeof invoices.supplierOrgId) =>
    db()
      .select({
        total: sql<number>`count(*)::int`,
        unopened: sql<number>`(count(*) filter (where ${invoices.status} = 'issued'))::int`,
        changedAt: sql<Date | string | null>`max(${invoices.updatedAt})`,
      })
      .from(invoices)
      .where(eq(column, orgId));
  const [[inbox], [sent]] = await Promise.all([aggregate(invoices.customerOrgId), aggregate(invoices.supplierOrgId)]);
  const iso = (at: Date | string | null | undefined) => (at ? new Date(at).toISOString() : null);
  return {
    inbox: { total: Number(inbox?.total ?? 0), unopened: Number(inbox?.unopened ?? 0), changedAt: iso(inbox?.changedAt) },
    sent: { total: Number(sent?.total ?? 0), changedAt: iso(sent?.changedAt) },
  };
}

/** The invoice if the caller belongs to its supplier or customer org; otherwise "not found". */
export async function getInvoice(session: CurrentSession, invoiceId: string): Promise<InvoiceListDto & { viewerOrgId: string }> {
  const [row] = await db().select(invoiceColumns).from(invoices).where(eq(invoices.id, invoiceId));
  if (!row) throw new AppError('not_found', 'invoice_not_found');
  const viewerOrgId = await viewerOrg(session, row);
  return { ...(await assemble([row], viewerOrgId)), viewerOrgId };
}

async function viewerOrg(session: CurrentSession, row: { supplierOrgId: string; customerOrgId: string }): Promise<string> {
  const mine = await db().select({ orgId: memberships.orgId }).from(memberships).where(and(eq(memberships.userId, session.userId), inArray(memberships.orgId, [row.supplierOrgId, row.customerOrgId])));
  const orgId = mine.find((m) => m.orgId === row.customerOrgId)?.orgId ?? mine[0]?.orgId;
  if (!orgId) throw new AppError('not_found', 'invoice_not_found');
  return orgId;
}

export async function openFileStream(session: CurrentSession, invoiceId: string, fileId: string): Promise<{ stream: ReadableStream<Uint8Array>; size: number }> {
  const row = await findInvoiceFile(invoiceId, fileId);
  if (!row) throw new AppError('not_found', 'document_not_found');
  await viewerOrg(session, row);
  return { stream: storedFileStream(invoiceId, fileId), size: row.size };
}

/**
 * A document of an invoice sent to `customerOrgId`, for a guest who proved the claim secret of that
 * (unclaimed) provisional org (lib/server/claims.ts); any other invoice is "not found".
 */
export async function openFileStreamToOrg(customerOrgId: string, invoiceId: string, fileId: string): Promise<{ stream: ReadableStream<Uint8Array>; size: number }> {
  const row = await findInvoiceFile(invoiceId, fileId);
  if (!row || row.customerOrgId !== customerOrgId) throw new AppError('not_found', 'document_not_found');
  return { stream: storedFileStream(invoiceId, fileId), size: row.size };
}

async function findInvoiceFile(invoiceId: string, fileId: string): Promise<{ supplierOrgId: string; customerOrgId: string; size: number } | null> {
  const [row] = await db()
    .select({ supplierOrgId: invoices.supplierOrgId, customerOrgId: invoices.customerOrgId, size: invoiceFiles.ciphertextSize })
    .from(invoices)
    .innerJoin(invoiceFiles, eq(invoiceFiles.invoiceId, invoices.id))
    .where(and(eq(invoices.id, invoiceId), eq(invoiceFiles.fileId, fileId)));
  return row ?? null;
}

function storedFileStream(invoiceId: string, fileId: string): ReadableStream<Uint8Array> {
  const parts = readStoredFile(invoiceId, fileId, DOWNLOAD_CHUNK_BYTES);
  // Pull-based: the next chunk is read from the store only when the client has taken the last.
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await parts.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await parts.return(undefined);
    },
  });
}

/**
 * Stores the caller's org fast-path records of many invoices' DEKs at once (DESIGN §6). A record
 * replaces the org's earlier one for the invoice: a client writes one only after it had to verify
 * the invoice in full because the stored record did not open for the manifest and sealed header
 * served now (an older format, or broken), so keeping the old one would make every later open take
 * the slow path. Any member could write a broken record either way; it only ever costs speed, since
 * a record that does not open falls back to the HPKE grant and the full checks. All or nothing: if any invoice is not the org's, nothing is stored and the
 * answer is the same "not found" as for an invoice that does not exist.
 */
export async function storeFastKeys(session: CurrentSession, input: { orgId: string; keyVersion: number; keys: { invoiceId: string; wrappedDek: string }[] }): Promise<void> {
  await requireRole(session, input.orgId, 'invoice.read');
  const org = await findOrgById(input.orgId);
  if (org?.keyVersion !== input.keyVersion) throw new AppError('conflict', 'org_keys_changed');
  const ids = [...new Set(input.keys.map((k) => k.invoiceId))];
  if (ids.length !== input.keys.length) throw new AppError('bad_request', 'invoice_listed_twice');
  const owned = await db()
    .select({ id: invoices.id })
    .from(invoices)
    .where(and(inArray(invoices.id, ids), or(eq(invoices.supplierOrgId, input.orgId), eq(invoices.customerOrgId, input.orgId))));
  if (owned.length !== ids.length) throw new AppError('not_found', 'invoice_not_found');
  await db()
    .insert(invoiceKeys)
    .values(input.keys.map((k) => ({ invoiceId: k.invoiceId, orgId: input.orgId, keyVersion: input.keyVersion, kind: 'fast' as const, sealedDek: new Uint8Array(Buffer.from(k.wrappedDek, 'base64url')) })))
    .onConflictDoUpdate({ target: [invoiceKeys.invoiceId, invoiceKeys.orgId, invoiceKeys.keyVersion, invoiceKeys.kind], set: { sealedDek: sql`excluded.sealed_dek` } });
}
