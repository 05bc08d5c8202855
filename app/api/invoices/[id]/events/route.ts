import { AppError } from '@/lib/server/errors';
import { json, parseJson, requestContext, route } from '@/lib/server/http';
import { appendInvoiceEvent, listInvoiceEvents } from '@/lib/server/invoice-events';
import { requireMemberSession } from '@/lib/server/sessions';
import { uuidSchema } from '@/lib/shared/schemas/common';
import { appendEventRequestSchema } from '@/lib/shared/schemas/invoice-event';

async function invoiceId(params: Promise<{ id: string }>): Promise<string> {
  const { id } = await params;
  if (!uuidSchema.safeParse(id).success) throw new AppError('not_found', 'invoice_not_found');
  return id;
}

/** The invoice's signed history, for members of its supplier or customer organization. */
export const GET = route<{ id: string }>(async (_request, { params }) => {
  const session = await requireMemberSession();
  return json(await listInvoiceEvents(session, await invoiceId(params)));
});

/** Appends one signed event: 201 when recorded, 200 with the stored event when it is a retry. */
export const POST = route<{ id: string }>(async (request, { params }) => {
  const session = await requireMemberSession();
  const id = await invoiceId(params);
  const input = await parseJson(request, appendEventRequestSchema);
  const { event, created } = await appendInvoiceEvent(session, id, input, requestContext(request));
  return json({ event }, { status: created ? 201 : 200 });
});
