import { z } from 'zod';
import { AppError } from '@/lib/server/errors';
import { json, route } from '@/lib/server/http';
import { invoiceActivity } from '@/lib/server/invoices';
import { requireMemberSession } from '@/lib/server/sessions';

const querySchema = z.object({ orgId: z.uuid() });

/** Unread count and last change of the org's lists; polled by open pages (DESIGN §12). */
export const GET = route(async (request) => {
  const session = await requireMemberSession();
  const query = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw new AppError('bad_request', 'invoice_query_invalid');
  return json(await invoiceActivity(session, query.data.orgId));
});
