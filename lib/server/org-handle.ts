import 'server-only';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { organizations } from '@/lib/db/schema';
import { db } from './db';

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * A shareable organization handle: a readable slug plus a random suffix, so handles cannot be
 * enumerated from company names (there is no directory of organizations).
 */
export async function generateOrgHandle(orgName: string): Promise<string> {
  const slug = orgName.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().toLowerCase().replace(/[\s_-]+/g, '-').slice(0, 24).replace(/-+$/, '') || 'org';
  for (;;) {
    const suffix = Array.from(randomBytes(6), (b) => ALPHABET[b % ALPHABET.length]).join('');
    const handle = `${slug}-${suffix}`;
    const [taken] = await db().select({ id: organizations.id }).from(organizations).where(eq(organizations.handle, handle));
    if (!taken) return handle;
  }
}
