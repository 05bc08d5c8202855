import { AppError } from '@/lib/server/errors';
import { json, route } from '@/lib/server/http';
import { listCompactBounds, listInvoices, listInvoicesByIds, listInvoicesCompact } from '@/lib/server/invoices';
import { requireMemberSession } from '@/lib/server/sessions';
import { listInvoicesQuerySchema } from '@/lib/shared/schemas/invoice';

export const GET = route(async (request) => {
  const session = await requireMemberSession();
  const query = listInvoicesQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw new AppError('bad_request', 'invoice_query_invalid');
  const { box, orgId, counterpartyOrgId, limit, after, until, view, ids } = query.data;
  // A cursor without a page size is not a query this endpoint answers, nor is a compact list that is
  // not paged, nor ids mixed with paging or a counterparty, nor a range end outside a compact list.
  if (after && !limit) throw new AppError('bad_request', 'invoice_query_invalid');
  if (until && view !== 'compact') throw new AppError('bad_request', 'invoice_query_invalid');
  if (ids) {
    if (limit || view === 'compact' || counterpartyOrgId) throw new AppError('bad_request', 'invoice_query_invalid');
    return json(await listInvoicesByIds(session, box, orgId, ids));
  }
  if (view === 'bounds') {
    if (!limit || after || counterpartyOrgId) throw new AppError('bad_request', 'invoice_query_invalid');
    return json(await listCompactBounds(session, box, orgId, limit));
  }
  if (view === 'compact') {
    if (!limit || counterpartyOrgId) throw new AppError('bad_request', 'invoice_query_invalid');
    // Binary (lib/shared/list-chunk.ts); octet-stream is not compressed: ids and hashes are random bytes.
    const chunk = await listInvoicesCompact(session, box, orgId, { after, until, limit });
    return new Response(chunk, { headers: { 'content-type': 'application/octet-stream', 'content-length': String(chunk.byteLength), 'cache-control': 'no-store' } });
  }
  return json(await listInvoices(session, box, orgId, counterpartyOrgId, limit ? { after, limit } : undefined));
});
