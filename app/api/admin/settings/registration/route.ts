import { requireAdmin } from '@/lib/server/admin/access';
import { setRegistrationMode } from '@/lib/server/admin/settings';
import { json, parseJson, requestContext, route } from '@/lib/server/http';
import { registrationRequestSchema } from '@/lib/shared/schemas/admin';

export const PUT = route(async (request) => {
  await requireAdmin();
  const { registration } = await parseJson(request, registrationRequestSchema);
  return json(await setRegistrationMode(registration, requestContext(request)));
});
