import 'server-only';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { setupTokens, users } from '@/lib/db/schema';
import type { RegistrationResponse } from '@/lib/shared/schemas/auth';
import { insertPasskey } from './accounts';
import { recordAudit } from './audit';
import { db } from './db';
import { env } from './env';
import { AppError } from './errors';
import type { RequestContext } from './http';
import { startSession } from './sessions';
import { registrationOptions, verifyRegistration } from './webauthn';

const SETUP_TOKEN_TTL_MS = 24 * 3600 * 1000;
const hashToken = (token: string): Uint8Array => createHash('sha256').update(token).digest();

/**
 * At start-up, while the instance has no platform admin, issues a one-time setup link and returns
 * it for the console. Earlier unused links are invalidated, so only the newest one works.
 */
export async function issueFirstAdminSetupLink(): Promise<string | null> {
  const [admin] = await db().select({ id: users.id }).from(users).where(eq(users.isPlatformAdmin, true)).limit(1);
  if (admin) return null;
  const token = randomBytes(32).toString('base64url');
  await db().transaction(async (tx) => {
    await tx.update(setupTokens).set({ usedAt: new Date() }).where(and(eq(setupTokens.purpose, 'first-admin'), isNull(setupTokens.usedAt)));
    await tx.insert(setupTokens).values({ tokenHash: hashToken(token), purpose: 'first-admin', expiresAt: new Date(Date.now() + SETUP_TOKEN_TTL_MS) });
    await recordAudit({ action: 'admin.setup_link_issued', outcome: 'success' }, { ip: null, userAgent: null }, tx);
  });
  return `${env().ORIGIN}/setup/admin#token=${token}`;
}

async function assertTokenUsable(token: string): Promise<void> {
  const [row] = await db()
    .select({ tokenHash: setupTokens.tokenHash })
    .from(setupTokens)
    .where(and(eq(setupTokens.tokenHash, hashToken(token)), isNull(setupTokens.usedAt), gt(setupTokens.expiresAt, new Date())));
  if (!row) throw new AppError('setup_token_invalid', 'This setup link is invalid, expired or already used. Restart the server to get a new one.');
}

export async function beginAdminSetup(input: { token: string; displayName: string; email: string }) {
  await assertTokenUsable(input.token);
  const [taken] = await db().select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (taken) throw new AppError('conflict', 'An account with this email already exists.');
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
    const [spent] = await tx
      .update(setupTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(setupTokens.tokenHash, hashToken(input.token)), isNull(setupTokens.usedAt), gt(setupTokens.expiresAt, new Date())))
      .returning({ tokenHash: setupTokens.tokenHash });
    if (!spent) throw new AppError('setup_token_invalid', 'This setup link is invalid, expired or already used.');
    // Admins belong to no organization and hold no keys: they can open nothing.
    await tx.insert(users).values({ id: pending.userId, email: pending.email, displayName: pending.displayName, isPlatformAdmin: true, lastSignInAt: new Date() });
    await insertPasskey(tx, pending.userId, passkey, input.passkeyName);
    await recordAudit({ action: 'admin.created', outcome: 'success', actorUserId: pending.userId, credentialId: passkey.id, objectType: 'user', objectId: pending.userId }, context, tx);
    await startSession(pending.userId, passkey.id, context, tx);
  });
  return { userId: pending.userId };
}
