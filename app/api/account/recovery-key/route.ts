import { rotateRecoveryKey } from '@/lib/server/accounts';
import { json, parseJson, requestContext, route } from '@/lib/server/http';
import { requireRecentReauth, requireSession } from '@/lib/server/sessions';
import { rotateRecoveryKeyRequestSchema } from '@/lib/shared/schemas/auth';

export const PUT = route(async (request) => {
  const session = await requireSession();
  requireRecentReauth(session);
  const input = await parseJson(request, rotateRecoveryKeyRequestSchema);
  await rotateRecoveryKey(session, input, requestContext(request));
  return json({ ok: true });
});
