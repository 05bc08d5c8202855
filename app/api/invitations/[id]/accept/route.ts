import { json, parseJson, requestContext, route } from '@/lib/server/http';
import { acceptInvitation } from '@/lib/server/org-members';
import { pathId } from '@/lib/server/org-route';
import { enforceRateLimit } from '@/lib/server/rate-limit';
import { requireMemberSession } from '@/lib/server/sessions';
import { acceptInvitationRequestSchema } from '@/lib/shared/schemas/org';

/** Stores the invitee's doubly signed acceptance; an owner or admin confirms it from their browser. */
export const POST = route<{ id: string }>(async (request, { params }) => {
  const session = await requireMemberSession();
  const inviteId = await pathId(params, 'invitation_not_found');
  await enforceRateLimit(`invitation-accept:${session.userId}`, 20);
  const input = await parseJson(request, acceptInvitationRequestSchema);
  await acceptInvitation(session, inviteId, input, requestContext(request));
  return json({ ok: true }, { status: 201 });
});
