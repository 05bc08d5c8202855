import { requireAdmin } from '@/lib/server/admin/access';
import { createInvitation } from '@/lib/server/admin/settings';
import { json, parseJson, requestContext, route } from '@/lib/server/http';
import { invitationRequestSchema } from '@/lib/shared/schemas/admin';

export const POST = route(async (request) => {
  await requireAdmin();
  const { kind } = await parseJson(request, invitationRequestSchema);
  return json({ invitation: await createInvitation(kind, requestContext(request)) }, { status: 201 });
});
