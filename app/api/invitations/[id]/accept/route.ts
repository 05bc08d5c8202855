import { json, parseJson, requestContext, route } from '@/lib/server/http';
import { acceptInvitation } from '@/lib/server/org-members';
import { pathId } from '@/lib/server/org-route';
import { enforceRateLimit } from '@/lib/server/rate-limit';
import { AppError } from '@/lib/server/errors';
import { requireSession } from '@/lib/server/sessions';
import { acceptInvitationRequestSchema } from '@/lib/shared/schemas/org';

/** Stores the invitee's doubly signed acceptance; an owner or admin confirms it from their browser. */
export const POST = route<{ id: string }>(async (request, { params }) => {
  // An account made on the join page accepts before it saves its recovery key (the fragment's
  // secret lives only in that page); accepting grants nothing, and the portal still asks for the
  // recovery key before the account can use any organization.
  const session = await requireSession();
  if (session.isPlatformAdmin) throw new AppError('not_found', 'admin_has_no_invoices');
  const inviteId = await pathId(params, 'invitation_not_found');
  await enforceRateLimit(`invitation-accept:${session.userId}`, 20);
  const input = await parseJson(request, acceptInvitationRequestSchema);
  await acceptInvitation(session, inviteId, input, requestContext(request));
  return json({ ok: true }, { status: 201 });
});
