import { createProvisionalOrg, listProvisionalOrgs } from '@/lib/server/claims';
import { json, parseJson, requestContext, route, uuidParams } from '@/lib/server/http';
import { requireMemberSession } from '@/lib/server/sessions';
import { createProvisionalOrgRequestSchema } from '@/lib/shared/schemas/claim';

/** The supplier's customers without an account (DESIGN §11), with the sealed notes that re-make their links. */
export const GET = route<{ id: string }>(async (_request, { params }) => {
  const session = await requireMemberSession();
  const { id } = await params;
  return json({ customers: await listProvisionalOrgs(session, id) });
}, { params: uuidParams('id') });

/** Stores a provisional org the supplier's browser made; the claim secret stays in that browser. */
export const POST = route<{ id: string }>(async (request, { params }) => {
  const session = await requireMemberSession();
  const { id } = await params;
  const input = await parseJson(request, createProvisionalOrgRequestSchema);
  return json(await createProvisionalOrg(session, id, input, requestContext(request)), { status: 201 });
}, { params: uuidParams('id'), maxBytes: 32 * 1024, rateLimit: { bucket: 'provisional', limit: 30 } });
