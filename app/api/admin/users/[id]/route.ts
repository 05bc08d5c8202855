import { requireAdmin } from '@/lib/server/admin/access';
import { getUserDetail } from '@/lib/server/admin/users';
import { AppError } from '@/lib/server/errors';
import { json, route } from '@/lib/server/http';
import { uuidSchema } from '@/lib/shared/schemas/common';

export const GET = route<{ id: string }>(async (_request, { params }) => {
  await requireAdmin();
  const id = uuidSchema.safeParse((await params).id);
  const user = id.success ? await getUserDetail(id.data) : null;
  if (!user) throw new AppError('not_found', 'user_not_found');
  return json({ user });
});
