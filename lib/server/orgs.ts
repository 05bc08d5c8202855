import 'server-only';
import { and, eq } from 'drizzle-orm';
import { memberships, organizations, orgKeys } from '@/lib/db/schema';
import type { OrgPublicKeys } from '@/lib/shared/invoice-dto';
import { db } from './db';
import { AppError } from './errors';
import type { CurrentSession } from './sessions';

const b64 = (data: Uint8Array): string => Buffer.from(data).toString('base64url');

/** The caller's role in an org; anything else is "not found" so org ids cannot be probed. */
export async function requireMembership(session: CurrentSession, orgId: string): Promise<'owner' | 'admin' | 'member'> {
  const [row] = await db().select({ role: memberships.role }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, session.userId)));
  if (!row) throw new AppError('not_found', 'org_not_found');
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
  return { ...row, encryptionPublicKey: b64(row.encryptionPublicKey), signingPublicKey: b64(row.signingPublicKey) };
}

/** Looks an org up by the handle its owner shared; there is no listing of organizations. */
export async function findOrgByHandle(handle: string): Promise<OrgPublicKeys | null> {
  return orgPublicKeys(eq(organizations.handle, handle.trim().toLowerCase()));
}

export async function findOrgById(orgId: string): Promise<OrgPublicKeys | null> {
  return orgPublicKeys(eq(organizations.id, orgId));
}
