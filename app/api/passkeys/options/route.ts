import { authRoute } from '@/lib/server/auth-route';
import { json } from '@/lib/server/http';
import { beginAddPasskey } from '@/lib/server/passkeys';
import { requireSession } from '@/lib/server/sessions';

export const POST = authRoute('passkey.add_options', async () => json(await beginAddPasskey(await requireSession())));
