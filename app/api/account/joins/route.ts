import { json, route } from '@/lib/server/http';
import { pendingJoins } from '@/lib/server/org-members';
import { requireMemberSession } from '@/lib/server/sessions';

/** Organizations whose invitation this user accepted and that have not confirmed it yet. */
export const GET = route(async () => json({ joins: await pendingJoins(await requireMemberSession()) }));
