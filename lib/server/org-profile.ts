import 'server-only';
import { and, eq } from 'drizzle-orm';
import { organizations, orgProfiles } from '@/lib/db/schema';
import type { OrgProfileDto, PutOrgProfileRequest } from '@/lib/shared/schemas/org-profile';
import { recordAudit } from './audit';
import { db } from './db';
import { AppError } from './errors';
import type { RequestContext } from './http';
import { requireRole } from './orgs';
import type { CurrentSession } from './sessions';

const b64 = (data: Uint8Array): string => Buffer.from(data).toString('base64url');

async function currentKeyVersion(orgId: string): Promise<number> {
  const [org] = await db().select({ keyVersion: organizations.currentKeyVersion }).from(organizations).where(eq(organizations.id, orgId));
  if (!org) throw new AppError('not_found', 'org_not_found');
  return org.keyVersion;
}

/** The sealed profile, for members of the org only; anyone else is told "not found". */
export async function getOrgProfile(session: CurrentSession, orgId: string): Promise<OrgProfileDto> {
  await requireRole(session, orgId, 'invoice.read');
  const [row] = await db()
    .select({ keyVersion: orgProfiles.keyVersion, revision: orgProfiles.revision, sealedProfile: orgProfiles.sealedProfile, updatedAt: orgProfiles.updatedAt })
    .from(orgProfiles)
    .where(eq(orgProfiles.orgId, orgId));
  return {
    profile: row ? { keyVersion: row.keyVersion, revision: row.revision, sealedProfile: b64(row.sealedProfile), updatedAt: row.updatedAt.toISOString() } : null,
    currentKeyVersion: await currentKeyVersion(orgId),
  };
}

/**
 * Stores the next revision of the sealed profile. Owners and admins only (settings, DESIGN §3.3);
 * it must be sealed under the org's current key version and be exactly the next revision, so a
 * save made from an outdated copy is refused (409) instead of overwriting a colleague's.
 */
export async function putOrgProfile(session: CurrentSession, orgId: string, input: PutOrgProfileRequest, context: RequestContext): Promise<{ revision: number }> {
  await requireRole(session, orgId, 'settings.manage');
  if (input.keyVersion !== (await currentKeyVersion(orgId))) throw new AppError('conflict', 'org_keys_changed');
  const sealedProfile = new Uint8Array(Buffer.from(input.sealedProfile, 'base64url'));
  await db().transaction(async (tx) => {
    const [existing] = await tx.select({ revision: orgProfiles.revision }).from(orgProfiles).where(eq(orgProfiles.orgId, orgId)).for('update');
    if ((existing?.revision ?? 0) + 1 !== input.revision) throw new AppError('conflict', 'org_profile_changed');
    const values = { keyVersion: input.keyVersion, revision: input.revision, sealedProfile, updatedBy: session.userId, updatedAt: new Date() };
    if (existing) {
      const [updated] = await tx.update(orgProfiles).set(values).where(and(eq(orgProfiles.orgId, orgId), eq(orgProfiles.revision, existing.revision))).returning({ orgId: orgProfiles.orgId });
      if (!updated) throw new AppError('conflict', 'org_profile_changed');
    } else {
      const inserted = await tx.insert(orgProfiles).values({ orgId, ...values }).onConflictDoNothing().returning({ orgId: orgProfiles.orgId });
      if (!inserted.length) throw new AppError('conflict', 'org_profile_changed');
    }
    await recordAudit({ action: 'org.profile_updated', outcome: 'success', actorUserId: session.userId, credentialId: session.credentialId, objectType: 'organization', objectId: orgId }, context, tx);
  });
  return { revision: input.revision };
}
