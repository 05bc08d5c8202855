import { requireAdmin } from '@/lib/server/admin/access';
import { setUserDisabled } from '@/lib/server/admin/users';
import { AppError } from '@/lib/server/errors';
import { json, requestContext, route } from '@/lib/server/http';
import { uuidSchema } from '@/lib/shared/schemas/common';

export const POST = route<{ id: string }>(async (request, { params }) => {
  await requireAdmin();
  const id = uuidSchema.safeParse((await params).id);
  if (!id.success) throw new AppError('not_found', 'user_not_found');
  return json(await setUserDisabled(id.data, false, requestContext(request)));
});
