import { recordAudit } from '@/lib/server/audit';
import { json, requestContext, route } from '@/lib/server/http';
import { endSession } from '@/lib/server/sessions';

export const POST = route(async (request) => {
  const userId = await endSession();
  if (userId) await recordAudit({ action: 'account.sign_out', outcome: 'success', actorUserId: userId }, requestContext(request));
  return json({ ok: true });
});
