import 'server-only';
import { and, count, eq, isNull, ne } from 'drizzle-orm';
import { credentials, sessions } from '@/lib/db/schema';
import type { PasskeySummary, RegistrationResponse } from '@/lib/shared/schemas/auth';
import { insertPasskey, userPasskeys } from './accounts';
import { recordAudit } from './audit';
import { enqueueSecurityNotice } from './notifications';
import { db } from './db';
import { AppError } from './errors';
import type { RequestContext } from './http';
import { requireRecentReauth, type CurrentSession } from './sessions';
import { registrationOptions, verifyRegistration } from './webauthn';

export async function listPasskeys(session: CurrentSession): Promise<PasskeySummary[]> {
  const rows = await db()
    .select({
      id: credentials.id,
      name: credentials.name,
      createdAt: credentials.createdAt,
      lastUsedAt: credentials.lastUsedAt,
      backedUp: credentials.backedUp,
      deviceType: credentials.deviceType,
      wrapped: credentials.wrappedAccountKey,
    })
    .from(credentials)
    .where(eq(credentials.userId, session.userId))
    .orderBy(credentials.createdAt);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    backedUp: r.backedUp,
    multiDevice: r.deviceType === 'multiDevice',
    canUnlock: r.wrapped !== null,
    current: r.id === session.credentialId,
  }));
}

/** Adding a passkey needs a passkey assertion from the last few minutes (step-up). */
export async function beginAddPasskey(session: CurrentSession) {
  requireRecentReauth(session);
  const exclude = await userPasskeys(session.userId);
  return registrationOptions('add-passkey', { id: session.userId, email: session.email, displayName: session.displayName }, { sessionId: session.sessionId, exclude });
}

export async function completeAddPasskey(session: CurrentSession, input: { response: RegistrationResponse; name: string; wrappedAccountKey?: string }, context: RequestContext): Promise<{ id: string }> {
  requireRecentReauth(session);
  const { challenge, passkey } = await verifyRegistration(input.response, 'add-passkey');
  if (challenge.sessionId !== session.sessionId) throw new AppError('challenge_invalid', 'passkey_other_session');
  await db().transaction(async (tx) => {
    await insertPasskey(tx, session.userId, passkey, input.name, input.wrappedAccountKey);
    await recordAudit({ action: 'passkey.added', outcome: 'success', actorUserId: session.userId, credentialId: passkey.id }, context, tx);
    await enqueueSecurityNotice(tx, session.userId, 'passkey_added');
  });
  return { id: passkey.id };
}

async function ownPasskey(session: CurrentSession, id: string): Promise<void> {
  const [row] = await db().select({ id: credentials.id }).from(credentials).where(and(eq(credentials.id, id), eq(credentials.userId, session.userId)));
  if (!row) throw new AppError('not_found', 'passkey_not_found');
}

export async function renamePasskey(session: CurrentSession, id: string, name: string, context: RequestContext): Promise<void> {
  await ownPasskey(session, id);
  await db().transaction(async (tx) => {
    await tx.update(credentials).set({ name }).where(and(eq(credentials.id, id), eq(credentials.userId, session.userId)));
    await recordAudit({ action: 'passkey.renamed', outcome: 'success', actorUserId: session.userId, credentialId: id }, context, tx);
  });
}

/** Removes a passkey and its wrapped account key; the last passkey of an account stays. */
export async function removePasskey(session: CurrentSession, id: string, context: RequestContext): Promise<void> {
  requireRecentReauth(session);
  await ownPasskey(session, id);
  await db().transaction(async (tx) => {
    const [row] = await tx.select({ n: count() }).from(credentials).where(eq(credentials.userId, session.userId));
    if ((row?.n ?? 0) <= 1) throw new AppError('last_passkey', 'passkey_last');
    await tx.delete(credentials).where(and(eq(credentials.id, id), eq(credentials.userId, session.userId)));
    // Whoever signed in with it elsewhere (a lost laptop, a thief) is signed out with it. The
    // session making the removal stays: it has just passed a fresh passkey step-up.
    await tx.update(sessions).set({ revokedAt: new Date() }).where(and(eq(sessions.userId, session.userId), eq(sessions.credentialId, id), ne(sessions.id, session.sessionId), isNull(sessions.revokedAt)));
    await recordAudit({ action: 'passkey.removed', outcome: 'success', actorUserId: session.userId, credentialId: id }, context, tx);
    await enqueueSecurityNotice(tx, session.userId, 'passkey_removed');
  });
}
