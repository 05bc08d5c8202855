// `npm run backup -- <directory>`: the database and the blob store of this configuration (the
// same environment as the server: DATABASE_URL or PGLITE_DATA_DIR, BLOB_STORE and its settings)
// into a new directory. See lib/server/backup.ts and the README ("Backups").
import path from 'node:path';
import { createConfiguredBlobStore } from '../lib/server/blob-store';
import { createBackup, discardBackup } from '../lib/server/backup';
import { parseEnv } from '../lib/server/env';

const target = process.argv[2];
if (!target) {
  console.error('Usage: npm run backup -- <new directory>');
  process.exit(2);
}
const config = parseEnv(process.env);
const dir = path.resolve(target);
const database = config.DATABASE_URL ? { kind: 'postgres' as const, url: config.DATABASE_URL } : { kind: 'pglite' as const, dataDir: path.resolve(config.PGLITE_DATA_DIR) };
try {
  await createBackup({ dir, database, store: createConfiguredBlobStore(config), log: (m) => console.log(m) });
} catch (error) {
  console.error(`Backup failed: ${error instanceof Error ? error.message : String(error)}`);
  if (!(error instanceof Error && /not empty/.test(error.message))) await discardBackup(dir);
  process.exit(1);
}
process.exit(0);
