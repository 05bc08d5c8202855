import 'server-only';
import { lt, or } from 'drizzle-orm';
import { rateLimits, sessions, webauthnChallenges } from '@/lib/db/schema';
import { describeError } from './failures';
import { db } from './db';
import { env } from './env';
import { log } from './log';
import { collectAbandonedUploads } from './uploads';

/** Rate-limit windows are at most a day long; a row is kept a little past its window's end. */
const RATE_LIMIT_RETENTION_MS = 25 * 60 * 60 * 1000;

export interface PruneReport {
  challenges: number;
  sessions: number;
  rateLimits: number;
  uploads: number;
}

/**
 * Deletes what has no use any more (DESIGN §9): challenges of abandoned ceremonies, sessions past
 * their absolute or idle expiry (revoked ones included: they end by then at the latest), rate-limit
 * rows of windows long closed, and uploads that expired unfinished, with their stored blobs.
 * Idempotent, so every instance may run it on its own schedule.
 */
export async function pruneExpired(now = new Date()): Promise<PruneReport> {
  const idleCutoff = new Date(now.getTime() - env().SESSION_IDLE_SECONDS * 1000);
  const challenges = await db().delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, now)).returning({ challenge: webauthnChallenges.challenge });
  const ended = await db().delete(sessions).where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, idleCutoff))).returning({ id: sessions.id });
  const windows = await db().delete(rateLimits).where(lt(rateLimits.windowStart, new Date(now.getTime() - RATE_LIMIT_RETENTION_MS))).returning({ key: rateLimits.key });
  const uploads = await collectAbandonedUploads(now);
  const report = { challenges: challenges.length, sessions: ended.length, rateLimits: windows.length, uploads };
  if (Object.values(report).some((n) => n > 0)) log('info', 'prune.done', { ...report });
  return report;
}

/** Runs pruneExpired every PRUNE_INTERVAL_SECONDS in this instance; the timer never keeps the process alive. */
export function schedulePruning(): void {
  const timer = setInterval(() => {
    pruneExpired().catch((error: unknown) => log('error', 'prune.failed', describeError(error)));
  }, env().PRUNE_INTERVAL_SECONDS * 1000);
  timer.unref();
}
