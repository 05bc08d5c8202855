import { authRoute } from '@/lib/server/auth-route';
import { json, parseJson, route } from '@/lib/server/http';
import { completeAddPasskey, listPasskeys } from '@/lib/server/passkeys';
import { requireSession } from '@/lib/server/sessions';
import { addPasskeyRequestSchema } from '@/lib/shared/schemas/auth';

export const GET = route(async () => json({ passkeys: await listPasskeys(await requireSession()) }));

// A registration ceremony like sign-up and recovery: rate-limited, and every refusal audited.
export const POST = authRoute('passkey.add', async (request, context) => {
  const session = await requireSession();
  const input = await parseJson(request, addPasskeyRequestSchema);
  return json(await completeAddPasskey(session, input, context), { status: 201 });
});
