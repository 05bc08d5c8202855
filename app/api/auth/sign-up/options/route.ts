import { beginSignUp } from '@/lib/server/accounts';
import { authRoute } from '@/lib/server/auth-route';
import { json, parseJson, requestContext } from '@/lib/server/http';
import { signUpOptionsRequestSchema } from '@/lib/shared/schemas/auth';

export const POST = authRoute('account.sign_up_options', async (request) => {
  const input = await parseJson(request, signUpOptionsRequestSchema);
  return json(await beginSignUp(input, requestContext(request)));
});
