// `npm run restore -- <backup directory>`: checks every file of a backup against its manifest,
// then restores the database into an empty database (DATABASE_URL) or a new PGLITE_DATA_DIR, and
// the parts into the configured blob store. Start the server afterwards: it applies any newer
// migrations. See lib/server/backup.ts and the README ("Backups").
import path from 'node:path';
import { createConfiguredBlobStore } from '../lib/server/blob-store';
import { restoreBackup } from '../lib/server/backup';
import { parseEnv } from '../lib/server/env';

const source = process.argv[2];
if (!source) {
  console.error('Usage: npm run restore -- <backup directory>');
  process.exit(2);
}
const config = parseEnv(process.env);
const database = config.DATABASE_URL ? { kind: 'postgres' as const, url: config.DATABASE_URL } : { kind: 'pglite' as const, dataDir: path.resolve(config.PGLITE_DATA_DIR) };
try {
  await restoreBackup({ dir: path.resolve(source), database, store: createConfiguredBlobStore(config), log: (m) => console.log(m) });
} catch (error) {
  console.error(`Restore failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
process.exit(0);
