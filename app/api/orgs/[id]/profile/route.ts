import { AppError } from '@/lib/server/errors';
import { json, parseJson, requestContext, route } from '@/lib/server/http';
import { getOrgProfile, putOrgProfile } from '@/lib/server/org-profile';
import { requireMemberSession } from '@/lib/server/sessions';
import { uuidSchema } from '@/lib/shared/schemas/common';
import { putOrgProfileRequestSchema } from '@/lib/shared/schemas/org-profile';

async function orgIdOf(params: Promise<{ id: string }>): Promise<string> {
  const { id } = await params;
  if (!uuidSchema.safeParse(id).success) throw new AppError('not_found', 'org_not_found');
  return id;
}

export const GET = route<{ id: string }>(async (_request, { params }) => json(await getOrgProfile(await requireMemberSession(), await orgIdOf(params))));

export const PUT = route<{ id: string }>(async (request, { params }) => {
  const session = await requireMemberSession();
  const orgId = await orgIdOf(params);
  const input = await parseJson(request, putOrgProfileRequestSchema);
  return json(await putOrgProfile(session, orgId, input, requestContext(request)));
});
