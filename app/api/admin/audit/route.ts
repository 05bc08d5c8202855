import { listAuditEntries } from '@/lib/server/admin/audit';
import { requireAdmin } from '@/lib/server/admin/access';
import { AppError } from '@/lib/server/errors';
import { json, route } from '@/lib/server/http';
import { auditQuerySchema } from '@/lib/shared/schemas/admin';

export const GET = route(async (request) => {
  // Checked before parsing, so a non-admin learns nothing from a validation error either.
  await requireAdmin();
  const query = auditQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw new AppError('bad_request', 'admin_filters_invalid', { issues: query.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  return json(await listAuditEntries(query.data));
});
