import 'server-only';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import packageJson from '@/package.json';
import type { BlobStore, PartKey } from './blob-store-core';

/**
 * `npm run backup` / `npm run restore` (README "Backups"): the database and the blob store
 * together, as one directory:
 *
 *   manifest.json            what is in it, with the SHA-256 of every file
 *   database.pgdump          PostgreSQL: pg_dump's custom format
 *   database.pglite.tar.gz   PGlite: its data directory (PGlite's own dump)
 *   blobs/<upload>/<file>.<n>  every stored ciphertext part the database counts (not with BLOB_STORE=database)
 *
 * Consistency: on PostgreSQL the part index is read in the same snapshot that pg_dump dumps
 * (pg_export_snapshot), so the backup holds exactly the parts its database counts, even while the
 * server runs; a part written later is not in it, a part deleted meanwhile (an abandoned upload's)
 * is left out with a warning. PGlite has one opener: stop the server first (checked).
 * Restore goes into an empty database of the same kind and any blob store (so it also moves
 * documents between BLOB_STORE kinds); the server applies newer migrations when it starts.
 */
export const BACKUP_FORMAT = 'zkinvoice-backup/1';

export type DatabaseLocation = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  appVersion: string;
  database: 'postgres' | 'pglite';
  databaseFile: string;
  /** The store the parts came from; `database` means the parts are inside the database file. */
  blobStore: BlobStore['kind'];
  parts: number;
  partBytes: number;
  /** Relative path → SHA-256 (hex) of every file of the backup except this manifest. */
  files: Record<string, string>;
}

export interface BackupReport {
  manifest: BackupManifest;
  /** Parts the index listed that the store no longer had (uploads deleted while the backup ran). */
  skipped: number;
}

type Log = (message: string) => void;

interface IndexedPart extends PartKey {
  size: number;
  committed: boolean;
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error) => reject(new Error(`${command} could not be started (${error.message}); install the PostgreSQL client tools of your server's major version or set PG_DUMP/PG_RESTORE`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(command)} failed (exit ${code}): ${stderr.trim().slice(0, 2000)}`))));
  });
}

/** A libpq connection string without the password, which goes through PGPASSWORD instead of argv. */
function libpqArgs(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { dbname: parsed.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

const PARTS_QUERY = `select p.upload_id, p.file_id, p.part_index, p.size, (u.committed_at is not null) as committed
  from file_parts p join uploads u on u.id = p.upload_id order by p.upload_id, p.file_id, p.part_index`;

function toParts(rows: Record<string, unknown>[]): IndexedPart[] {
  return rows.map((r) => ({ uploadId: String(r.upload_id), fileId: String(r.file_id), index: Number(r.part_index), size: Number(r.size), committed: Boolean(r.committed) }));
}

async function copyParts(dir: string, parts: IndexedPart[], store: BlobStore, files: Record<string, string>, log: Log): Promise<{ copied: number; bytes: number; skipped: number }> {
  let copied = 0;
  let bytes = 0;
  let skipped = 0;
  for (const part of parts) {
    const chunks: Uint8Array[] = [];
    try {
      for await (const chunk of store.read(part, 1 << 20)) chunks.push(new Uint8Array(chunk));
    } catch (error) {
      if (part.committed) throw new Error(`part ${part.index} of file ${part.fileId} (invoice ${part.uploadId}) is missing from the blob store: ${(error as Error).message}`);
      skipped++;
      continue;
    }
    const data = Buffer.concat(chunks);
    if (data.byteLength !== part.size) throw new Error(`part ${part.index} of file ${part.fileId} (upload ${part.uploadId}) has ${data.byteLength} bytes in the store, the index says ${part.size}`);
    const relative = path.posix.join('blobs', part.uploadId, `${part.fileId}.${part.index}`);
    await mkdir(path.join(dir, 'blobs', part.uploadId), { recursive: true, mode: 0o700 });
    await writeFile(path.join(dir, relative), data, { mode: 0o600 });
    files[relative] = sha256Hex(data);
    copied++;
    bytes += data.byteLength;
  }
  if (skipped) log(`${skipped} part(s) of unfinished uploads were deleted while the backup ran and are left out.`);
  return { copied, bytes, skipped };
}

export async function createBackup(options: { dir: string; database: DatabaseLocation; store: BlobStore; log?: Log; pgDump?: string }): Promise<BackupReport> {
  const { dir, store } = options;
  const log = options.log ?? (() => {});
  if (existsSync(dir) && readdirSync(dir).length) throw new Error(`${dir} is not empty; a backup goes into a new directory.`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files: Record<string, string> = {};
  let parts: IndexedPart[];
  let databaseFile: string;

  if (options.database.kind === 'postgres') {
    databaseFile = 'database.pgdump';
    const sql = postgres(options.database.url, { max: 1, onnotice: () => {} });
    try {
      const reserved = await sql.reserve();
      try {
        await reserved`begin isolation level repeatable read read only`;
        const [{ snapshot }] = (await reserved`select pg_export_snapshot() as snapshot`) as unknown as [{ snapshot: string }];
        parts = toParts(await reserved.unsafe(PARTS_QUERY));
        const { dbname, env } = libpqArgs(options.database.url);
        log('Dumping the database (pg_dump)…');
        await run(options.pgDump ?? process.env.PG_DUMP ?? 'pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${snapshot}`, `--file=${path.join(dir, databaseFile)}`, `--dbname=${dbname}`], env);
        await reserved`commit`;
      } finally {
        reserved.release();
      }
    } finally {
      await sql.end({ timeout: 5 });
    }
  } else {
    databaseFile = 'database.pglite.tar.gz';
    const dataDir = options.database.dataDir;
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) throw new Error(`${dataDir} holds no PGlite database.`);
    if (existsSync(path.join(dataDir, 'postmaster.pid'))) throw new Error(`The PGlite database in ${dataDir} is open (a server is running on it). Stop the server, then back up.`);
    const pglite = new PGlite(dataDir);
    try {
      parts = toParts((await pglite.query<Record<string, unknown>>(PARTS_QUERY)).rows);
      log('Dumping the database (PGlite data directory)…');
      const dump = await pglite.dumpDataDir('gzip');
      await writeFile(path.join(dir, databaseFile), new Uint8Array(await dump.arrayBuffer()), { mode: 0o600 });
    } finally {
      await pglite.close();
    }
  }
  files[databaseFile] = await sha256File(path.join(dir, databaseFile));

  // With BLOB_STORE=database the parts are inside the dump.
  const copied = store.kind === 'database' ? { copied: 0, bytes: 0, skipped: 0 } : await copyParts(dir, parts, store, files, log);
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    createdAt: new Date().toISOString(),
    appVersion: packageJson.version,
    database: options.database.kind,
    databaseFile,
    blobStore: store.kind,
    parts: copied.copied,
    partBytes: copied.bytes,
    files,
  };
  await writeFile(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  log(`Backup written to ${dir}: ${options.database.kind} database, ${copied.copied} part(s), ${copied.bytes} bytes of ciphertext.`);
  return { manifest, skipped: copied.skipped };
}

