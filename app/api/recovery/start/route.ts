import { authRoute } from '@/lib/server/auth-route';
import { json, parseJson } from '@/lib/server/http';
import { beginRecovery } from '@/lib/server/recovery';
import { recoveryStartRequestSchema } from '@/lib/shared/schemas/auth';

export const POST = authRoute('recovery.start', async (request, context) => {
  const input = await parseJson(request, recoveryStartRequestSchema);
  return json(await beginRecovery(input, context));
});
