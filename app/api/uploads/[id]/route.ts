import { json, requestContext, route, uuidParams } from '@/lib/server/http';
import { requireMemberSession } from '@/lib/server/sessions';
import { abandonUpload, uploadedParts } from '@/lib/server/uploads';

/** Which parts are stored, so an interrupted upload can resume where it stopped. */
export const GET = route<{ id: string }>(async (_request, { params }) => {
  const session = await requireMemberSession();
  return json({ files: await uploadedParts(session, (await params).id) });
}, { params: uuidParams('id') });

/** Cancels an unfinished upload and deletes its parts at once. */
export const DELETE = route<{ id: string }>(async (request, { params }) => {
  const session = await requireMemberSession();
  await abandonUpload(session, (await params).id, requestContext(request));
  return json({ ok: true });
}, { params: uuidParams('id') });
