import { claimProvisionalOrg } from '@/lib/server/claims';
import { json, parseJson, requestContext, route, uuidParams } from '@/lib/server/http';
import { AppError } from '@/lib/server/errors';
import { requireSession } from '@/lib/server/sessions';
import { claimRequestSchema } from '@/lib/shared/schemas/claim';

/** The signed-in user claims the provisional org: `claim` + `rotate`, signed in its browser. */
export const POST = route<{ id: string }>(async (request, { params }) => {
  // An account made from the claim link claims before it saves its recovery key (the link's secret
  // lives only in that page); the portal still asks for the recovery key before the account can
  // use any organization, as after a sign-up from a join link.
  const session = await requireSession();
  if (session.isPlatformAdmin) throw new AppError('not_found', 'admin_has_no_invoices');
  const { id } = await params;
  const input = await parseJson(request, claimRequestSchema);
  return json(await claimProvisionalOrg(session, id, input, requestContext(request)), { status: 201 });
}, { params: uuidParams('id'), maxBytes: 64 * 1024, rateLimit: { bucket: 'claim', limit: 20 } });
