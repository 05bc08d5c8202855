import { json, parseJson, route } from '@/lib/server/http';
import { requireMemberSession } from '@/lib/server/sessions';
import { createUpload } from '@/lib/server/uploads';
import { createUploadRequestSchema } from '@/lib/shared/schemas/invoice';

export const POST = route(async (request) => {
  const session = await requireMemberSession();
  const input = await parseJson(request, createUploadRequestSchema);
  return json(await createUpload(session, input), { status: 201 });
});
