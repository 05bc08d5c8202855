import { openClaim } from '@/lib/server/claims';
import { json, parseJson, requestContext, route, uuidParams } from '@/lib/server/http';
import { claimProofSchema } from '@/lib/shared/schemas/claim';

/**
 * A guest with a claim link proves claimAuth and gets the provisional org's chain and sealed keys
 * (which only the claim secret, and the access code if one was set, open). No account needed.
 * POST, so the proof travels in the body and never in a URL or a log line.
 */
export const POST = route<{ id: string }>(async (request, { params }) => {
  const { id } = await params;
  const { claimAuth } = await parseJson(request, claimProofSchema);
  return json(await openClaim(id, claimAuth, requestContext(request)));
}, { params: uuidParams('id'), rateLimit: { bucket: 'claim-open', limit: 60 } });
