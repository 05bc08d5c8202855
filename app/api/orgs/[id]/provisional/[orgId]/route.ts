import { updateProvisionalOrg } from '@/lib/server/claims';
import { json, parseJson, requestContext, route, uuidParams } from '@/lib/server/http';
import { requireMemberSession } from '@/lib/server/sessions';
import { updateProvisionalOrgRequestSchema } from '@/lib/shared/schemas/claim';

/** The supplier revokes a claim link, or renews an expired one. */
export const PATCH = route<{ id: string; orgId: string }>(async (request, { params }) => {
  const session = await requireMemberSession();
  const { id, orgId } = await params;
  const { action } = await parseJson(request, updateProvisionalOrgRequestSchema);
  return json(await updateProvisionalOrg(session, id, orgId, action, requestContext(request)));
}, { params: uuidParams('id', 'orgId') });
