import { getKeyring, putKeyring } from '@/lib/server/accounts';
import { json, parseJson, route } from '@/lib/server/http';
import { requireMemberSession } from '@/lib/server/sessions';
import { keyringPutRequestSchema } from '@/lib/shared/schemas/invoice';

export const GET = route(async () => json(await getKeyring(await requireMemberSession())));

export const PUT = route(async (request) => {
  const session = await requireMemberSession();
  const input = await parseJson(request, keyringPutRequestSchema);
  return json(await putKeyring(session, input));
}, { maxBytes: 512 * 1024 });
