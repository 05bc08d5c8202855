import { beginSignIn } from '@/lib/server/accounts';
import { authRoute } from '@/lib/server/auth-route';
import { json } from '@/lib/server/http';

export const POST = authRoute('account.sign_in_options', async () => json(await beginSignIn()));
