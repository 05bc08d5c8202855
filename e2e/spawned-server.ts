import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

/**
 * An app server of a test's own (scripts/e2e-server.mjs), for tests that stop, kill or multiply
 * servers and so cannot use the shared one of their project: a fresh PGlite directory, or a fresh
 * database on TEST_DATABASE_URL's server, and a fresh blob directory unless `env` names a store.
 */
export interface SpawnedServer {
  readonly url: string;
  readonly location: string;
  readonly blobDir: string;
  readonly child: ChildProcess;
  /** Everything the server wrote so far, stdout and stderr, as lines. */
  lines(): string[];
  /** Resolves with the first line (already written or to come) matching `pattern`. */
  waitForLine(pattern: RegExp): Promise<string>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the process if it still runs and removes its data (database and directories). */
  dispose(): Promise<void>;
}

export interface SpawnOptions {
  kind: 'pglite' | 'postgres';
  port: number;
  /** A database to share with another spawned server (its `location`); fresh by default. */
  location?: string;
  env?: Record<string, string>;
  /** Keeps the data on dispose (the server is restarted on it later). */
  keepData?: boolean;
  /** The blob directory of an earlier server to start on again (fresh by default). */
  blobDir?: string;
  /** Another build's directory (e2e/release-build.ts) to run its scripts/e2e-server.mjs; this checkout by default. */
  cwd?: string;
  /** The path that answers 200 once the server can serve: /api/ready, or /api/health for releases without it. */
  readyPath?: string;
}

let counter = 0;

export function freshLocation(kind: 'pglite' | 'postgres'): string {
  if (kind === 'pglite') return mkdtempSync(path.join(tmpdir(), 'zkinvoice-spawned-'));
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/zkinvoice_e2e_${process.env.ZKINVOICE_E2E_RUN}_s${process.pid}_${counter++}`;
  return url.toString();
}

export async function dropLocation(kind: 'pglite' | 'postgres', location: string): Promise<void> {
  if (kind === 'pglite') return rmSync(location, { recursive: true, force: true });
  const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${new URL(location).pathname.slice(1)}" with (force)`);
  await admin.end();
}

export async function spawnServer(options: SpawnOptions): Promise<SpawnedServer> {
  const location = options.location ?? freshLocation(options.kind);
  const blobDir = options.blobDir ?? mkdtempSync(path.join(tmpdir(), 'zkinvoice-spawned-blobs-'));
  // Mail stays in a directory of its own (no SMTP server for these), never in the working tree.
  const outboxDir = mkdtempSync(path.join(tmpdir(), 'zkinvoice-spawned-outbox-'));
  const env: NodeJS.ProcessEnv = { ...process.env, BLOB_DIR: blobDir, OUTBOX_DIR: outboxDir, LOG_LEVEL: 'info', ...options.env };
  // Not the wrapper that copies output to a file, not the shared server's pid or setup files.
  for (const name of ['SERVER_LOG_FILE', 'E2E_PID_FILE', 'SETUP_LINK_FILE', 'ZKINVOICE_E2E_SERVER_CHILD']) delete env[name];
  // A server on earlier or shared data must not wipe it (scripts/e2e-server.mjs starts fresh).
  if (options.location) env.E2E_KEEP_DATA = '1';
  const child = spawn(process.execPath, ['scripts/e2e-server.mjs', options.kind, String(options.port), location], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let partial = '';
  const take = (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      output.push(line);
      for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://localhost:${options.port}`;

  const server: SpawnedServer = {
    url,
    location,
    blobDir,
    child,
    lines: () => [...output],
    waitForLine(pattern) {
      const found = output.find((line) => pattern.test(line));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void exited.then(() => reject(new Error(`the server exited before writing ${pattern}:\n${output.slice(-20).join('\n')}`)));
      });
    },
    exited,
    async dispose() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(outboxDir, { recursive: true, force: true });
      if (!options.keepData && !options.blobDir) rmSync(blobDir, { recursive: true, force: true });
      if (!options.keepData && !options.location) await dropLocation(options.kind, location);
    },
  };

  // Ready means migrated and both stores answering; the first request runs the start-up.
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited at start-up:\n${output.slice(-20).join('\n')}`);
    const ready = await fetch(`${url}${options.readyPath ?? '/api/ready'}`).then((r) => r.status === 200, () => false);
    if (ready) return server;
    if (Date.now() - started > 120_000) {
      await server.dispose();
      throw new Error(`the server was not ready within 120 s:\n${output.slice(-20).join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
