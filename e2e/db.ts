import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import postgres from 'postgres';
import type { DbTarget } from './targets';

export type Row = Record<string, unknown>;

/** SQL on the database of the server under test, for assertions the API cannot make. */
export interface TestDatabase {
  readonly target: DbTarget;
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * PostgreSQL: a connection of our own to the run's test database. PGlite: the server process is
 * the one opener of the data directory, so queries go to its connection through the SQL socket
 * that scripts/e2e-server.mjs opens for tests (bytea arrives as `{ $bytes: base64 }`).
 */
export function openTestDatabase(target: DbTarget): TestDatabase {
  if (target.kind === 'postgres') {
    const sql = postgres(target.location, { max: 1, onnotice: () => {} });
    return {
      target,
      query: async <T extends Row>(text: string, params: unknown[] = []) => (await sql.unsafe(text, params as never[])) as unknown as T[],
      close: () => sql.end({ timeout: 5 }),
    };
  }
  const socketPath = target.sqlSocket;
  if (!socketPath) throw new Error('The PGlite target has no SQL socket; see e2e/targets.ts.');
  return {
    target,
    query: async <T extends Row>(text: string, params: unknown[] = []) => {
      // Binary parameters travel as `{ $bytes: base64 }`, as binary results do.
      const answer = await postJson(socketPath, { sql: text, params: params.map((p) => (p instanceof Uint8Array ? { $bytes: Buffer.from(p).toString('base64') } : p)) });
      if ('error' in answer) throw new Error(`PGlite query failed: ${String(answer.error)}\n${text}`);
      return (answer.rows as Row[]).map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, isEncodedBytes(v) ? Buffer.from(v.$bytes, 'base64') : v])),
      ) as T[];
    },
    close: async () => {},
  };
}

function isEncodedBytes(value: unknown): value is { $bytes: string } {
  return typeof value === 'object' && value !== null && '$bytes' in value;
}

