import { getKeyring, putKeyring } from '@/lib/server/accounts';
import { json, parseJson, route } from '@/lib/server/http';
import { requireSession } from '@/lib/server/sessions';
import { keyringPutRequestSchema } from '@/lib/shared/schemas/invoice';

export const GET = route(async () => json(await getKeyring(await requireSession())));

export const PUT = route(async (request) => {
  const session = await requireSession();
  const input = await parseJson(request, keyringPutRequestSchema);
  return json(await putKeyring(session, input));
});
