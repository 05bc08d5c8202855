import { json, parseJson, route, uuidParams } from '@/lib/server/http';
import { storeFastKey } from '@/lib/server/invoices';
import { requireMemberSession } from '@/lib/server/sessions';
import { storeFastKeyRequestSchema } from '@/lib/shared/schemas/invoice';

export const PUT = route<{ id: string }>(async (request, { params }) => {
  const session = await requireMemberSession();
  const input = await parseJson(request, storeFastKeyRequestSchema);
  await storeFastKey(session, (await params).id, input);
  return json({ ok: true });
}, { params: uuidParams('id') });
