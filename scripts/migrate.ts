// `npm run db:migrate`: applies the SQL migrations in drizzle/ to DATABASE_URL, or to the embedded
// PGlite database when it is unset (the server also does this at start-up).
import { openDatabase } from '../lib/db/client';

const databaseUrl = process.env.DATABASE_URL || undefined;
const handle = openDatabase({ databaseUrl, pgliteDataDir: process.env.PGLITE_DATA_DIR || './.data/pglite' });
try {
  await handle.migrate();
  console.log(`Migrations applied (${handle.kind}).`);
} finally {
  await handle.close();
}
