import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { Database } from '@/lib/db/client';
import { instanceSettings, setupTokens, users, type SetupTokenPurpose } from '@/lib/db/schema';
import type { RegistrationMode } from '@/lib/shared/schemas/admin';
import { db } from './db';
import { env } from './env';

/**
 * One-time links: the first-admin link printed at start-up, admin invitations and sign-up
 * invitations. The token (256 random bits) travels only in the URL fragment, which browsers never
 * send to a server; the server stores its SHA-256, an expiry, and when and by whom it was used.
 */

export const INVITATION_TTL_MS: Record<Exclude<SetupTokenPurpose, 'first-admin'>, number> = {
  'admin-invite': 24 * 3600 * 1000,
  'sign-up-invite': 7 * 24 * 3600 * 1000,
};

export const hashToken = (token: string): Uint8Array => createHash('sha256').update(token).digest();

/** Stores a new link's hash and returns the token, for the URL fragment. */
export async function insertToken(executor: Database, purpose: SetupTokenPurpose, ttlMs: number, createdBy: string | null): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlMs);
  await executor.insert(setupTokens).values({ tokenHash: hashToken(token), purpose, expiresAt, createdBy });
  return { token, expiresAt };
}

export function invitationUrl(purpose: SetupTokenPurpose, token: string): string {
  const path = purpose === 'sign-up-invite' ? '/sign-up' : '/setup/admin';
  return `${env().ORIGIN}${path}#${purpose === 'sign-up-invite' ? 'invitation' : 'token'}=${token}`;
}

/** Whether a link of one of these purposes is unused and unexpired (no side effect). */
export async function isTokenUsable(token: string, purposes: SetupTokenPurpose[]): Promise<boolean> {
  const [row] = await db()
    .select({ tokenHash: setupTokens.tokenHash })
    .from(setupTokens)
    .where(and(eq(setupTokens.tokenHash, hashToken(token)), inArray(setupTokens.purpose, purposes), isNull(setupTokens.usedAt), gt(setupTokens.expiresAt, new Date())));
  return Boolean(row);
}

/**
 * Spends a link inside the transaction that creates the account it was for: of two concurrent
 * uses, one updates the row and the other finds it used. Returns the purpose, or null.
 */
export async function spendToken(tx: Database, token: string, purposes: SetupTokenPurpose[], usedBy: string): Promise<SetupTokenPurpose | null> {
  const [spent] = await tx
    .update(setupTokens)
    .set({ usedAt: new Date(), usedBy })
    .where(and(eq(setupTokens.tokenHash, hashToken(token)), inArray(setupTokens.purpose, purposes), isNull(setupTokens.usedAt), gt(setupTokens.expiresAt, new Date())))
    .returning({ purpose: setupTokens.purpose });
  return spent?.purpose ?? null;
}

/** Open or by invitation; an instance with no settings row is open. */
export async function registrationMode(executor: Database = db()): Promise<RegistrationMode> {
  const [row] = await executor.select({ registration: instanceSettings.registration }).from(instanceSettings).where(eq(instanceSettings.id, true));
  return row?.registration ?? 'open';
}

export async function saveRegistrationMode(tx: Database, mode: RegistrationMode, adminId: string): Promise<void> {
  await tx
    .insert(instanceSettings)
    .values({ id: true, registration: mode, updatedBy: adminId })
    .onConflictDoUpdate({ target: instanceSettings.id, set: { registration: mode, updatedBy: adminId, updatedAt: new Date() } });
}

const INVITATIONS_LISTED = 50;

/** Recent invitations for the settings page: who issued and used them, never a token or hash. */
export async function recentInvitations(): Promise<{ purpose: SetupTokenPurpose; createdAt: Date; expiresAt: Date; usedAt: Date | null; createdByEmail: string | null; usedBy: string | null }[]> {
  return db()
    .select({ purpose: setupTokens.purpose, createdAt: setupTokens.createdAt, expiresAt: setupTokens.expiresAt, usedAt: setupTokens.usedAt, createdByEmail: users.email, usedBy: setupTokens.usedBy })
    .from(setupTokens)
    .leftJoin(users, eq(users.id, setupTokens.createdBy))
    .where(inArray(setupTokens.purpose, ['admin-invite', 'sign-up-invite']))
    .orderBy(desc(setupTokens.createdAt))
    .limit(INVITATIONS_LISTED);
}
