import { json, parseJson, requestContext, route } from '@/lib/server/http';
import { verifyEmail } from '@/lib/server/notifications';
import { verifyEmailSchema } from '@/lib/shared/schemas/notifications';

/** Opens a confirmation link. The token alone proves the mailbox: no session is needed. */
export const POST = route(async (request) => {
  const { token } = await parseJson(request, verifyEmailSchema);
  return json(await verifyEmail(token, requestContext(request).ip ?? 'unknown'));
});
