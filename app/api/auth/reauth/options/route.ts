import { beginReauth } from '@/lib/server/accounts';
import { authRoute } from '@/lib/server/auth-route';
import { json, parseJson } from '@/lib/server/http';
import { requireSession } from '@/lib/server/sessions';
import { reauthOptionsRequestSchema } from '@/lib/shared/schemas/auth';

export const POST = authRoute('account.reauth_options', async (request) => {
  const session = await requireSession();
  const { credentialId } = await parseJson(request, reauthOptionsRequestSchema);
  return json(await beginReauth(session, credentialId));
});
