import { json, requestContext, route } from '@/lib/server/http';
import { getInvitation } from '@/lib/server/org-members';
import { pathId } from '@/lib/server/org-route';
import { enforceRateLimit } from '@/lib/server/rate-limit';
import { currentSession } from '@/lib/server/sessions';

/** What a join link's page shows; open to a visitor who is not signed in yet (the id is unguessable). */
export const GET = route<{ id: string }>(async (request, { params }) => {
  await enforceRateLimit(`invitation-lookup:${requestContext(request).ip ?? 'unknown'}`, 60);
  return json(await getInvitation(await currentSession(), await pathId(params, 'invitation_not_found')));
});
