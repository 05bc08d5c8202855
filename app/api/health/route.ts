import { json, route } from '@/lib/server/http';
import packageJson from '@/package.json';

export const dynamic = 'force-dynamic';

/**
 * Liveness: the process answers. It does not touch the database or the blob store, so an outage
 * there does not get healthy instances restarted; GET /api/ready is the check for those.
 */
export const GET = route(async () => json({ status: 'ok', version: packageJson.version }));
