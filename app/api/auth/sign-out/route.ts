import { recordAudit } from '@/lib/server/audit';
import { json, requestContext, route } from '@/lib/server/http';
import { endSession } from '@/lib/server/sessions';

export const POST = route(async (request) => {
  const ended = await endSession();
  if (ended) {
    await recordAudit({ action: 'account.sign_out', outcome: 'success', actorUserId: ended.userId, credentialId: ended.credentialId, objectType: 'session', objectId: ended.sessionId }, requestContext(request));
  }
  return json({ ok: true });
});
