import { claimInvoices } from '@/lib/server/claims';
import { json, parseJson, requestContext, route, uuidParams } from '@/lib/server/http';
import { claimProofSchema } from '@/lib/shared/schemas/claim';

/** The invoices sent to a provisional org, for a guest who proves the claim secret; read-only. */
export const POST = route<{ id: string }>(async (request, { params }) => {
  const { id } = await params;
  const { claimAuth } = await parseJson(request, claimProofSchema);
  return json(await claimInvoices(id, claimAuth, requestContext(request)));
}, { params: uuidParams('id'), rateLimit: { bucket: 'claim-open', limit: 60 } });
