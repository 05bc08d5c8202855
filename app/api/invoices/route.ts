import { AppError } from '@/lib/server/errors';
import { json, route } from '@/lib/server/http';
import { listInvoices } from '@/lib/server/invoices';
import { requireMemberSession } from '@/lib/server/sessions';
import { listInvoicesQuerySchema } from '@/lib/shared/schemas/invoice';

export const GET = route(async (request) => {
  const session = await requireMemberSession();
  const query = listInvoicesQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw new AppError('bad_request', 'invoice_query_invalid');
  const { box, orgId, counterpartyOrgId, limit, after } = query.data;
  // A cursor without a page size is not a query this endpoint answers.
  if (after && !limit) throw new AppError('bad_request', 'invoice_query_invalid');
  return json(await listInvoices(session, box, orgId, counterpartyOrgId, limit ? { after, limit } : undefined));
});
