import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { setupTokens, users, type SetupTokenPurpose } from '@/lib/db/schema';
import type { RegistrationResponse } from '@/lib/shared/schemas/auth';
import { insertPasskey } from './accounts';
import { recordAudit } from './audit';
import { db } from './db';
import { AppError } from './errors';
import type { RequestContext } from './http';
import { insertToken, invitationUrl, isTokenUsable, spendToken } from './invitations';
import { startSession } from './sessions';
import { registrationOptions, verifyRegistration } from './webauthn';

const SETUP_TOKEN_TTL_MS = 24 * 3600 * 1000;
/** The start-up link, and the invitations an admin creates for further admins (Settings). */
const ADMIN_LINKS: SetupTokenPurpose[] = ['first-admin', 'admin-invite'];
/**
 * At start-up, while the instance has no platform admin, issues a one-time setup link and returns
 * it for the console. Earlier unused links are invalidated, so only the newest one works.
 */
export async function issueFirstAdminSetupLink(): Promise<string | null> {
  const [admin] = await db().select({ id: users.id }).from(users).where(eq(users.isPlatformAdmin, true)).limit(1);
  if (admin) return null;
  const token = await db().transaction(async (tx) => {
    await tx.update(setupTokens).set({ usedAt: new Date() }).where(and(eq(setupTokens.purpose, 'first-admin'), isNull(setupTokens.usedAt)));
    const issued = await insertToken(tx, 'first-admin', SETUP_TOKEN_TTL_MS, null);
    await recordAudit({ action: 'admin.setup_link_issued', outcome: 'success', objectType: 'instance' }, { ip: null, userAgent: null }, tx);
    return issued.token;
  });
  return invitationUrl('first-admin', token);
}

async function assertTokenUsable(token: string): Promise<void> {
  if (!(await isTokenUsable(token, ADMIN_LINKS))) throw new AppError('setup_token_invalid', 'setup_link_invalid');
}

export async function beginAdminSetup(input: { token: string; displayName: string; email: string }) {
  await assertTokenUsable(input.token);
  const [taken] = await db().select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (taken) throw new AppError('conflict', 'email_taken');
  const userId = randomUUID();
  const options = await registrationOptions('admin-setup', { id: userId, email: input.email, displayName: input.displayName }, {
    data: { userId, email: input.email, displayName: input.displayName },
  });
  return { options };
}

/** Registers the first admin; the token is spent in the same transaction that creates the account. */
export async function completeAdminSetup(input: { token: string; response: RegistrationResponse; passkeyName: string }, context: RequestContext) {
  const { challenge, passkey } = await verifyRegistration(input.response, 'admin-setup');
  const pending = challenge.data as { userId: string; email: string; displayName: string };
  await db().transaction(async (tx) => {
    const spent = await spendToken(tx, input.token, ADMIN_LINKS, pending.userId);
    if (!spent) throw new AppError('setup_token_invalid', 'setup_link_invalid');
    // Admins belong to no organization and hold no keys: they can open nothing.
    await tx.insert(users).values({ id: pending.userId, email: pending.email, displayName: pending.displayName, isPlatformAdmin: true, lastSignInAt: new Date() });
    await insertPasskey(tx, pending.userId, passkey, input.passkeyName);
    await recordAudit({ action: 'admin.created', outcome: 'success', actorUserId: pending.userId, credentialId: passkey.id, objectType: 'user', objectId: pending.userId, reason: spent === 'first-admin' ? 'setup_link' : 'invitation' }, context, tx);
    await startSession(pending.userId, passkey.id, context, tx);
  });
  return { userId: pending.userId };
}
