import { AppError } from '@/lib/server/errors';
import { env } from '@/lib/server/env';
import { json, readBinaryBody, route } from '@/lib/server/http';
import { requireMemberSession } from '@/lib/server/sessions';
import { putPart } from '@/lib/server/uploads';
import { uuidSchema } from '@/lib/shared/schemas/common';
import { PART_BYTES } from '@/lib/shared/upload';

type Params = { id: string; fileId: string; index: string };

export const PUT = route<Params>(async (request, { params }) => {
  const session = await requireMemberSession();
  const { id, fileId, index } = await params;
  if (!uuidSchema.safeParse(id).success || !uuidSchema.safeParse(fileId).success || !/^\d{1,6}$/.test(index)) {
    throw new AppError('bad_request', 'part_address_invalid');
  }
  const data = await readBinaryBody(request, PART_BYTES);
  await putPart(session, id, fileId, Number(index), data);
  return json({ ok: true });
}, { body: 'binary', maxBytes: PART_BYTES, rateLimit: { bucket: 'parts', limit: () => env().PART_RATE_LIMIT_PER_MINUTE } });
