import { claimFileStream } from '@/lib/server/claims';
import { parseJson, requestContext, route, uuidParams } from '@/lib/server/http';
import { claimProofSchema } from '@/lib/shared/schemas/claim';

/**
 * The stored ciphertext of one document of an invoice sent to a provisional org, for a guest who
 * proves claimAuth; the guest's browser decrypts it. POST, so the proof travels in the body and
 * never in a URL or a log line.
 */
export const POST = route<{ id: string; invoiceId: string; fileId: string }>(async (request, { params }) => {
  const { id, invoiceId, fileId } = await params;
  const { claimAuth } = await parseJson(request, claimProofSchema);
  const { stream, size } = await claimFileStream(id, claimAuth, invoiceId, fileId, requestContext(request));
  return new Response(stream, {
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(size), 'cache-control': 'no-store' },
  });
}, { params: uuidParams('id', 'invoiceId', 'fileId'), rateLimit: { bucket: 'claim-files', limit: 600 } });
