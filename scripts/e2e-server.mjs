// Starts one end-to-end test server on a fresh database: a new PGlite directory, or a new,
// uniquely named database on the PostgreSQL server in TEST_DATABASE_URL. The build must exist.
import { spawn } from 'node:child_process';
import { chmodSync, createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

// With SERVER_LOG_FILE, the server runs as a child of this process, which copies the child's
// stdout and stderr byte for byte both to its own (Playwright shows them) and to that file, so
// tests can search everything the server wrote, from any thread and by any means (e2e/targets.ts).
// Playwright stops a web server by killing its process group, which includes the child.
const logFile = process.env.SERVER_LOG_FILE;
if (logFile && !process.env.ZKINVOICE_E2E_SERVER_CHILD) {
  const log = createWriteStream(logFile, { mode: 0o600 });
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    env: { ...process.env, ZKINVOICE_E2E_SERVER_CHILD: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk) => {
    log.write(chunk);
    process.stdout.write(chunk);
  });
  child.stderr.on('data', (chunk) => {
    log.write(chunk);
    process.stderr.write(chunk);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => log.end(() => process.exit(code ?? (signal ? 1 : 0))));
} else {
  await serve(...process.argv.slice(2));
}

async function serve(kind, port, target, sqlSocket) {
  // E2E_KEEP_DATA=1: a second instance on the same data, or a restart (e2e/spawned-server.ts).
  const keep = process.env.E2E_KEEP_DATA === '1';
  if (kind === 'postgres' && keep) {
    process.env.DATABASE_URL = target;
  } else if (kind === 'postgres') {
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
  // A fresh blob store too, like the database (e2e/targets.ts names it; tests read it).
  if (process.env.BLOB_DIR && !keep) rmSync(process.env.BLOB_DIR, { recursive: true, force: true });
  // Behind a test proxy (e2e/instances.spec.ts) the public origin is the proxy's.
  process.env.ORIGIN = process.env.E2E_ORIGIN || `http://localhost:${port}`;
  process.env.PORT = port;
  // Tests give each simulated client its own address through X-Forwarded-For.
  process.env.TRUST_PROXY = 'true';
  const { startServer } = await import('./server.mjs');
  await startServer({ port: Number(port), hostname: 'localhost' });
  // Tests that watch the server's memory (e2e/large-document.spec.ts) learn the process id of the
  // process that serves (the child, when logging) from this file.
  if (process.env.E2E_PID_FILE) {
    writeFileSync(process.env.E2E_PID_FILE, String(process.pid));
    recordMemory(`${process.env.E2E_PID_FILE}.memory.json`);
  }

  // PGlite allows one opener of its data directory, and that is this process; so tests that must
  // read or change the database (audit rows, an expired challenge) send SQL over this Unix socket
  // to the server's own connection (lib/server/db.ts keeps its handle on globalThis). Test servers
  // only: the production server has nothing like it.
  if (kind === 'pglite' && sqlSocket) {
    const encode = (value) => (value instanceof Uint8Array ? { $bytes: Buffer.from(value).toString('base64') } : value);
    const decode = (value) => (value !== null && typeof value === 'object' && typeof value.$bytes === 'string' ? new Uint8Array(Buffer.from(value.$bytes, 'base64')) : value);
    rmSync(sqlSocket, { force: true });
    const bridge = createServer(async (req, res) => {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      try {
        const { sql, params } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const client = globalThis.zkinvoiceDb.db.$client;
        const { rows } = await client.query(sql, (params ?? []).map(decode));
        const body = rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, encode(v)])));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ rows: body }));
      } catch (error) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
      }
    });
    await new Promise((resolve) => bridge.listen(sqlSocket, resolve));
    chmodSync(sqlSocket, 0o600);
  }
}

// Where the memory goes, for the test that bounds it: RSS alone cannot tell V8's heap from Buffers
// or from PGlite's WebAssembly memory (which grows and never shrinks). Rewritten every 100 ms with
// the current values; e2e/server-memory.ts reads it beside /proc. Test servers only.
function recordMemory(file) {
  const timer = setInterval(() => {
    const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    const wasm = globalThis.zkinvoiceDb?.db?.$client?.mod?.HEAPU8?.byteLength ?? 0;
    writeFileSync(file, JSON.stringify({ rss, heapUsed, heapTotal, external, arrayBuffers, wasm }));
  }, 100);
  timer.unref();
}
