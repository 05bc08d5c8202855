import { completeSignUp } from '@/lib/server/accounts';
import { authRoute } from '@/lib/server/auth-route';
import { json, parseJson } from '@/lib/server/http';
import { signUpVerifyRequestSchema } from '@/lib/shared/schemas/auth';

export const POST = authRoute('account.sign_up', async (request, context) => {
  const input = await parseJson(request, signUpVerifyRequestSchema);
  return json(await completeSignUp(input, context), { status: 201 });
});
