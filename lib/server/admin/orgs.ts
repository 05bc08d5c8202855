import 'server-only';
import { desc, eq, sql } from 'drizzle-orm';
import { invoices, memberships, organizations, users } from '@/lib/db/schema';
import type { AdminOrgDetailDto, AdminOrgRowDto } from '@/lib/shared/schemas/admin';
import { recordAudit } from '../audit';
import { db } from '../db';
import { env } from '../env';
import { AppError } from '../errors';
import type { RequestContext } from '../http';
import { effectiveQuota, openUploadCount, orgStorage, storageUsedSql } from '../quotas';
import { requireAdmin } from './access';

const ORG_LIST_MAX = 200;

// Counts and sizes only, never a manifest, header or key. Aliased subqueries: drizzle leaves
// columns unqualified in a one-table select.
const orgRow = {
  id: organizations.id,
  name: organizations.name,
  handle: organizations.handle,
  createdAt: organizations.createdAt,
  suspendedAt: organizations.suspendedAt,
  members: sql<number>`(select count(*)::int from memberships m where m.org_id = organizations.id)`,
  invoicesSent: sql<number>`(select count(*)::int from invoices i where i.supplier_org_id = organizations.id)`,
  invoicesReceived: sql<number>`(select count(*)::int from invoices i where i.customer_org_id = organizations.id)`,
  storageBytes: storageUsedSql(sql.raw('organizations.id')),
  quotaSetting: organizations.quotaBytes,
};

function toRowDto(row: Omit<AdminOrgRowDto, 'createdAt' | 'suspendedAt' | 'quotaBytes'> & { createdAt: Date; suspendedAt: Date | null }): AdminOrgRowDto {
  return {
    ...row,
    storageBytes: Number(row.storageBytes),
    quotaBytes: effectiveQuota(row.quotaSetting),
    createdAt: row.createdAt.toISOString(),
    suspendedAt: row.suspendedAt?.toISOString() ?? null,
  };
}

/** Organizations newest first; `page` picks a window of them (the admin page shows 50 at a time). */
export async function listOrgs(page: { offset: number; limit: number } = { offset: 0, limit: ORG_LIST_MAX }): Promise<AdminOrgRowDto[]> {
  await requireAdmin();
  const rows = await db().select(orgRow).from(organizations).orderBy(desc(organizations.createdAt), desc(organizations.id)).limit(Math.min(page.limit, ORG_LIST_MAX)).offset(page.offset);
  return rows.map(toRowDto);
}

async function countByStatus(column: typeof invoices.supplierOrgId | typeof invoices.customerOrgId, orgId: string): Promise<Record<string, number>> {
  const rows = await db().select({ status: invoices.status, n: sql<number>`count(*)::int` }).from(invoices).where(eq(column, orgId)).groupBy(invoices.status);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export async function getOrgDetail(orgId: string): Promise<AdminOrgDetailDto | null> {
  await requireAdmin();
  const [row] = await db().select(orgRow).from(organizations).where(eq(organizations.id, orgId));
  if (!row) return null;
  const [memberList, sentByStatus, receivedByStatus, storage, openUploads] = await Promise.all([
    db()
      .select({ userId: users.id, displayName: users.displayName, email: users.email, role: memberships.role, deleted: sql<boolean>`${users.deletedAt} is not null` })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.orgId, orgId))
      .orderBy(users.displayName),
    countByStatus(invoices.supplierOrgId, orgId),
    countByStatus(invoices.customerOrgId, orgId),
    orgStorage(orgId),
    openUploadCount(orgId),
  ]);
  return { ...toRowDto(row), memberList, sentByStatus, receivedByStatus, pendingBytes: storage?.pendingBytes ?? 0, openUploads, defaultQuotaBytes: env().DEFAULT_ORG_QUOTA_BYTES };
}

/** A suspended organization cannot start uploads (lib/server/uploads.ts); what it has stays readable. */
export async function setOrgSuspended(orgId: string, suspended: boolean, context: RequestContext): Promise<{ suspendedAt: string | null }> {
  const admin = await requireAdmin();
  return db().transaction(async (tx) => {
    const suspendedAt = suspended ? new Date() : null;
    const [updated] = await tx.update(organizations).set({ suspendedAt }).where(eq(organizations.id, orgId)).returning({ id: organizations.id });
    if (!updated) throw new AppError('not_found', 'org_not_found');
    await recordAudit(
      { action: suspended ? 'admin.org_suspend' : 'admin.org_resume', outcome: 'success', actorUserId: admin.userId, credentialId: admin.credentialId, objectType: 'organization', objectId: orgId },
      context,
      tx,
    );
    return { suspendedAt: suspendedAt?.toISOString() ?? null };
  });
}

/**
 * Sets an org's storage quota (null = the instance default, 0 = unlimited). A quota below what the
 * org already stores is allowed: nothing is deleted, new uploads are refused until there is room.
 */
export async function setOrgQuota(orgId: string, quotaBytes: number | null, context: RequestContext): Promise<{ quotaSetting: number | null; quotaBytes: number | null }> {
  const admin = await requireAdmin();
  await db().transaction(async (tx) => {
    const [updated] = await tx.update(organizations).set({ quotaBytes }).where(eq(organizations.id, orgId)).returning({ id: organizations.id });
    if (!updated) throw new AppError('not_found', 'org_not_found');
    await recordAudit(
      { action: 'admin.org_quota_set', outcome: 'success', actorUserId: admin.userId, credentialId: admin.credentialId, objectType: 'organization', objectId: orgId, reason: quotaBytes === null ? 'default' : String(quotaBytes) },
      context,
      tx,
    );
  });
  return { quotaSetting: quotaBytes, quotaBytes: effectiveQuota(quotaBytes) };
}
