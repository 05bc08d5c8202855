import { authRoute } from '@/lib/server/auth-route';
import { json, parseJson } from '@/lib/server/http';
import { completeRecovery } from '@/lib/server/recovery';
import { recoveryFinishRequestSchema } from '@/lib/shared/schemas/auth';

export const POST = authRoute('recovery.finish', async (request, context) => {
  const input = await parseJson(request, recoveryFinishRequestSchema);
  return json(await completeRecovery(input, context));
});
