import { claimInvoiceEvents } from '@/lib/server/claims';
import { json, parseJson, requestContext, route, uuidParams } from '@/lib/server/http';
import { claimProofSchema } from '@/lib/shared/schemas/claim';

/**
 * The signed history of an invoice sent to a provisional org, for a guest who proves claimAuth; the
 * guest's browser verifies it against the supplier's keys the link names. POST only for the proof
 * in the body (never in a URL or a log line); nothing is appended here.
 */
export const POST = route<{ id: string; invoiceId: string }>(async (request, { params }) => {
  const { id, invoiceId } = await params;
  const { claimAuth } = await parseJson(request, claimProofSchema);
  return json(await claimInvoiceEvents(id, claimAuth, invoiceId, requestContext(request)));
}, { params: uuidParams('id', 'invoiceId'), rateLimit: { bucket: 'claim-events', limit: 300 } });
