// Starts one end-to-end test server on a fresh database: a new PGlite directory, or a new,
// uniquely named database on the PostgreSQL server in TEST_DATABASE_URL. The build must exist.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { startServer } from './server.mjs';

const [kind, port, target, sqlSocket] = process.argv.slice(2);
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
// Playwright starts this script through a shell, so tests that watch the server's memory
// (e2e/large-document.spec.ts) learn its process id from this file.
if (process.env.E2E_PID_FILE) writeFileSync(process.env.E2E_PID_FILE, String(process.pid));

// PGlite allows one opener of its data directory, and that is this process; so tests that must
// read or change the database (audit rows, an expired challenge) send SQL over this Unix socket
// to the server's own connection (lib/server/db.ts keeps its handle on globalThis). Test servers
// only: the production server has nothing like it.
if (kind === 'pglite' && sqlSocket) {
  const encode = (value) => (value instanceof Uint8Array ? { $bytes: Buffer.from(value).toString('base64') } : value);
  rmSync(sqlSocket, { force: true });
  const bridge = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    try {
      const { sql, params } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const client = globalThis.zkinvoiceDb.db.$client;
      const { rows } = await client.query(sql, params ?? []);
      const body = rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, encode(v)])));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ rows: body }));
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
    }
  });
  await new Promise((resolve) => bridge.listen(sqlSocket, resolve));
  chmodSync(sqlSocket, 0o600);
}
