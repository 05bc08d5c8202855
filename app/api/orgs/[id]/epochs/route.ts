import { json, route } from '@/lib/server/http';
import { orgEpochs } from '@/lib/server/org-members';
import { pathId } from '@/lib/server/org-route';
import { requireMemberSession } from '@/lib/server/sessions';

/** Every epoch's public keys, sealed private keys and epoch-chain link, for members. */
export const GET = route<{ id: string }>(async (_request, { params }) => {
  const session = await requireMemberSession();
  return json({ epochs: await orgEpochs(session, await pathId(params, 'org_not_found')) });
});
