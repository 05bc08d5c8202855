import { AppError } from '@/lib/server/errors';
import { env } from '@/lib/server/env';
import { json, route } from '@/lib/server/http';
import { requireMemberSession } from '@/lib/server/sessions';
import { putPart } from '@/lib/server/uploads';
import { uuidSchema } from '@/lib/shared/schemas/common';
import { PART_BYTES } from '@/lib/shared/upload';

type Params = { id: string; fileId: string; index: string };

/** The request body's chunks as they arrive; an aborted request ends the iteration with an error. */
async function* bodyChunks(request: Request): AsyncGenerator<Uint8Array> {
  if (!request.body) return;
  const reader = request.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stopped early (a part too long): the rest of the body is not read.
    reader.cancel().catch(() => {});
  }
}

/**
 * Stores one ciphertext part. The body is not buffered: it streams to the blob store as it
 * arrives (putPart counts and hashes it on the way). This route is outside proxy.ts's matcher,
 * because a proxy makes Next.js buffer every request body whole before the route sees it; the
 * response headers the proxy would add are set here.
 */
export const PUT = route<Params>(async (request, { params }) => {
  const session = await requireMemberSession();
  const { id, fileId, index } = await params;
  if (!uuidSchema.safeParse(id).success || !uuidSchema.safeParse(fileId).success || !/^\d{1,6}$/.test(index)) {
    throw new AppError('bad_request', 'part_address_invalid');
  }
  // route() refuses another media type or a declared length over one part before this runs;
  // putPart refuses a body that turns out longer or shorter than the part while it streams.
  await putPart(session, id, fileId, Number(index), bodyChunks(request));
  return json({ ok: true }, { headers: { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cross-origin-resource-policy': 'same-origin', 'cache-control': 'no-store' } });
}, { body: 'binary', maxBytes: PART_BYTES, rateLimit: { bucket: 'parts', limit: () => env().PART_RATE_LIMIT_PER_MINUTE } });
