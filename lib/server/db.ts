import 'server-only';
import { openDatabase, type DatabaseHandle } from '@/lib/db/client';
import { env } from './env';

// One handle per process, kept on globalThis so dev-mode module reloads reuse it
// (PGlite allows a single opener of its data directory).
const holder = globalThis as unknown as { zkinvoiceDb?: DatabaseHandle };

export function database(): DatabaseHandle {
  if (!holder.zkinvoiceDb) {
    const config = env();
    holder.zkinvoiceDb = openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDataDir: config.PGLITE_DATA_DIR });
  }
  return holder.zkinvoiceDb;
}

export function db(): DatabaseHandle['db'] {
  return database().db;
}
