import { completeSignIn } from '@/lib/server/accounts';
import { authRoute } from '@/lib/server/auth-route';
import { json, parseJson } from '@/lib/server/http';
import { signInVerifyRequestSchema } from '@/lib/shared/schemas/auth';

export const POST = authRoute('account.sign_in', async (request, context) => {
  const { response } = await parseJson(request, signInVerifyRequestSchema);
  return json(await completeSignIn(response, context));
});
