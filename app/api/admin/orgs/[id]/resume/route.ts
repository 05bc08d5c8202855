import { requireAdmin } from '@/lib/server/admin/access';
import { setOrgSuspended } from '@/lib/server/admin/orgs';
import { AppError } from '@/lib/server/errors';
import { json, requestContext, route } from '@/lib/server/http';
import { uuidSchema } from '@/lib/shared/schemas/common';

export const POST = route<{ id: string }>(async (request, { params }) => {
  await requireAdmin();
  const id = uuidSchema.safeParse((await params).id);
  if (!id.success) throw new AppError('not_found', 'org_not_found');
  return json(await setOrgSuspended(id.data, false, requestContext(request)));
});
