import { json, route } from '@/lib/server/http';
import { orgMembers } from '@/lib/server/org-members';
import { pathId } from '@/lib/server/org-route';
import { requireMemberSession } from '@/lib/server/sessions';

/** The chain, members, open invitations, acceptances waiting for confirmation, and grant holders. */
export const GET = route<{ id: string }>(async (_request, { params }) => {
  const session = await requireMemberSession();
  return json(await orgMembers(session, await pathId(params, 'org_not_found')));
});
