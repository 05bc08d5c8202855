import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { users } from '@/lib/db/schema';
import type { RegistrationResponse } from '@/lib/shared/schemas/auth';
import { insertPasskey, userPasskeys } from './accounts';
import { recordAudit } from './audit';
import { db } from './db';
import { AppError } from './errors';
import type { RequestContext } from './http';
import { enforceRateLimit } from './rate-limit';
import { enqueueSecurityNotice } from './notifications';
import { revokeAllSessions, startSession } from './sessions';
import { registrationOptions, verifyRegistration } from './webauthn';

const RECOVERY_ATTEMPTS_PER_HOUR = 10;
const RECOVERY_ATTEMPTS_PER_ADDRESS_PER_HOUR = 30;
/**
 * Step one of recovery: the browser proves the recovery key with recoveryAuth (DESIGN §3.2); the
 * server compares its hash and, on success, hands out the recovery-wrapped account key and a
 * registration challenge for a new passkey. Unknown email and wrong key answer alike.
 */
export async function beginRecovery(input: { email: string; recoveryAuth: string }, context: RequestContext) {
  // Limited per client address, and per account from each address: a stranger's failed attempts
  // use up only their own allowance, so they cannot lock the owner out of recovery. A recovery key
  // holds 256 random bits; the limits stop noise, not a guess that cannot succeed anyway.
  const address = context.ip ?? 'unknown';
  await enforceRateLimit(`recovery:ip:${address}`, RECOVERY_ATTEMPTS_PER_ADDRESS_PER_HOUR, 3600);
  await enforceRateLimit(`recovery:account:${input.email}:${address}`, RECOVERY_ATTEMPTS_PER_HOUR, 3600);
  const [user] = await db()
    .select({ id: users.id, displayName: users.displayName, email: users.email, disabledAt: users.disabledAt, authHash: users.recoveryAuthHash, wrapped: users.recoveryWrappedAccountKey })
    .from(users)
    .where(eq(users.email, input.email));
  const presented = createHash('sha256').update(Buffer.from(input.recoveryAuth, 'base64url')).digest();
  if (!user?.authHash || !user.wrapped || !timingSafeEqual(presented, Buffer.from(user.authHash))) {
    throw new AppError('recovery_failed', 'recovery_failed');
  }
  if (user.disabledAt) throw new AppError('account_disabled', 'account_disabled');
  const exclude = await userPasskeys(user.id);
  const options = await registrationOptions('recovery', { id: user.id, email: user.email, displayName: user.displayName }, { exclude });
  return { userId: user.id, options, recoveryWrappedAccountKey: Buffer.from(user.wrapped).toString('base64url') };
}

/** Step two: the new passkey is registered, every old session ends, and a new one starts. */
export async function completeRecovery(input: { response: RegistrationResponse; name: string; wrappedAccountKey?: string }, context: RequestContext) {
  const { challenge, passkey } = await verifyRegistration(input.response, 'recovery');
  const userId = challenge.userId;
  if (!userId) throw new AppError('challenge_invalid', 'recovery_request_invalid');
  await db().transaction(async (tx) => {
    // Checked again under a row lock: the account may have been disabled or deleted since step one.
    const [user] = await tx.select({ disabledAt: users.disabledAt }).from(users).where(eq(users.id, userId)).for('update');
    if (!user || user.disabledAt) throw new AppError('account_disabled', 'account_disabled');
    await insertPasskey(tx, userId, passkey, input.name, input.wrappedAccountKey);
    await revokeAllSessions(userId, tx);
    await recordAudit({ action: 'recovery.used', outcome: 'success', actorUserId: userId, credentialId: passkey.id, reason: 'other_sessions_revoked' }, context, tx);
    await enqueueSecurityNotice(tx, userId, 'recovery_used');
    await startSession(userId, passkey.id, context, tx);
  });
  return { userId, credentialId: passkey.id };
}
