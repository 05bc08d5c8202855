import { json, parseJson, route } from '@/lib/server/http';
import { storeFastKeys } from '@/lib/server/invoices';
import { requireMemberSession } from '@/lib/server/sessions';
import { storeFastKeysRequestSchema } from '@/lib/shared/schemas/invoice';

/** Fast-path copies of many invoices' DEKs for one org (DESIGN §6), in one request. */
export const PUT = route(async (request) => {
  const session = await requireMemberSession();
  await storeFastKeys(session, await parseJson(request, storeFastKeysRequestSchema));
  return json({ ok: true });
}, { maxBytes: 512 * 1024 });
