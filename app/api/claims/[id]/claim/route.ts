import { claimProvisionalOrg } from '@/lib/server/claims';
import { json, parseJson, requestContext, route, uuidParams } from '@/lib/server/http';
import { requireMemberSession } from '@/lib/server/sessions';
import { claimRequestSchema } from '@/lib/shared/schemas/claim';

/** The signed-in user claims the provisional org: `claim` + `rotate`, signed in its browser. */
export const POST = route<{ id: string }>(async (request, { params }) => {
  const session = await requireMemberSession();
  const { id } = await params;
  const input = await parseJson(request, claimRequestSchema);
  return json(await claimProvisionalOrg(session, id, input, requestContext(request)), { status: 201 });
}, { params: uuidParams('id'), maxBytes: 64 * 1024, rateLimit: { bucket: 'claim', limit: 20 } });
