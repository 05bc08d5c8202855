import 'server-only';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Database } from '@/lib/db/client';
import { credentials, invoices, memberships, organizations, uploads, users, webauthnChallenges } from '@/lib/db/schema';
import type { AccountDeletionPreviewDto } from '@/lib/shared/schemas/admin';
import { recordAudit } from '../audit';
import { blobStore } from '../blob-store';
import { db } from '../db';
import { AppError } from '../errors';
import type { RequestContext } from '../http';
import { dropPendingMail } from '../notifications';
import { revokeAllSessions } from '../sessions';
import { requireAdmin } from './access';

/**
 * Deleting an account tombstones it rather than removing the row. Invoices it signed name it
 * (invoices.signer_user_id), and every reader, the customer org included, verifies those invoices
 * with the signer's public key and membership certificate; removing them would turn the
 * counterparty's records into unverifiable ones. So the public keys and certificates stay, and
 * everything that makes it an account goes: passkeys (with their wrapped account keys), sessions,
 * pending challenges and uploads, the wrapped private keys, the recovery wrap and proof, the
 * keyring, the email and the name. Nobody can sign in as it or recover it again, and its private
 * keys, wrapped under an account key nobody can unwrap any more, are gone.
 *
 * Organizations where it was the last owner are suspended, not deleted: their invoices are also
 * the customers' records, and customers keep their own grants. An admin may resume such an org if
 * its remaining members should carry on.
 */

const TOMBSTONE_NAME = 'Deleted user';
const tombstoneEmail = (userId: string): string => `deleted-${userId}@deleted.invalid`;

async function ownedOrgs(executor: Database, userId: string): Promise<{ orgId: string; orgName: string; lastOwner: boolean; otherMembers: number }[]> {
  const rows = await executor
    .select({
      orgId: organizations.id,
      orgName: organizations.name,
      role: memberships.role,
      otherOwners: sql<number>`(select count(*)::int from memberships m join users u on u.id = m.user_id where m.org_id = ${memberships.orgId} and m.user_id <> ${userId} and m.role = 'owner' and u.deleted_at is null)`,
      otherMembers: sql<number>`(select count(*)::int from memberships m join users u on u.id = m.user_id where m.org_id = ${memberships.orgId} and m.user_id <> ${userId} and u.deleted_at is null)`,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(organizations.name);
  return rows.map((r) => ({ orgId: r.orgId, orgName: r.orgName, lastOwner: r.role === 'owner' && Number(r.otherOwners) === 0, otherMembers: Number(r.otherMembers) }));
}

/** What deleting this account would do, for the confirmation. */
export async function previewAccountDeletion(userId: string): Promise<AccountDeletionPreviewDto | null> {
  await requireAdmin();
  const [user] = await db().select({ displayName: users.displayName, email: users.email, isPlatformAdmin: users.isPlatformAdmin, deletedAt: users.deletedAt }).from(users).where(eq(users.id, userId));
  if (!user || user.isPlatformAdmin || user.deletedAt) return null;
  const [orgs, [signed]] = await Promise.all([
    ownedOrgs(db(), userId),
    db().select({ n: sql<number>`count(*)::int` }).from(invoices).where(eq(invoices.signerUserId, userId)),
  ]);
  return {
    userId,
    displayName: user.displayName,
    email: user.email,
    orgsSuspended: orgs.filter((o) => o.lastOwner).map(({ orgId, orgName, otherMembers }) => ({ orgId, orgName, otherMembers })),
    orgsKept: orgs.filter((o) => !o.lastOwner).map(({ orgId, orgName }) => ({ orgId, orgName })),
    invoicesSigned: Number(signed?.n ?? 0),
  };
}

/**
 * Tombstones the account in one transaction, with the audit records. `confirmEmail` must be the
 * account's email: the admin types it, so a slip of the mouse deletes nothing.
 */
export async function deleteAccount(userId: string, confirmEmail: string, context: RequestContext): Promise<{ deletedAt: string; orgsSuspended: string[] }> {
  const admin = await requireAdmin();
  const result = await db().transaction(async (tx) => {
    const [target] = await tx.select({ email: users.email, isPlatformAdmin: users.isPlatformAdmin, deletedAt: users.deletedAt }).from(users).where(eq(users.id, userId)).for('update');
    if (!target) throw new AppError('not_found', 'user_not_found');
    if (target.isPlatformAdmin) throw new AppError('conflict', 'admin_cannot_be_deleted');
    if (target.deletedAt) throw new AppError('conflict', 'account_already_deleted');
    if (confirmEmail !== target.email) throw new AppError('bad_request', 'confirm_email_mismatch', { issues: [{ path: 'confirmEmail', message: 'Does not match the account’s email.' }] });

    const now = new Date();
    const suspended: string[] = [];
    for (const org of await ownedOrgs(tx, userId)) {
      if (!org.lastOwner) continue;
      await tx.update(organizations).set({ suspendedAt: sql`coalesce(${organizations.suspendedAt}, ${now.toISOString()}::timestamptz)` }).where(eq(organizations.id, org.orgId));
      suspended.push(org.orgId);
    }
    await tx.delete(credentials).where(eq(credentials.userId, userId));
    await tx.delete(webauthnChallenges).where(eq(webauthnChallenges.userId, userId));
    // Unfinished uploads hold ciphertext nobody will commit; committed ones are invoices and stay.
    const unfinished = await tx.delete(uploads).where(and(eq(uploads.createdBy, userId), isNull(uploads.committedAt))).returning({ id: uploads.id });
    await revokeAllSessions(userId, tx);
    await dropPendingMail(tx, userId);
    await tx
      .update(users)
      .set({
        email: tombstoneEmail(userId),
        displayName: TOMBSTONE_NAME,
        disabledAt: sql`coalesce(${users.disabledAt}, ${now.toISOString()}::timestamptz)`,
        deletedAt: now,
        wrappedPrivateKeys: null,
        recoveryWrappedAccountKey: null,
        recoveryAuthHash: null,
        encryptedKeyring: null,
      })
      .where(and(eq(users.id, userId), ne(users.isPlatformAdmin, true)));

    const actor = { actorUserId: admin.userId, credentialId: admin.credentialId };
    for (const orgId of suspended) {
      await recordAudit({ action: 'admin.org_suspend', outcome: 'success', ...actor, objectType: 'organization', objectId: orgId, reason: 'last_owner_deleted' }, context, tx);
    }
    await recordAudit({ action: 'admin.user_delete', outcome: 'success', ...actor, objectType: 'user', objectId: userId, reason: 'sessions_revoked' }, context, tx);
    return { deletedAt: now.toISOString(), orgsSuspended: suspended, unfinished: unfinished.map((u) => u.id) };
  });
  // Their stored parts go once the rows are gone (a crash in between leaves orphans, which start-up collects).
  for (const uploadId of result.unfinished) await blobStore().deleteUpload(uploadId);
  return { deletedAt: result.deletedAt, orgsSuspended: result.orgsSuspended };
}