// One connection per query (`agent: false`). Node's global agent keeps connections alive, and the
// bridge, like any Node server, closes one after 5 s idle: a query sent on it at that moment failed
// with "read ECONNRESET" (CI, stop 21). A Unix socket costs nothing to open.
function postJson(socketPath: string, body: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ socketPath, agent: false, path: '/', method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

export interface AuditRow {
  action: string;
  outcome: string;
  reason: string | null;
}

/** Failure rows of the audit log written for requests from one client address. */
export async function auditFailures(db: TestDatabase, ip: string, filter: { action?: string; reason?: string } = {}): Promise<AuditRow[]> {
  const rows = await db.query<{ action: string; outcome: string; reason: string | null }>(
    "select action, outcome, reason from audit_log where ip = $1 and outcome = 'failure' order by seq",
    [ip],
  );
  return rows.filter((r) => (!filter.action || r.action === filter.action) && (!filter.reason || r.reason === filter.reason));
}

/** Moves a stored challenge's expiry into the past; returns whether the challenge existed. */
export async function expireChallenge(db: TestDatabase, challenge: string): Promise<boolean> {
  const rows = await db.query("update webauthn_challenges set expires_at = now() - interval '1 minute' where challenge = $1 returning challenge", [challenge]);
  return rows.length === 1;
}

export async function challengeExists(db: TestDatabase, challenge: string): Promise<boolean> {
  return (await db.query('select 1 from webauthn_challenges where challenge = $1', [challenge])).length > 0;
}

// ---- Searching the database for secrets -------------------------------------------------------

/** One value to look for, in every form it could be stored in. */
export interface Needle {
  name: string;
  patterns: { encoding: string; bytes: Buffer }[];
}

/**
 * Raw bytes, hex in both cases, and base64/base64url. A secret embedded in a longer base64 string
 * is encoded at one of three alignments, so each alignment contributes the part of its encoding
 * that depends on the secret alone.
 */
export function needle(name: string, secret: Uint8Array): Needle {
  const raw = Buffer.from(secret);
  const patterns = [
    { encoding: 'raw', bytes: raw },
    { encoding: 'hex', bytes: Buffer.from(raw.toString('hex')) },
    { encoding: 'HEX', bytes: Buffer.from(raw.toString('hex').toUpperCase()) },
  ];
  for (const alphabet of ['base64', 'base64url'] as const) {
    for (let shift = 0; shift < 3; shift++) {
      const encoded = Buffer.concat([Buffer.alloc(shift), raw]).toString(alphabet);
      const whole = Math.floor((shift + raw.length) / 3) * 4;
      patterns.push({ encoding: `${alphabet}@${shift}`, bytes: Buffer.from(encoded.slice(shift ? 4 : 0, whole)) });
    }
  }
  return { name, patterns };
}

/**
 * A string in every form `needle` knows, from its UTF-8 bytes: as text, hex, base64 and base64url.
 * (Canaries made of ASCII letters, digits and hyphens read the same percent- or JSON-escaped.)
 */
export function stringNeedle(name: string, text: string): Needle {
  return needle(name, Buffer.from(text, 'utf8'));
}

/** A text needle (e.g. the printed recovery key), as stored text. */
export function textNeedle(name: string, text: string): Needle {
  return { name, patterns: [{ encoding: 'text', bytes: Buffer.from(text) }] };
}

export interface Hit {
  needle: string;
  encoding: string;
  where: string;
}

function search(haystack: Buffer, needles: Needle[], where: string): Hit[] {
  const hits: Hit[] = [];
  for (const n of needles) {
    for (const p of n.patterns) {
      if (haystack.indexOf(p.bytes) !== -1) hits.push({ needle: n.name, encoding: p.encoding, where });
    }
  }
  return hits;
}

export interface ScanReport {
  hits: Hit[];
  /** What was read: "schema.table.column (n rows)" or file paths, so a test can show coverage. */
  scanned: string[];
}

/** Searches byte strings that are not in the database (a log file, HTTP messages), each named by `where`. */
export function scanBuffers(items: { where: string; bytes: Buffer }[], needles: Needle[]): ScanReport {
  const report: ScanReport = { hits: [], scanned: [] };
  for (const item of items) {
    report.hits.push(...search(item.bytes, needles, item.where));
    report.scanned.push(item.where);
  }
  return report;
}

/**
 * Reads every column of every table as stored (bytea as bytes, everything else as its text form)
 * and searches each value for the needles. Tables are listed from information_schema, so a table
 * added later is scanned without changing this test.
 */
export async function scanTables(db: TestDatabase, needles: Needle[]): Promise<ScanReport> {
  const columns = await db.query<{ table_schema: string; table_name: string; column_name: string; data_type: string }>(
    `select c.table_schema, c.table_name, c.column_name, c.data_type
       from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where t.table_type = 'BASE TABLE' and c.table_schema not in ('pg_catalog', 'information_schema')
      order by c.table_schema, c.table_name, c.ordinal_position`,
  );
  const report: ScanReport = { hits: [], scanned: [] };
  const quote = (id: string) => `"${id.replace(/"/g, '""')}"`;
  for (const c of columns) {
    const expression = c.data_type === 'bytea' ? quote(c.column_name) : `${quote(c.column_name)}::text`;
    const rows = await db.query<{ v: unknown }>(`select ${expression} as v from ${quote(c.table_schema)}.${quote(c.table_name)}`);
    const where = `${c.table_schema}.${c.table_name}.${c.column_name}`;
    for (const { v } of rows) {
      if (v === null || v === undefined) continue;
      const value = typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v as Uint8Array);
      report.hits.push(...search(value, needles, where));
    }
    report.scanned.push(`${where} (${rows.length} rows)`);
  }
  return report;
}

/**
 * Searches every file under a PGlite data directory byte by byte: heap, indexes, WAL and anything
 * else Postgres wrote, including rows that were deleted since (consumed challenges, say).
 */
export function scanFiles(dir: string, needles: Needle[]): ScanReport {
  const report: ScanReport = { hits: [], scanned: [] };
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        report.hits.push(...search(readFileSync(full), needles, path.relative(dir, full)));
        report.scanned.push(path.relative(dir, full));
      }
    }
  };
  walk(dir);
  return report;
}
