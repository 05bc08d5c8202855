import 'server-only';
import { eq, lt } from 'drizzle-orm';
import { webauthnChallenges, type Ceremony } from '@/lib/db/schema';
import { db } from './db';
import { AppError } from './errors';

export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export interface StoredChallenge {
  challenge: string;
  ceremony: Ceremony;
  userId: string | null;
  sessionId: string | null;
  data: Record<string, unknown>;
}

export async function storeChallenge(challenge: string, ceremony: Ceremony, binding: { userId?: string; sessionId?: string; data?: Record<string, unknown> } = {}): Promise<void> {
  await db().insert(webauthnChallenges).values({
    challenge,
    ceremony,
    userId: binding.userId ?? null,
    sessionId: binding.sessionId ?? null,
    data: binding.data ?? {},
    expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
  });
  // Expired challenges of abandoned ceremonies are removed as new ones are made.
  await db().delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, new Date()));
}

/** Reads the challenge the browser signed over, from clientDataJSON (base64url JSON). */
export function challengeFromClientData(clientDataJSON: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
    if (parsed && typeof parsed === 'object' && 'challenge' in parsed && typeof parsed.challenge === 'string') return parsed.challenge;
  } catch {
    // fall through to the typed error
  }
  throw new AppError('bad_request', 'passkey_response_malformed');
}

/**
 * Consumes a challenge atomically (DELETE … RETURNING) before any verification, so a response can
 * be verified at most once. It must belong to the expected ceremony and not have expired.
 */
export async function consumeChallenge(challenge: string, ceremony: Ceremony): Promise<StoredChallenge> {
  const [row] = await db().delete(webauthnChallenges).where(eq(webauthnChallenges.challenge, challenge)).returning();
  if (!row) throw new AppError('challenge_invalid', 'challenge_unknown');
  if (row.ceremony !== ceremony) throw new AppError('challenge_invalid', 'challenge_wrong_step');
  if (row.expiresAt.getTime() < Date.now()) throw new AppError('challenge_invalid', 'challenge_expired');
  return { challenge: row.challenge, ceremony: row.ceremony, userId: row.userId, sessionId: row.sessionId, data: row.data };
}
