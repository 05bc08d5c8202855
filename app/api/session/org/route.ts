import { json, parseJson, route } from '@/lib/server/http';
import { setActiveOrg } from '@/lib/server/org-members';
import { requireMemberSession } from '@/lib/server/sessions';
import { setActiveOrgRequestSchema } from '@/lib/shared/schemas/org';

/** Chooses the organization this session acts for (the header's switcher). */
export const PUT = route(async (request) => {
  const session = await requireMemberSession();
  const { orgId } = await parseJson(request, setActiveOrgRequestSchema);
  await setActiveOrg(session, orgId);
  return json({ orgId });
});
