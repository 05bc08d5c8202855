import 'server-only';
import type { ErrorReason } from '@/lib/shared/i18n';
import { uuidSchema } from '@/lib/shared/schemas/common';
import { AppError } from './errors';

/** A path id that is not a UUID is answered like an id that does not exist. */
export async function pathId(params: Promise<{ id: string }>, notFound: ErrorReason): Promise<string> {
  const { id } = await params;
  if (!uuidSchema.safeParse(id).success) throw new AppError('not_found', notFound);
  return id;
}
