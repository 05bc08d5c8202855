import 'server-only';
import { sql } from 'drizzle-orm';
import { rateLimits } from '@/lib/db/schema';
import { db } from './db';
import { AppError } from './errors';

/**
 * Fixed-window counter kept in the database, so every app instance shares it. The upsert is one
 * statement, so concurrent requests cannot both see the last free slot.
 */
export async function enforceRateLimit(key: string, limit: number, windowSeconds = 60): Promise<void> {
  const windowMs = windowSeconds * 1000;
  const windowStart = new Date(Math.floor(Date.now() / windowMs) * windowMs);
  const [row] = await db()
    .insert(rateLimits)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + 1` } })
    .returning({ count: rateLimits.count });
  if (row && row.count > limit) {
    const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - Date.now()) / 1000));
    throw new AppError('rate_limited', 'rate_limited', {
      headers: { 'retry-after': String(retryAfter) },
    });
  }
}
