import { json, route } from '@/lib/server/http';
import { listSegments } from '@/lib/server/list-index';
import { pathId } from '@/lib/server/org-route';
import { requireMemberSession } from '@/lib/server/sessions';

/** The org's list-index segments of its current epoch (ids, record counts, sizes), for members (DESIGN §6). */
export const GET = route<{ id: string }>(async (_request, { params }) => {
  const session = await requireMemberSession();
  return json(await listSegments(session, await pathId(params, 'org_not_found')));
});
