import { AppError } from '@/lib/server/errors';
import { route } from '@/lib/server/http';
import { openFileStream } from '@/lib/server/invoices';
import { requireMemberSession } from '@/lib/server/sessions';
import { uuidSchema } from '@/lib/shared/schemas/common';

/** The stored ciphertext of one document, streamed part by part; the browser decrypts it. */
export const GET = route<{ id: string; fileId: string }>(async (_request, { params }) => {
  const session = await requireMemberSession();
  const { id, fileId } = await params;
  if (!uuidSchema.safeParse(id).success || !uuidSchema.safeParse(fileId).success) throw new AppError('not_found', 'document_not_found');
  const { stream, size } = await openFileStream(session, id, fileId);
  return new Response(stream, {
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(size), 'cache-control': 'no-store' },
  });
});
