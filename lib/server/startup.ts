import 'server-only';
import { writeFileSync } from 'node:fs';
import { issueFirstAdminSetupLink } from './admin-setup';
import { database } from './db';
import { env } from './env';
import { log } from './log';
import { startMailWorker } from './notifications';
import { pruneExpired, schedulePruning } from './prune';
import { collectOrphanedBlobs } from './uploads';

export async function startUp(): Promise<void> {
  let config;
  try {
    config = env();
  } catch (error) {
    // A bad configuration stops the server with a message naming the variable.
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  const handle = database();
  await handle.migrate();
  await pruneExpired();
  await collectOrphanedBlobs();
  startMailWorker();
  schedulePruning();
  log('info', 'server.started', { database: handle.kind, blobStore: config.BLOB_STORE, origin: config.ORIGIN, rpId: config.RP_ID });
  const link = await issueFirstAdminSetupLink();
  if (link) {
    // Printed only to the console of whoever started the server; the token is stored hashed.
    console.log(`\nNo platform administrator yet. Open this one-time link to create one (valid 24 hours):\n  ${link}\n`);
    if (config.SETUP_LINK_FILE) writeFileSync(config.SETUP_LINK_FILE, `${link}\n`, { mode: 0o600 });
  }
}
