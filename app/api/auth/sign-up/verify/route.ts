import { completeSignUp } from '@/lib/server/accounts';
import { authRoute } from '@/lib/server/auth-route';
import { json, parseJson } from '@/lib/server/http';
import { currentLocale } from '@/lib/server/i18n';
import { isMailLocale } from '@/lib/shared/i18n/mail';
import { signUpVerifyRequestSchema } from '@/lib/shared/schemas/auth';

export const POST = authRoute('account.sign_up', async (request, context) => {
  const input = await parseJson(request, signUpVerifyRequestSchema);
  const { locale } = await currentLocale();
  return json(await completeSignUp({ ...input, locale: isMailLocale(locale) ? locale : null }, context), { status: 201 });
});
