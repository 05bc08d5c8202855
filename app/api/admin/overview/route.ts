import { getOverview } from '@/lib/server/admin/overview';
import { json, route } from '@/lib/server/http';

export const GET = route(async () => json({ overview: await getOverview() }));
