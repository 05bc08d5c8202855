import 'server-only';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Database } from '@/lib/db/client';
import { organizations, uploads } from '@/lib/db/schema';
import { db } from './db';
import { env } from './env';
import { AppError } from './errors';

/**
 * Storage quotas per organization (DESIGN §1: admins run quotas). What counts is what the sending
 * (supplier) org puts on the server: the declared ciphertext sizes of its committed invoices' files
 * and sealed headers, plus every open, unexpired upload it has started, counted in full from the
 * moment it is created. Declared sizes, not stored parts: the check must run before a single part
 * is stored, and it must not depend on where parts end up (database today, a blob store later).
 */

export interface OrgStorage {
  /** Bytes counted against the quota. */
  usedBytes: number;
  /** Of which: uploads started and not yet committed or expired. */
  pendingBytes: number;
  /** The org's own setting: null = instance default, 0 = unlimited. */
  quotaSetting: number | null;
  /** The quota in force; null = unlimited. */
  quotaBytes: number | null;
}

/** The quota in force for an org setting: its own value, else the instance default; 0 is unlimited. */
export function effectiveQuota(quotaSetting: number | null): number | null {
  const bytes = quotaSetting ?? env().DEFAULT_ORG_QUOTA_BYTES;
  return bytes > 0 ? bytes : null;
}

/** SQL for one org's used bytes, for lists (`orgId` is a column reference or a parameter). */
export function storageUsedSql(orgId: unknown) {
  return sql<number>`(
    (select coalesce(sum(f.ciphertext_size), 0) from invoice_files f join invoices i on i.id = f.invoice_id where i.supplier_org_id = ${orgId})
    + (select coalesce(sum(octet_length(i.sealed_header)), 0) from invoices i where i.supplier_org_id = ${orgId})
    + ${pendingUploadsSql(orgId)}
  )::float8`;
}

function pendingUploadsSql(orgId: unknown) {
  return sql<number>`(select coalesce(sum((f ->> 'ciphertextSize')::bigint), 0)
      from uploads u, jsonb_array_elements(u.files) f
      where u.supplier_org_id = ${orgId} and u.committed_at is null and u.expires_at > now())`;
}

export async function orgStorage(orgId: string, executor: Database = db()): Promise<OrgStorage | null> {
  const [row] = await executor
    .select({
      quotaSetting: organizations.quotaBytes,
      usedBytes: storageUsedSql(orgId),
      pendingBytes: sql<number>`${pendingUploadsSql(orgId)}::float8`,
    })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  if (!row) return null;
  return { usedBytes: Number(row.usedBytes), pendingBytes: Number(row.pendingBytes), quotaSetting: row.quotaSetting, quotaBytes: effectiveQuota(row.quotaSetting) };
}

/**
 * Inserts an upload only if its declared ciphertext fits the supplier org's quota and the org has
 * fewer than MAX_OPEN_UPLOADS_PER_ORG open. The org row is locked for the checks and the insert, so
 * two concurrent uploads of one org are counted one after the other and cannot both squeeze into
 * the last free bytes or the last free slot.
 */
export async function insertUploadWithinQuota(values: typeof uploads.$inferInsert): Promise<void> {
  const requested = values.files.reduce((sum, f) => sum + f.ciphertextSize, 0);
  await db().transaction(async (tx) => {
    // NO KEY UPDATE, not UPDATE: it still serializes this org's quota checks, but does not block the
    // KEY SHARE lock the uploads foreign key takes on the customer org, so A→B and B→A cannot deadlock.
    await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, values.supplierOrgId)).for('no key update');
    const open = await openUploadCount(values.supplierOrgId, tx);
    const cap = env().MAX_OPEN_UPLOADS_PER_ORG;
    if (open >= cap) {
      throw new AppError('limit_reached', 'too_many_open_uploads', { params: { open, cap } });
    }
    const storage = await orgStorage(values.supplierOrgId, tx);
    if (storage?.quotaBytes != null && storage.usedBytes + requested > storage.quotaBytes) {
      const left = Math.max(0, storage.quotaBytes - storage.usedBytes);
      throw new AppError('quota_exceeded', 'quota_exceeded', { params: { needed: requested, left, quota: storage.quotaBytes } });
    }
    await tx.insert(uploads).values(values);
  });
}

/** Open uploads that no longer count (expired) are not deleted here: collectAbandonedUploads does that. */
export async function openUploadCount(orgId: string, executor: Database = db()): Promise<number> {
  const [row] = await executor
    .select({ n: sql<number>`count(*)::int` })
    .from(uploads)
    .where(and(eq(uploads.supplierOrgId, orgId), isNull(uploads.committedAt), gt(uploads.expiresAt, new Date())));
  return Number(row?.n ?? 0);
}
