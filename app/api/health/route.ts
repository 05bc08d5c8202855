import { sql } from 'drizzle-orm';
import { database } from '@/lib/server/db';
import { json, route } from '@/lib/server/http';
import packageJson from '@/package.json';

export const dynamic = 'force-dynamic';

export const GET = route(async () => {
  const handle = database();
  try {
    await handle.db.execute(sql`select 1`);
  } catch {
    return json({ status: 'error', database: handle.kind, version: packageJson.version }, { status: 503 });
  }
  return json({ status: 'ok', database: handle.kind, version: packageJson.version });
});
