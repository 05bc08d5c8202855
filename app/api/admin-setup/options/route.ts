import { beginAdminSetup } from '@/lib/server/admin-setup';
import { authRoute } from '@/lib/server/auth-route';
import { json, parseJson } from '@/lib/server/http';
import { adminSetupOptionsRequestSchema } from '@/lib/shared/schemas/auth';

export const POST = authRoute('admin.setup_options', async (request) => {
  const input = await parseJson(request, adminSetupOptionsRequestSchema);
  return json(await beginAdminSetup(input));
});
