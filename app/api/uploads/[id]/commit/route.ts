import { json, parseJson, requestContext, route, uuidParams } from '@/lib/server/http';
import { requireMemberSession } from '@/lib/server/sessions';
import { commitUpload } from '@/lib/server/uploads';
import { commitUploadRequestSchema } from '@/lib/shared/schemas/invoice';

export const POST = route<{ id: string }>(async (request, { params }) => {
  const session = await requireMemberSession();
  const input = await parseJson(request, commitUploadRequestSchema);
  return json(await commitUpload(session, (await params).id, input, requestContext(request)), { status: 201 });
}, { params: uuidParams('id'), maxBytes: 256 * 1024 });
