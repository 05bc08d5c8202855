import { getSettings } from '@/lib/server/admin/settings';
import { json, route } from '@/lib/server/http';

export const GET = route(async () => json({ settings: await getSettings() }));
