import 'server-only';
import { and, asc, eq } from 'drizzle-orm';
import { memberships, organizations, orgKeys, orgSuccessions } from '@/lib/db/schema';
import type { ErrorReason } from '@/lib/shared/i18n';
import type { OrgPublicKeys, SuccessionDto } from '@/lib/shared/invoice-dto';
import { can, type OrgRole, type Permission } from '@/lib/shared/roles';
import type { Database } from '@/lib/db/client';
import { db } from './db';
import { AppError } from './errors';
import type { CurrentSession } from './sessions';

const b64 = (data: Uint8Array): string => Buffer.from(data).toString('base64url');

const FORBIDDEN: Record<Permission, ErrorReason> = {
  'invoice.read': 'role_cannot_read',
  'invoice.send': 'role_cannot_send',
  'invoice.act': 'role_cannot_act',
  'members.manage': 'role_cannot_manage_members',
  'settings.manage': 'org_profile_admin_only',
  'owners.manage': 'role_cannot_manage_owners',
};

/**
 * The one role check of the data layer (roles and permissions: lib/shared/roles.ts). Not a member
 * → "not found", so org ids cannot be probed; a member whose role lacks the permission → 403.
 */
export async function requireRole(session: CurrentSession, orgId: string, permission: Permission, executor: Pick<Database, 'select'> = db()): Promise<OrgRole> {
  const [row] = await executor.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, session.userId)));
  if (!row) throw new AppError('not_found', 'org_not_found');
  if (!can(row.role, permission)) throw new AppError('forbidden', FORBIDDEN[permission]);
  return row.role;
}

async function orgPublicKeys(where: ReturnType<typeof eq>): Promise<OrgPublicKeys | null> {
  const [row] = await db()
    .select({
      orgId: organizations.id,
      name: organizations.name,
      handle: organizations.handle,
      keyVersion: organizations.currentKeyVersion,
      encryptionPublicKey: orgKeys.encryptionPublicKey,
      signingPublicKey: orgKeys.signingPublicKey,
    })
    .from(organizations)
    .innerJoin(orgKeys, and(eq(orgKeys.orgId, organizations.id), eq(orgKeys.version, organizations.currentKeyVersion)))
    .where(where);
  if (!row) return null;
  const keys = { ...row, encryptionPublicKey: b64(row.encryptionPublicKey), signingPublicKey: b64(row.signingPublicKey) };
  if (row.keyVersion === 1) return keys;
  // A counterparty that pinned an older epoch follows these to the current keys (DESIGN §3.3).
  const successions = await db()
    .select({ record: orgSuccessions.record, signature: orgSuccessions.signature })
    .from(orgSuccessions)
    .where(eq(orgSuccessions.orgId, row.orgId))
    .orderBy(asc(orgSuccessions.epoch));
  return { ...keys, successions: successions as SuccessionDto[] };
}

/** Looks an org up by the handle its owner shared; there is no listing of organizations. */
export async function findOrgByHandle(handle: string): Promise<OrgPublicKeys | null> {
  return orgPublicKeys(eq(organizations.handle, handle.trim().toLowerCase()));
}

export async function findOrgById(orgId: string): Promise<OrgPublicKeys | null> {
  return orgPublicKeys(eq(organizations.id, orgId));
}
