import { z } from 'zod';
import { json, parseJson, requestContext, route } from '@/lib/server/http';
import { removePasskey, renamePasskey } from '@/lib/server/passkeys';
import { requireSession } from '@/lib/server/sessions';
import { renamePasskeyRequestSchema } from '@/lib/shared/schemas/auth';

type Params = { id: string };

/** Credential ids are base64url of at most 1,023 bytes (WebAuthn); anything else names no passkey. */
const passkeyParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,1400}$/) });

export const PATCH = route<Params>(async (request, { params }) => {
  const session = await requireSession();
  const { name } = await parseJson(request, renamePasskeyRequestSchema);
  await renamePasskey(session, (await params).id, name, requestContext(request));
  return json({ ok: true });
}, { params: passkeyParams });

export const DELETE = route<Params>(async (request, { params }) => {
  await removePasskey(await requireSession(), (await params).id, requestContext(request));
  return json({ ok: true });
}, { params: passkeyParams });
