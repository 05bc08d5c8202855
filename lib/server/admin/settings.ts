import 'server-only';
import type { AdminSettingsDto, CreatedInvitationDto, InvitationKind, RegistrationMode } from '@/lib/shared/schemas/admin';
import { recordAudit } from '../audit';
import { db } from '../db';
import { env } from '../env';
import type { RequestContext } from '../http';
import { INVITATION_TTL_MS, insertToken, invitationUrl, recentInvitations, registrationMode, saveRegistrationMode } from '../invitations';
import { requireAdmin } from './access';

/** Instance settings: the stored ones, and the configured ones (read-only, from the environment). */
export async function getSettings(): Promise<AdminSettingsDto> {
  await requireAdmin();
  const config = env();
  const [registration, invitations] = await Promise.all([registrationMode(), recentInvitations()]);
  const now = Date.now();
  return {
    registration,
    origin: config.ORIGIN,
    rpId: config.RP_ID,
    defaultOrgQuotaBytes: config.DEFAULT_ORG_QUOTA_BYTES,
    invitations: invitations.map((i) => ({
      kind: i.purpose === 'admin-invite' ? 'admin' : 'sign-up',
      createdAt: i.createdAt.toISOString(),
      expiresAt: i.expiresAt.toISOString(),
      createdByEmail: i.createdByEmail,
      state: i.usedAt ? 'used' : i.expiresAt.getTime() <= now ? 'expired' : 'open',
      usedAt: i.usedAt?.toISOString() ?? null,
      usedBy: i.usedBy,
    })),
  };
}

export async function setRegistrationMode(mode: RegistrationMode, context: RequestContext): Promise<{ registration: RegistrationMode }> {
  const admin = await requireAdmin();
  await db().transaction(async (tx) => {
    await saveRegistrationMode(tx, mode, admin.userId);
    await recordAudit({ action: 'admin.registration_set', outcome: 'success', actorUserId: admin.userId, credentialId: admin.credentialId, objectType: 'instance', reason: mode }, context, tx);
  });
  return { registration: mode };
}

/**
 * A one-time link: for a new platform admin (who registers a passkey, like the first admin), or
 * for one sign-up while registration is by invitation. The link is returned once and never stored.
 */
export async function createInvitation(kind: InvitationKind, context: RequestContext): Promise<CreatedInvitationDto> {
  const admin = await requireAdmin();
  const purpose = kind === 'admin' ? 'admin-invite' : 'sign-up-invite';
  const { token, expiresAt } = await db().transaction(async (tx) => {
    const issued = await insertToken(tx, purpose, INVITATION_TTL_MS[purpose], admin.userId);
    await recordAudit({ action: kind === 'admin' ? 'admin.admin_invitation_created' : 'admin.sign_up_invitation_created', outcome: 'success', actorUserId: admin.userId, credentialId: admin.credentialId, objectType: 'invitation' }, context, tx);
    return issued;
  });
  return { kind, url: invitationUrl(purpose, token), expiresAt: expiresAt.toISOString() };
}
