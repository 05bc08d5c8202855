import { tmpdir } from 'node:os';
import path from 'node:path';

/** Where each e2e project's server keeps its data, so tests can inspect the database directly. */
export interface DbTarget {
  kind: 'pglite' | 'postgres';
  port: number;
  /** PGlite data directory, or the PostgreSQL URL of the test database. */
  location: string;
  /** The server writes its one-time first-admin setup link here. */
  setupLinkFile: string;
  /** The server's blob store (BLOB_DIR): document ciphertext, which tests read and tamper with (e2e/blobs.ts). */
  blobDir: string;
  /** The server writes its process id here, so a test can watch its memory (e2e/server-memory.ts). */
  pidFile: string;
  /** PGlite only: the Unix socket where the test server answers SQL on its own connection (e2e/db.ts). */
  sqlSocket?: string;
  /** Everything the server process writes to stdout and stderr (scripts/e2e-server.mjs), for log scans. */
  serverLog: string;
  /** The test SMTP server this target's app sends to (scripts/e2e-smtp.mjs), and where it keeps each message. */
  smtpPort: number;
  mailDir: string;
}

// The config is evaluated in the runner and again in every worker; the run id is fixed in the
// runner's environment first, so all of them agree on the same names.
process.env.ZKINVOICE_E2E_RUN ??= `${Date.now().toString(36)}${process.pid.toString(36)}`;
const run = process.env.ZKINVOICE_E2E_RUN;

function postgresUrl(): string | null {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return null;
  const url = new URL(base);
  url.pathname = `/zkinvoice_e2e_${run}`;
  return url.toString();
}

/** The bearer token the e2e servers require at GET /api/metrics (e2e/operations.spec.ts). */
export const E2E_METRICS_TOKEN = 'e2e-metrics-token-0123456789abcdef0123456789';

/** E2E_PORT_BASE lets two runs on one machine use different ports. */
const PORT_BASE = Number(process.env.E2E_PORT_BASE ?? 3100);

/**
 * A port for a server a spec starts itself (e2e/spawned-server.ts): `slot` is the spec's own
 * number (operations 10, instances 20, faults 30…), plus one per database kind, so specs that run
 * at once on both projects never collide; all within E2E_PORT_BASE..+99.
 */
export function spawnedPort(slot: number, kind: 'pglite' | 'postgres', instance = 0): number {
  return PORT_BASE + slot + (kind === 'postgres' ? 5 : 0) + instance;
}

/** The public origin's port of the two-instance project (e2e/instances.spec.ts): its test proxy. */
export const INSTANCES_PROXY_PORT = spawnedPort(20, 'postgres', 2);

export function dbTargets(): DbTarget[] {
  const file = (kind: string, suffix: string) => path.join(tmpdir(), `zkinvoice-e2e-${run}-${kind}.${suffix}`);
  const targets: DbTarget[] = [
    { kind: 'pglite', port: PORT_BASE + 1, location: path.join(tmpdir(), `zkinvoice-e2e-${run}`), setupLinkFile: file('pglite', 'link'), blobDir: file('pglite', 'blobs'), serverLog: file('pglite', 'log'), pidFile: file('pglite', 'pid'), sqlSocket: file('pglite', 'sock'), smtpPort: PORT_BASE + 41, mailDir: file('pglite', 'mail') },
  ];
  const url = postgresUrl();
  if (url) targets.push({ kind: 'postgres', port: PORT_BASE + 2, location: url, setupLinkFile: file('postgres', 'link'), blobDir: file('postgres', 'blobs'), serverLog: file('postgres', 'log'), pidFile: file('postgres', 'pid'), smtpPort: PORT_BASE + 42, mailDir: file('postgres', 'mail') });
  return targets;
}
