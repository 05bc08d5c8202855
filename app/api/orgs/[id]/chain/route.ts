import { json, parseJson, requestContext, route } from '@/lib/server/http';
import { appendToChain } from '@/lib/server/org-members';
import { pathId } from '@/lib/server/org-route';
import { enforceRateLimit } from '@/lib/server/rate-limit';
import { requireMemberSession } from '@/lib/server/sessions';
import { appendChainRequestSchema } from '@/lib/shared/schemas/org';

/** Appends signed membership links (an owner's or admin's browser made and signed them). */
export const POST = route<{ id: string }>(async (request, { params }) => {
  const session = await requireMemberSession();
  const orgId = await pathId(params, 'org_not_found');
  await enforceRateLimit(`org-chain:${session.userId}`, 60);
  const input = await parseJson(request, appendChainRequestSchema);
  return json(await appendToChain(session, orgId, input, requestContext(request)), { status: 201 });
  // A rotation carries a grant and a certificate per remaining member (about 1 KiB each).
}, { maxBytes: 1024 * 1024 });
