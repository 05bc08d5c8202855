import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

export interface BenchServer {
  kind: 'pglite' | 'postgres';
  baseURL: string;
  pid: number;
  /** PGlite data directory or PostgreSQL URL of the bench's own database. */
  location: string;
  builtAt: string;
  stop(): Promise<void>;
}

/** The benches measure the production build; they never build it themselves. */
export function requireBuild(): string {
  const buildId = path.join('.next', 'BUILD_ID');
  if (!existsSync(buildId)) throw new Error('No production build in .next/: run `npx next build` first (the benches measure the built app).');
  return statSync(buildId).mtime.toISOString();
}

async function waitForHealth(baseURL: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the bench server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${baseURL}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the bench server did not answer ${baseURL}/api/health within ${timeoutMs / 1000} s`);
}

/**
 * Starts the built app through scripts/e2e-server.mjs on a fresh database: a new PGlite directory,
 * or a new uniquely named database on the PostgreSQL server in TEST_DATABASE_URL (dropped on stop).
 * With `database` (PostgreSQL only), on the database of that name, which is kept on stop: made
 * afresh, or with `reuse` served as it is (a seeded database kept between runs, bench/inbox.ts).
 */
export async function startBenchServer(kind: 'pglite' | 'postgres', port: number, keep?: { database: string; reuse: boolean }): Promise<BenchServer> {
  const builtAt = requireBuild();
  const run = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  let location: string;
  if (keep && kind !== 'postgres') throw new Error('only a PostgreSQL bench database is kept between runs');
  if (kind === 'postgres') {
    const base = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const url = new URL(base);
    url.pathname = `/${keep?.database ?? `zkinvoice_bench_${run}`}`;
    location = url.toString();
  } else {
    location = mkdtempSync(path.join(tmpdir(), 'zkinvoice-bench-'));
  }
  const baseURL = `http://localhost:${port}`;
  // BENCH_SERVER_NODE_ARGS (e.g. --cpu-prof) profiles the server while a bench drives it.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, 'scripts/e2e-server.mjs', kind, String(port), location], {
    env: { ...process.env, ...(keep?.reuse ? { E2E_KEEP_DATA: '1' } : {}), LOG_LEVEL: 'warn', TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForHealth(baseURL, child, 120_000);
  return {
    kind,
    baseURL,
    pid: child.pid!,
    location,
    builtAt,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (kind === 'pglite') {
        rmSync(location, { recursive: true, force: true });
        return;
      }
      if (keep) return;
      const admin = postgres(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists "${new URL(location).pathname.slice(1)}" with (force)`);
      await admin.end();
    },
  };
}
