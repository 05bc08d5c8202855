import { AppError } from '@/lib/server/errors';
import { json, readBinaryBody, route, uuidParams } from '@/lib/server/http';
import { appendSegment, readSegment } from '@/lib/server/list-index';
import { requireMemberSession } from '@/lib/server/sessions';
import { LIST_INDEX_SEGMENT_MAX_BYTES, appendSegmentQuerySchema } from '@/lib/shared/schemas/list-index';

type Params = { id: string; segmentId: string };

/** One sealed list-index segment; the member's browser opens it (DESIGN §6). */
export const GET = route<Params>(async (_request, { params }) => {
  const session = await requireMemberSession();
  const { id, segmentId } = await params;
  const ciphertext = await readSegment(session, id, segmentId);
  if (!ciphertext) throw new AppError('not_found', 'list_index_segment_not_found');
  return new Response(ciphertext.slice(), {
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(ciphertext.byteLength), 'cache-control': 'no-store' },
  });
}, { params: uuidParams('id', 'segmentId') });

/** Appends a segment a member's browser sealed; an existing segment id is a conflict, never replaced. */
export const PUT = route<Params>(async (request, { params }) => {
  const session = await requireMemberSession();
  const { id, segmentId } = await params;
  const query = appendSegmentQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw new AppError('bad_request', 'list_index_query_invalid');
  const ciphertext = await readBinaryBody(request, LIST_INDEX_SEGMENT_MAX_BYTES);
  await appendSegment(session, { orgId: id, segmentId, epoch: query.data.epoch, recordCount: query.data.records, ciphertext });
  return json({ ok: true }, { status: 201 });
}, { body: 'binary', maxBytes: LIST_INDEX_SEGMENT_MAX_BYTES, params: uuidParams('id', 'segmentId') });
