import { requireAdmin } from '@/lib/server/admin/access';
import { setOrgQuota } from '@/lib/server/admin/orgs';
import { AppError } from '@/lib/server/errors';
import { json, parseJson, requestContext, route } from '@/lib/server/http';
import { orgQuotaRequestSchema } from '@/lib/shared/schemas/admin';
import { uuidSchema } from '@/lib/shared/schemas/common';

export const PUT = route<{ id: string }>(async (request, { params }) => {
  await requireAdmin();
  const id = uuidSchema.safeParse((await params).id);
  if (!id.success) throw new AppError('not_found', 'org_not_found');
  const { quotaBytes } = await parseJson(request, orgQuotaRequestSchema);
  return json(await setOrgQuota(id.data, quotaBytes, requestContext(request)));
});
