import 'server-only';
import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { auditLog, users } from '@/lib/db/schema';
import type { AuditPageDto, AuditQuery, AuditVerdictDto } from '@/lib/shared/schemas/admin';
import { exportAuditLog, recordAudit, verifyAuditChain } from '../audit';
import { db } from '../db';
import type { RequestContext } from '../http';
import { requireAdmin } from './access';

const DAY_MS = 24 * 60 * 60 * 1000;

/** One page of the audit log, newest first: metadata only (no hashes, no user agents). */
export async function listAuditEntries(query: AuditQuery): Promise<AuditPageDto> {
  await requireAdmin();
  const conditions: SQL[] = [];
  if (query.action) conditions.push(eq(auditLog.action, query.action));
  if (query.actor) conditions.push(eq(auditLog.actorUserId, query.actor));
  if (query.outcome) conditions.push(eq(auditLog.outcome, query.outcome));
  if (query.from) conditions.push(gte(auditLog.at, new Date(`${query.from}T00:00:00Z`)));
  // `to` is a whole day, inclusive.
  if (query.to) conditions.push(lt(auditLog.at, new Date(new Date(`${query.to}T00:00:00Z`).getTime() + DAY_MS)));
  if (query.before) conditions.push(lt(auditLog.seq, query.before));
  const rows = await db()
    .select({
      seq: auditLog.seq,
      at: auditLog.at,
      actorUserId: auditLog.actorUserId,
      actorEmail: users.email,
      action: auditLog.action,
      objectType: auditLog.objectType,
      objectId: auditLog.objectId,
      outcome: auditLog.outcome,
      reason: auditLog.reason,
      ip: auditLog.ip,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(and(...conditions))
    .orderBy(desc(auditLog.seq))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    entries: page.map((row) => ({ ...row, at: row.at.toISOString() })),
    nextBefore: rows.length > query.limit ? page[page.length - 1]!.seq : null,
  };
}

/** Walks the whole chain; the check itself is recorded (after the walk, so it never checks itself). */
export async function verifyAuditChainAsAdmin(context: RequestContext): Promise<AuditVerdictDto> {
  const admin = await requireAdmin();
  const verdict = await verifyAuditChain();
  await recordAudit(
    { action: 'admin.audit_verify', outcome: 'success', actorUserId: admin.userId, credentialId: admin.credentialId, ...(verdict.ok ? {} : { reason: `broken_at_${verdict.brokenAt}` }) },
    context,
  );
  if (verdict.ok) return { ...verdict, message: `Chain verified up to #${verdict.verifiedUpTo}.` };
  return { ...verdict, message: `Chain broken at #${verdict.brokenAt}: ${verdict.reason} (verified up to #${verdict.verifiedUpTo}).` };
}

/** Records the export, then streams the whole log (the record included) as JSON lines. */
export async function exportAuditLogAsAdmin(context: RequestContext): Promise<AsyncGenerator<string>> {
  const admin = await requireAdmin();
  await recordAudit({ action: 'admin.audit_export', outcome: 'success', actorUserId: admin.userId, credentialId: admin.credentialId }, context);
  return exportAuditLog();
}
