import 'server-only';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { cookies } from 'next/headers';
import { cache } from 'react';
import { sessions, users } from '@/lib/db/schema';
import type { Database } from '@/lib/db/client';
import { db } from './db';
import { env } from './env';
import { AppError } from './errors';
import type { RequestContext } from './http';
import { currentRequestScope } from './request-scope';

export const SESSION_COOKIE = '__Host-zkinvoice-session';
/** A fresh passkey assertion counts for sensitive actions for this long. */
export const REAUTH_WINDOW_MS = 5 * 60 * 1000;
/** lastSeenAt is written at most this often, to keep reads cheap. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export interface CurrentSession {
  sessionId: string;
  userId: string;
  credentialId: string | null;
  reauthAt: Date | null;
  isPlatformAdmin: boolean;
  displayName: string;
  email: string;
  recoveryConfirmed: boolean;
  /** The language notices are written in (users.locale); pages keep it current (lib/server/pages.ts). */
  locale?: 'en' | 'de' | null;
}

function hashToken(token: string): Uint8Array {
  return createHash('sha256').update(token).digest();
}

/** Starts a session (revoking the one the browser had, if any) and sets the cookie. */
export async function startSession(userId: string, credentialId: string | null, context: RequestContext, executor: Database = db()): Promise<void> {
  const jar = await cookies();
  const previous = jar.get(SESSION_COOKIE)?.value;
  if (previous) await executor.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.tokenHash, hashToken(previous)));

  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  const absoluteMs = env().SESSION_ABSOLUTE_SECONDS * 1000;
  await executor.insert(sessions).values({
    id: randomUUID(),
    tokenHash: hashToken(token),
    userId,
    credentialId,
    expiresAt: new Date(now + absoluteMs),
    reauthAt: credentialId ? new Date(now) : null,
    ip: context.ip,
    userAgent: context.userAgent,
  });
  forgetCachedSession();
  jar.set(SESSION_COOKIE, token, { httpOnly: true, secure: true, sameSite: 'lax', path: '/', maxAge: Math.floor(absoluteMs / 1000) });
}

/**
 * The signed-in user, or null. Looked up once per request however many layers ask: API routes keep
 * it in their request scope (lib/server/request-scope.ts), pages and server components in React's
 * per-render cache.
 */
export function currentSession(): Promise<CurrentSession | null> {
  const scope = currentRequestScope();
  if (!scope) return lookupSessionOnce();
  scope.session ??= lookupSession();
  return scope.session as Promise<CurrentSession | null>;
}

const lookupSessionOnce = cache(lookupSession);

/** A new or ended session makes the request's cached lookup stale. */
function forgetCachedSession(): void {
  const scope = currentRequestScope();
  if (scope) scope.session = undefined;
}

/** Checks revocation, idle and absolute expiry and account state. */
async function lookupSession(): Promise<CurrentSession | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  const [row] = await db()
    .select({
      sessionId: sessions.id,
      userId: sessions.userId,
      credentialId: sessions.credentialId,
      reauthAt: sessions.reauthAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      disabledAt: users.disabledAt,
      isPlatformAdmin: users.isPlatformAdmin,
      displayName: users.displayName,
      email: users.email,
      recoveryConfirmedAt: users.recoveryConfirmedAt,
      locale: users.locale,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hashToken(token)), isNull(sessions.revokedAt)));
  if (!row) return null;
  const now = Date.now();
  const idleMs = env().SESSION_IDLE_SECONDS * 1000;
  if (row.disabledAt || row.expiresAt.getTime() <= now || row.lastSeenAt.getTime() + idleMs <= now) return null;
  if (now - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db().update(sessions).set({ lastSeenAt: new Date(now) }).where(eq(sessions.id, row.sessionId));
  }
  return {
    sessionId: row.sessionId,
    userId: row.userId,
    credentialId: row.credentialId,
    reauthAt: row.reauthAt,
    isPlatformAdmin: row.isPlatformAdmin,
    displayName: row.displayName,
    email: row.email,
    recoveryConfirmed: row.recoveryConfirmedAt !== null || row.isPlatformAdmin,
    locale: row.locale,
  };
}

export async function requireSession(): Promise<CurrentSession> {
  const session = await currentSession();
  if (!session) throw new AppError('unauthenticated', 'sign_in_required');
  return session;
}

/**
 * For invoice and keyring APIs: an account is usable only once its recovery key was confirmed,
 * and platform admins hold no keys, so they have no business there.
 */
export async function requireMemberSession(): Promise<CurrentSession> {
  const session = await requireSession();
  if (session.isPlatformAdmin) throw new AppError('not_found', 'admin_has_no_invoices');
  if (!session.recoveryConfirmed) throw new AppError('forbidden', 'recovery_unconfirmed');
  return session;
}

/** Sensitive actions need a passkey assertion made within the last few minutes. */
export function requireRecentReauth(session: CurrentSession): void {
  if (!session.reauthAt || Date.now() - session.reauthAt.getTime() > REAUTH_WINDOW_MS) {
    throw new AppError('reauth_required', 'reauth_required');
  }
}

export async function markReauthenticated(sessionId: string): Promise<void> {
  await db().update(sessions).set({ reauthAt: new Date() }).where(eq(sessions.id, sessionId));
}

/** Revokes the browser's session; returns whose it was (for the audit log), or null. */
export async function endSession(): Promise<{ sessionId: string; userId: string; credentialId: string | null } | null> {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  jar.delete({ name: SESSION_COOKIE, path: '/', secure: true, httpOnly: true, sameSite: 'lax' });
  forgetCachedSession();
  if (!token) return null;
  const [row] = await db()
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.tokenHash, hashToken(token)), isNull(sessions.revokedAt)))
    .returning({ sessionId: sessions.id, userId: sessions.userId, credentialId: sessions.credentialId });
  return row ?? null;
}

export async function revokeAllSessions(userId: string, executor: Database = db()): Promise<void> {
  await executor.update(sessions).set({ revokedAt: new Date() }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}
