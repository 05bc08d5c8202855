import { requireAdmin } from '@/lib/server/admin/access';
import { listUsers } from '@/lib/server/admin/users';
import { AppError } from '@/lib/server/errors';
import { json, route } from '@/lib/server/http';
import { userSearchSchema } from '@/lib/shared/schemas/admin';

export const GET = route(async (request) => {
  await requireAdmin();
  const query = userSearchSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw new AppError('bad_request', 'admin_search_invalid');
  return json({ users: await listUsers(query.data.q) });
});
