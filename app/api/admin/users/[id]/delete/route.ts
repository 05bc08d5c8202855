import { requireAdmin } from '@/lib/server/admin/access';
import { deleteAccount, previewAccountDeletion } from '@/lib/server/admin/account-deletion';
import { AppError } from '@/lib/server/errors';
import { json, parseJson, requestContext, route } from '@/lib/server/http';
import { deleteAccountRequestSchema } from '@/lib/shared/schemas/admin';
import { uuidSchema } from '@/lib/shared/schemas/common';

/** What deleting would do (organizations suspended or kept, invoices signed), for the confirmation. */
export const GET = route<{ id: string }>(async (_request, { params }) => {
  await requireAdmin();
  const id = uuidSchema.safeParse((await params).id);
  const preview = id.success ? await previewAccountDeletion(id.data) : null;
  if (!preview) throw new AppError('not_found', 'delete_not_possible');
  return json({ preview });
});

export const POST = route<{ id: string }>(async (request, { params }) => {
  await requireAdmin();
  const id = uuidSchema.safeParse((await params).id);
  if (!id.success) throw new AppError('not_found', 'user_not_found');
  const { confirmEmail } = await parseJson(request, deleteAccountRequestSchema);
  return json(await deleteAccount(id.data, confirmEmail, requestContext(request)));
});
