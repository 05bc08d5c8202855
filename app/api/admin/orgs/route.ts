import { listOrgs } from '@/lib/server/admin/orgs';
import { json, route } from '@/lib/server/http';

export const GET = route(async () => json({ organizations: await listOrgs() }));
