import { completeReauth } from '@/lib/server/accounts';
import { authRoute } from '@/lib/server/auth-route';
import { json, parseJson } from '@/lib/server/http';
import { requireSession } from '@/lib/server/sessions';
import { reauthVerifyRequestSchema } from '@/lib/shared/schemas/auth';

export const POST = authRoute('account.reauth', async (request, context) => {
  const session = await requireSession();
  const input = await parseJson(request, reauthVerifyRequestSchema);
  return json(await completeReauth(session, input, context));
});
