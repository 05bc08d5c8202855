import 'server-only';
import { and, asc, count, eq, sql } from 'drizzle-orm';
import { listIndexSegments, organizations } from '@/lib/db/schema';
import { LIST_INDEX_MAX_SEGMENTS, LIST_INDEX_SEGMENT_MAX_RECORDS, type ListIndexSegmentsDto } from '@/lib/shared/schemas/list-index';
import { db } from './db';
import { AppError } from './errors';
import { requireRole } from './orgs';
import type { CurrentSession } from './sessions';

async function currentEpoch(orgId: string): Promise<number> {
  const [org] = await db().select({ epoch: organizations.currentKeyVersion }).from(organizations).where(eq(organizations.id, orgId));
  if (!org) throw new AppError('not_found', 'org_not_found');
  return org.epoch;
}

/**
 * The org's list-index segments of its current epoch (DESIGN §6), for a member. Segments of older
 * epochs are not served: a removed member knows those epochs' secrets, so a client trusts only
 * segments sealed under the current one (it checks that itself; this only saves it the bytes).
 */
export async function listSegments(session: CurrentSession, orgId: string): Promise<ListIndexSegmentsDto> {
  await requireRole(session, orgId, 'invoice.read');
  const epoch = await currentEpoch(orgId);
  const rows = await db()
    .select({ segmentId: listIndexSegments.segmentId, recordCount: listIndexSegments.recordCount, size: sql<number>`octet_length(${listIndexSegments.ciphertext})::int` })
    .from(listIndexSegments)
    .where(and(eq(listIndexSegments.orgId, orgId), eq(listIndexSegments.epoch, epoch)))
    .orderBy(asc(listIndexSegments.createdAt), asc(listIndexSegments.segmentId));
  return { epoch, segments: rows.map((r) => ({ segmentId: r.segmentId, recordCount: r.recordCount, size: Number(r.size) })) };
}

/** One segment's ciphertext, or null when the org has no such segment in its current epoch. */
export async function readSegment(session: CurrentSession, orgId: string, segmentId: string): Promise<Uint8Array | null> {
  await requireRole(session, orgId, 'invoice.read');
  const epoch = await currentEpoch(orgId);
  const [row] = await db()
    .select({ ciphertext: listIndexSegments.ciphertext })
    .from(listIndexSegments)
    .where(and(eq(listIndexSegments.orgId, orgId), eq(listIndexSegments.epoch, epoch), eq(listIndexSegments.segmentId, segmentId)));
  return row?.ciphertext ?? null;
}

/**
 * Appends a segment a member's client sealed (the server cannot read or check its contents; the
 * record count is what the client declared). Only under the org's current epoch: a client seals
 * with the current OS, and one that is behind a rotation must reload first. A segment id is
 * written once: appending it again is a conflict, never a replacement.
 */
export async function appendSegment(session: CurrentSession, input: { orgId: string; epoch: number; segmentId: string; recordCount: number; ciphertext: Uint8Array }): Promise<void> {
  await requireRole(session, input.orgId, 'invoice.read');
  if (input.recordCount > LIST_INDEX_SEGMENT_MAX_RECORDS) throw new AppError('bad_request', 'list_index_query_invalid');
  if ((await currentEpoch(input.orgId)) !== input.epoch) throw new AppError('conflict', 'org_keys_changed');
  const [held] = await db().select({ n: count() }).from(listIndexSegments).where(eq(listIndexSegments.orgId, input.orgId));
  if ((held?.n ?? 0) >= LIST_INDEX_MAX_SEGMENTS) throw new AppError('limit_reached', 'list_index_full', { params: { count: LIST_INDEX_MAX_SEGMENTS } });
  const stored = await db().insert(listIndexSegments).values({ ...input, createdByUserId: session.userId }).onConflictDoNothing().returning({ segmentId: listIndexSegments.segmentId });
  if (!stored.length) throw new AppError('conflict', 'list_index_segment_exists');
}
