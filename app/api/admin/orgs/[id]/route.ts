import { requireAdmin } from '@/lib/server/admin/access';
import { getOrgDetail } from '@/lib/server/admin/orgs';
import { AppError } from '@/lib/server/errors';
import { json, route } from '@/lib/server/http';
import { uuidSchema } from '@/lib/shared/schemas/common';

export const GET = route<{ id: string }>(async (_request, { params }) => {
  await requireAdmin();
  const id = uuidSchema.safeParse((await params).id);
  const organization = id.success ? await getOrgDetail(id.data) : null;
  if (!organization) throw new AppError('not_found', 'org_not_found');
  return json({ organization });
});
