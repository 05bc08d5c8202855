import { rmSync } from 'node:fs';
import postgres from 'postgres';
import { dbTargets } from './targets';

/** Drops the per-run test databases, PGlite directories and blob stores. */
export default async function globalTeardown(): Promise<void> {
  for (const target of dbTargets()) {
    rmSync(target.setupLinkFile, { force: true });
    rmSync(target.serverLog, { force: true });
    rmSync(target.pidFile, { force: true });
    rmSync(`${target.pidFile}.memory.json`, { force: true });
    rmSync(target.blobDir, { recursive: true, force: true });
    rmSync(target.mailDir, { recursive: true, force: true });
    if (target.kind === 'pglite') {
      rmSync(target.location, { recursive: true, force: true });
      if (target.sqlSocket) rmSync(target.sqlSocket, { force: true });
      continue;
    }
    const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${new URL(target.location).pathname.slice(1)}" with (force)`);
    await admin.end();
  }
}
