import 'server-only';
import { and, desc, eq, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import { auditLog, credentials, memberships, organizations, sessions, users } from '@/lib/db/schema';
import type { AdminUserDetailDto, AdminUserRowDto } from '@/lib/shared/schemas/admin';
import { recordAudit } from '../audit';
import { db } from '../db';
import { AppError } from '../errors';
import type { RequestContext } from '../http';
import { enqueueSecurityNotice } from '../notifications';
import { revokeAllSessions } from '../sessions';
import { requireAdmin } from './access';

const USER_LIST_MAX = 100;
const DETAIL_SESSIONS_MAX = 20;
const DETAIL_EVENTS_MAX = 25;

// Explicit columns only: the users table also holds wrapped keys and the keyring, which no admin sees.
const userRow = {
  id: users.id,
  displayName: users.displayName,
  email: users.email,
  isPlatformAdmin: users.isPlatformAdmin,
  createdAt: users.createdAt,
  lastSignInAt: users.lastSignInAt,
  disabledAt: users.disabledAt,
  deletedAt: users.deletedAt,
  // Written out with aliases: drizzle leaves columns unqualified in a one-table select, which would
  // make `user_id = id` inside a subquery refer to the subquery's own table.
  passkeys: sql<number>`(select count(*)::int from credentials c where c.user_id = users.id)`,
  anyPasskeyBackedUp: sql<boolean>`coalesce((select bool_or(c.backed_up) from credentials c where c.user_id = users.id), false)`,
  organizations: sql<string[]>`coalesce((select array_agg(o.name order by o.name) from memberships m join organizations o on o.id = m.org_id where m.user_id = users.id), '{}')`,
};


function toRowDto(row: { createdAt: Date; lastSignInAt: Date | null; disabledAt: Date | null; deletedAt: Date | null } & Omit<AdminUserRowDto, 'createdAt' | 'lastSignInAt' | 'disabledAt' | 'deletedAt'>): AdminUserRowDto {
  const iso = (d: Date | null): string | null => d?.toISOString() ?? null;
  return { ...row, createdAt: row.createdAt.toISOString(), lastSignInAt: iso(row.lastSignInAt), disabledAt: iso(row.disabledAt), deletedAt: iso(row.deletedAt) };
}

/** Users whose name or email contains `q`, newest first; `page` picks a window of them (the admin page shows 50 at a time). */
export async function listUsers(q: string, page: { offset: number; limit: number } = { offset: 0, limit: USER_LIST_MAX }): Promise<AdminUserRowDto[]> {
  await requireAdmin();
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db()
    .select(userRow)
    .from(users)
    .where(q ? or(ilike(users.email, pattern), ilike(users.displayName, pattern)) : undefined)
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(Math.min(page.limit, USER_LIST_MAX))
    .offset(page.offset);
  return rows.map(toRowDto);
}

export async function getUserDetail(userId: string): Promise<AdminUserDetailDto | null> {
  await requireAdmin();
  const [row] = await db().select(userRow).from(users).where(eq(users.id, userId));
  if (!row) return null;
  const [passkeyList, memberOf, sessionList, events] = await Promise.all([
    db()
      .select({ name: credentials.name, deviceType: credentials.deviceType, backedUp: credentials.backedUp, createdAt: credentials.createdAt, lastUsedAt: credentials.lastUsedAt })
      .from(credentials)
      .where(eq(credentials.userId, userId))
      .orderBy(credentials.createdAt),
    db()
      .select({ orgId: organizations.id, orgName: organizations.name, role: memberships.role })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.orgId))
      .where(eq(memberships.userId, userId))
      .orderBy(organizations.name),
    db()
      .select({ id: sessions.id, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, expiresAt: sessions.expiresAt, revokedAt: sessions.revokedAt, ip: sessions.ip, userAgent: sessions.userAgent })
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .orderBy(desc(sessions.createdAt))
      .limit(DETAIL_SESSIONS_MAX),
    db()
      .select({ seq: auditLog.seq, at: auditLog.at, action: auditLog.action, outcome: auditLog.outcome, reason: auditLog.reason, ip: auditLog.ip, credentialId: auditLog.credentialId })
      .from(auditLog)
      // Also refusals that name one of the user's passkeys (a failed sign-in has no verified actor).
      .where(or(
        eq(auditLog.actorUserId, userId),
        and(eq(auditLog.objectType, 'user'), eq(auditLog.objectId, userId)),
        inArray(auditLog.credentialId, db().select({ id: credentials.id }).from(credentials).where(eq(credentials.userId, userId))),
      ))
      .orderBy(desc(auditLog.seq))
      .limit(DETAIL_EVENTS_MAX),
  ]);
  const iso = (d: Date | null): string | null => d?.toISOString() ?? null;
  return {
    ...toRowDto(row),
    passkeyList: passkeyList.map((p) => ({ ...p, createdAt: p.createdAt.toISOString(), lastUsedAt: iso(p.lastUsedAt) })),
    memberships: memberOf,
    sessions: sessionList.map((s) => ({ ...s, createdAt: s.createdAt.toISOString(), lastSeenAt: s.lastSeenAt.toISOString(), expiresAt: s.expiresAt.toISOString(), revokedAt: iso(s.revokedAt) })),
    securityEvents: events.map((e) => ({ ...e, at: e.at.toISOString() })),
  };
}

/**
 * Disabling revokes every session in the same transaction, so the user's next request is refused
 * (currentSession also refuses disabled users, should a session survive somehow). Admins cannot be
 * disabled here: that would be the way to lock the instance out of its own administration.
 */
export async function setUserDisabled(userId: string, disabled: boolean, context: RequestContext): Promise<{ disabledAt: string | null }> {
  const admin = await requireAdmin();
  const action = disabled ? 'admin.user_disable' : 'admin.user_enable';
  return db().transaction(async (tx) => {
    const [target] = await tx.select({ isPlatformAdmin: users.isPlatformAdmin, deletedAt: users.deletedAt }).from(users).where(eq(users.id, userId)).for('update');
    if (!target) throw new AppError('not_found', 'user_not_found');
    if (target.isPlatformAdmin) throw new AppError('conflict', 'admin_cannot_be_disabled');
    if (target.deletedAt) throw new AppError('conflict', 'account_deleted_cannot_enable');
    const disabledAt = disabled ? new Date() : null;
    await tx.update(users).set({ disabledAt }).where(eq(users.id, userId));
    if (disabled) await revokeAllSessions(userId, tx);
    await recordAudit({ action, outcome: 'success', actorUserId: admin.userId, credentialId: admin.credentialId, objectType: 'user', objectId: userId }, context, tx);
    return { disabledAt: disabledAt?.toISOString() ?? null };
  });
}

/** Ends every open session of a user (a lost laptop, say) without disabling the account. */
export async function revokeUserSessions(userId: string, context: RequestContext): Promise<{ revoked: number }> {
  const admin = await requireAdmin();
  return db().transaction(async (tx) => {
    const [target] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
    if (!target) throw new AppError('not_found', 'user_not_found');
    const revoked = await tx
      .update(sessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    await recordAudit(
      { action: 'admin.user_sessions_revoke', outcome: 'success', actorUserId: admin.userId, credentialId: admin.credentialId, objectType: 'user', objectId: userId, reason: `revoked_${revoked.length}` },
      context,
      tx,
    );
    await enqueueSecurityNotice(tx, userId, 'signed_out_everywhere');
    return { revoked: revoked.length };
  });
}
