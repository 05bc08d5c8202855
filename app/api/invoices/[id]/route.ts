import { AppError } from '@/lib/server/errors';
import { json, route } from '@/lib/server/http';
import { getInvoice } from '@/lib/server/invoices';
import { requireMemberSession } from '@/lib/server/sessions';
import { uuidSchema } from '@/lib/shared/schemas/common';

export const GET = route<{ id: string }>(async (_request, { params }) => {
  const session = await requireMemberSession();
  const { id } = await params;
  if (!uuidSchema.safeParse(id).success) throw new AppError('not_found', 'invoice_not_found');
  return json(await getInvoice(session, id));
});