/** Reads and checks a backup: its manifest, and every file against its SHA-256. */
export async function readBackup(dir: string): Promise<BackupManifest> {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) throw new Error(`${dir} is not a zkinvoice backup (no manifest.json).`);
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT) throw new Error(`Unknown backup format ${JSON.stringify(manifest.format)}.`);
  for (const [relative, expected] of Object.entries(manifest.files)) {
    if (relative.split('/').includes('..') || path.isAbsolute(relative)) throw new Error(`The manifest names a file outside the backup: ${relative}`);
    const file = path.join(dir, relative);
    if (!existsSync(file)) throw new Error(`The backup is incomplete: ${relative} is missing.`);
    if ((await sha256File(file)) !== expected) throw new Error(`The backup is damaged: ${relative} does not match its checksum.`);
  }
  return manifest;
}

export async function restoreBackup(options: { dir: string; database: DatabaseLocation; store: BlobStore; log?: Log; pgRestore?: string }): Promise<BackupManifest> {
  const { dir, store } = options;
  const log = options.log ?? (() => {});
  const manifest = await readBackup(dir);
  if (manifest.database !== options.database.kind) {
    throw new Error(`This backup is of a ${manifest.database} database and cannot be restored into ${options.database.kind}.`);
  }
  if (manifest.blobStore === 'database' && store.kind !== 'database') log('The documents are inside the database (the backup was taken with BLOB_STORE=database); keep BLOB_STORE=database.');
  const databaseFile = path.join(dir, manifest.databaseFile);

  if (options.database.kind === 'postgres') {
    const sql = postgres(options.database.url, { max: 1, onnotice: () => {} });
    try {
      const [{ n }] = (await sql`select count(*)::int as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`) as unknown as [{ n: number }];
      if (n > 0) throw new Error('The target database is not empty; restore into a new, empty database.');
    } finally {
      await sql.end({ timeout: 5 });
    }
    const { dbname, env } = libpqArgs(options.database.url);
    log('Restoring the database (pg_restore)…');
    await run(options.pgRestore ?? process.env.PG_RESTORE ?? 'pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${dbname}`, databaseFile], env);
  } else {
    const dataDir = options.database.dataDir;
    if (existsSync(dataDir) && readdirSync(dataDir).length) throw new Error(`${dataDir} is not empty; restore into a new directory (PGLITE_DATA_DIR).`);
    log('Restoring the database (PGlite data directory)…');
    const pglite = new PGlite(dataDir, { loadDataDir: new Blob([await readFile(databaseFile)]) });
    try {
      await pglite.query('select 1');
    } finally {
      await pglite.close();
    }
  }

  let restored = 0;
  for (const relative of Object.keys(manifest.files).filter((f) => f.startsWith('blobs/'))) {
    const match = /^blobs\/([0-9a-f-]{36})\/([0-9a-f-]{36})\.(\d+)$/.exec(relative);
    if (!match) throw new Error(`Unexpected file in the backup: ${relative}`);
    await store.put({ uploadId: match[1]!, fileId: match[2]!, index: Number(match[3]) }, new Uint8Array(await readFile(path.join(dir, relative))));
    restored++;
  }
  log(`Restored the ${manifest.database} database of ${manifest.createdAt} and ${restored} part(s) into the ${store.kind} store.`);
  return manifest;
}

/** Removes a half-written backup directory after a failure (the CLI does this). */
export async function discardBackup(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
