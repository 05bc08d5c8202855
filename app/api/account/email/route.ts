import { json, parseJson, route } from '@/lib/server/http';
import { requestVerification } from '@/lib/server/notifications';
import { requireSession } from '@/lib/server/sessions';
import { requestVerificationSchema } from '@/lib/shared/schemas/notifications';

/** Sends a one-time confirmation link to the account's address, or to a new one it should use. */
export const POST = route(async (request) => {
  const session = await requireSession();
  const { email } = await parseJson(request, requestVerificationSchema);
  return json(await requestVerification(session, email));
});
