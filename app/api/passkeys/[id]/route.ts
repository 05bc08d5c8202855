import { json, parseJson, requestContext, route } from '@/lib/server/http';
import { removePasskey, renamePasskey } from '@/lib/server/passkeys';
import { requireSession } from '@/lib/server/sessions';
import { renamePasskeyRequestSchema } from '@/lib/shared/schemas/auth';

type Params = { id: string };

export const PATCH = route<Params>(async (request, { params }) => {
  const session = await requireSession();
  const { name } = await parseJson(request, renamePasskeyRequestSchema);
  await renamePasskey(session, (await params).id, name, requestContext(request));
  return json({ ok: true });
});

export const DELETE = route<Params>(async (request, { params }) => {
  await removePasskey(await requireSession(), (await params).id, requestContext(request));
  return json({ ok: true });
});
