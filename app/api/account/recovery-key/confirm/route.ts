import { confirmRecoveryKey } from '@/lib/server/accounts';
import { json, requestContext, route } from '@/lib/server/http';
import { requireSession } from '@/lib/server/sessions';

export const POST = route(async (request) => {
  await confirmRecoveryKey(await requireSession(), requestContext(request));
  return json({ ok: true });
});
