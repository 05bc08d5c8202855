import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import client from 'prom-client';
import { POSTGRES_POOL_MAX } from '@/lib/db/client';
import { blobStore } from './blob-store';
import { database } from './db';
import { env } from './env';
import { AppError } from './errors';
import { describeError } from './failures';
import { log } from './log';

const shared = globalThis as unknown as { zkinvoiceDraining?: boolean; zkinvoiceMetrics?: client.Registry };

/** Fails after `ms` instead of hanging a probe on a stuck dependency. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface Readiness {
  status: 'ready' | 'unavailable' | 'draining';
  database: 'ok' | 'error';
  blobStore: 'ok' | 'error';
}

/** GET /api/ready: the database and the blob store both answer, and the instance is not shutting down. */
export async function checkReadiness(): Promise<Readiness> {
  const check = async (what: 'database' | 'blobStore', probe: () => Promise<unknown>): Promise<'ok' | 'error'> => {
    try {
      await within(probe(), 5000, what);
      return 'ok';
    } catch (error) {
      log('warn', 'ready.check_failed', { check: what, ...describeError(error) });
      return 'error';
    }
  };
  const [db, blobs] = await Promise.all([check('database', () => database().db.execute(sql`select 1`)), check('blobStore', () => blobStore().ping())]);
  const status = shared.zkinvoiceDraining ? 'draining' : db === 'ok' && blobs === 'ok' ? 'ready' : 'unavailable';
  return { status, database: db, blobStore: blobs };
}

function tokenMatches(given: string, expected: string): boolean {
  // Hashing first makes the comparison constant-time whatever the lengths.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * GET /api/metrics: the HTTP metrics that scripts/server.mjs records (request counts and latency
 * by route template, requests and part uploads in flight, process memory and event-loop lag),
 * plus what the database knows at scrape time (bytes stored, open uploads, connections). Off
 * unless METRICS_TOKEN is set; then only a request bearing it gets an answer.
 */
export async function metricsResponse(request: Request): Promise<Response> {
  const token = env().METRICS_TOKEN;
  if (!token) throw new AppError('not_found', 'metrics_off');
  const given = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
  if (!given || !tokenMatches(given, token)) {
    throw new AppError('unauthenticated', 'metrics_token_required', { headers: { 'www-authenticate': 'Bearer realm="metrics"' } });
  }
  const registry = new client.Registry();
  await collectDatabaseMetrics(registry);
  const http = shared.zkinvoiceMetrics;
  const text = `${http ? await http.metrics() : ''}${await registry.metrics()}`;
  return new Response(text, { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } });
}

async function collectDatabaseMetrics(registry: client.Registry): Promise<void> {
  const gauge = (name: string, help: string, labelNames: string[] = []) => new client.Gauge({ name, help, labelNames, registers: [registry] });
  const up = gauge('zkinvoice_db_up', '1 when the database answered this scrape');
  const handle = database();
  gauge('zkinvoice_db_pool_max', 'Connections this instance may open to the database').set(handle.kind === 'postgres' ? POSTGRES_POOL_MAX : 1);
  try {
    // postgres.js answers an array of rows, PGlite an object with `rows`.
    const rows = async (query: ReturnType<typeof sql>) => (await within(handle.db.execute(query), 5000, 'database')) as unknown;
    const list = <T>(result: unknown): T[] => (Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []));
    const [stats] = list<{ bytes: string | number; parts: string | number; open_uploads: string | number; invoices: string | number }>(
      await rows(sql`select
        (select coalesce(sum(size), 0) from file_parts)::bigint as bytes,
        (select count(*) from file_parts)::bigint as parts,
        (select count(*) from uploads where committed_at is null)::bigint as open_uploads,
        (select count(*) from invoices)::bigint as invoices`),
    );
    gauge('zkinvoice_blob_bytes_stored', 'Ciphertext bytes in stored parts (all instances, from the part index)').set(Number(stats?.bytes ?? 0));
    gauge('zkinvoice_blob_parts_stored', 'Stored ciphertext parts (all instances)').set(Number(stats?.parts ?? 0));
    gauge('zkinvoice_uploads_open', 'Uploads started and not yet committed (all instances)').set(Number(stats?.open_uploads ?? 0));
    gauge('zkinvoice_invoices', 'Invoices committed (all instances)').set(Number(stats?.invoices ?? 0));
    if (handle.kind === 'postgres') {
      const connections = gauge('zkinvoice_db_connections', 'Connections of every zkinvoice instance to this database, by state (pg_stat_activity)', ['state']);
      for (const state of ['active', 'idle', 'idle in transaction']) connections.set({ state }, 0);
      const byState = list<{ state: string | null; n: string | number }>(
        await rows(sql`select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'zkinvoice' group by 1`),
      );
      for (const { state, n } of byState) connections.set({ state: state ?? 'unknown' }, Number(n));
    }
    up.set(1);
  } catch (error) {
    log('warn', 'metrics.database_failed', describeError(error));
    up.set(0);
  }
}
