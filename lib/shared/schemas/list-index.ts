import { z } from 'zod';

/**
 * The per-org encrypted list index (DESIGN §6): the server stores sealed segments and serves them
 * back; these bound what it accepts. A record is ~215 bytes, so a full segment is ~2 MiB.
 */
export const LIST_INDEX_SEGMENT_MAX_RECORDS = 10_000;
export const LIST_INDEX_SEGMENT_MAX_BYTES = 4 * 1024 * 1024;
/** Each list open appends at most a few segments; past this the org's index is full (limit_reached). */
export const LIST_INDEX_MAX_SEGMENTS = 2_000;

/** PUT /api/orgs/<orgId>/list-index/<segmentId>?epoch=…&records=… with the sealed segment as the body. */
export const appendSegmentQuerySchema = z.object({
  epoch: z.coerce.number().int().positive(),
  records: z.coerce.number().int().min(1).max(LIST_INDEX_SEGMENT_MAX_RECORDS),
});

export const listIndexSegmentsSchema = z.object({
  epoch: z.number().int().positive(),
  segments: z.array(z.object({ segmentId: z.uuid(), recordCount: z.number().int().nonnegative(), size: z.number().int().nonnegative() })),
});
export type ListIndexSegmentsDto = z.infer<typeof listIndexSegmentsSchema>;
