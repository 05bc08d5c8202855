// Starts one end-to-end test server on a fresh database: a new PGlite directory, or a new,
// uniquely named database on the PostgreSQL server in TEST_DATABASE_URL. The build must exist.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { startServer } from './server.mjs';

const [kind, port, target] = process.argv.slice(2);
if (kind === 'postgres') {
  const admin = postgres(process.env.TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  const name = new URL(target).pathname.slice(1);
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  process.env.DATABASE_URL = target;
} else {
  process.env.PGLITE_DATA_DIR = target || mkdtempSync(path.join(tmpdir(), 'zkinvoice-e2e-'));
  delete process.env.DATABASE_URL;
}
process.env.ORIGIN = `http://localhost:${port}`;
process.env.PORT = port;
// Tests give each simulated client its own address through X-Forwarded-For.
process.env.TRUST_PROXY = 'true';
await startServer({ port: Number(port), hostname: 'localhost' });
