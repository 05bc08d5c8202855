import { completeAdminSetup } from '@/lib/server/admin-setup';
import { authRoute } from '@/lib/server/auth-route';
import { json, parseJson } from '@/lib/server/http';
import { adminSetupVerifyRequestSchema } from '@/lib/shared/schemas/auth';

export const POST = authRoute('admin.setup', async (request, context) => {
  const input = await parseJson(request, adminSetupVerifyRequestSchema);
  return json(await completeAdminSetup(input, context), { status: 201 });
});
