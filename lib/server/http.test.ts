import { readdirSync } from 'node:fs';
import path from 'node:path';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '@/lib/db/test-database';
import { env } from './env';
import { json, parseJson, readBinaryBody, route, routePath, STATIC_PATH_SEGMENTS, uuidParams } from './http';
import { useDatabaseForTests } from './testing';

// Signed out: writes count against the client address (the rate limits live in the database).
vi.mock('./sessions', () => ({ currentSession: async () => null }));

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('pglite');
  useDatabaseForTests(database.handle);
});
afterAll(() => database.drop());

const ORIGIN = env().ORIGIN;
const noParams = { params: Promise.resolve({}) };

/** As a request arrives from the network: with the Content-Length its body has (unless streamed). */
function post(headers: Record<string, string>, body?: string | Uint8Array | ReadableStream<Uint8Array>, method = 'POST'): Request {
  const length = typeof body === 'string' ? new TextEncoder().encode(body).byteLength : body instanceof Uint8Array ? body.byteLength : body ? null : 0;
  const all = length === null ? headers : { 'content-length': String(length), ...headers };
  return new Request(`${ORIGIN}/api/uploads`, { method, headers: all, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
}

async function refusal(response: Response): Promise<{ status: number; code: string }> {
  return { status: response.status, code: ((await response.json()) as { error: { code: string } }).error.code };
}

describe('route() guards every state-changing request before the handler runs', () => {
  const handler = vi.fn(async (request: Request) => json(await parseJson(request, z.object({ a: z.number() }))));
  const guarded = route(handler);
  const body = JSON.stringify({ a: 1 });

  it('accepts JSON from the portal’s own origin, or from a same-origin page that sent no Origin', async () => {
    expect((await guarded(post({ origin: ORIGIN, 'content-type': 'application/json; charset=utf-8' }, body), noParams)).status).toBe(200);
    expect((await guarded(post({ 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }, body), noParams)).status).toBe(200);
    expect((await guarded(post({ 'sec-fetch-site': 'none', 'content-type': 'application/json' }, body), noParams)).status).toBe(200);
  });

  it('refuses other origins, sibling origins of the same site, opaque origins and requests that say nothing, as 403 cross_site', async () => {
    handler.mockClear();
    const foreign: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: new URL(ORIGIN).origin.replace(/:\d+$/, '') + ':1' },
      { origin: 'null' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' },
      {},
    ];
    for (const headers of foreign) {
      expect(await refusal(await guarded(post({ ...headers, 'content-type': 'application/json' }, body), noParams))).toEqual({ status: 403, code: 'cross_site' });
    }
    // A foreign Origin wins over a same-origin Sec-Fetch-Site (which no browser would send with it).
    expect((await guarded(post({ origin: 'https://evil.example', 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }, body), noParams)).status).toBe(403);
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses JSON sent as text/plain, as a form, or without a type as 415, but not a request without a body', async () => {
    handler.mockClear();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
      expect(await refusal(await guarded(post({ origin: ORIGIN, 'content-type': type }, body), noParams))).toEqual({ status: 415, code: 'unsupported_media_type' });
    }
    expect(await refusal(await guarded(post({ origin: ORIGIN }, body), noParams))).toEqual({ status: 415, code: 'unsupported_media_type' });
    expect(handler).not.toHaveBeenCalled();
    const noBody = route(async () => json({ ok: true }));
    expect((await noBody(post({ origin: ORIGIN }), noParams)).status).toBe(200);
    expect((await noBody(post({ origin: ORIGIN, 'content-type': 'text/plain' }, undefined, 'DELETE'), noParams)).status).toBe(200);
  });

  it('leaves reads alone', async () => {
    const read = route(async () => json({ ok: true }));
    expect((await read(new Request(`${ORIGIN}/api/health`, { headers: { origin: 'https://evil.example' } }), noParams)).status).toBe(200);
  });

  it('refuses a body over the route’s limit as 413: declared, or streamed without a length', async () => {
    const small = route(async (request) => json(await parseJson(request, z.unknown())), { maxBytes: 100 });
    const big = JSON.stringify({ a: 'x'.repeat(200) });
    expect(await refusal(await small(post({ origin: ORIGIN, 'content-type': 'application/json' }, big), noParams))).toEqual({ status: 413, code: 'payload_too_large' });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('"xxxxxxxxxxxxxxxxxxxx"'));
        controller.close();
      },
    });
    expect(await refusal(await small(post({ origin: ORIGIN, 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, stream), noParams))).toEqual({ status: 413, code: 'payload_too_large' });
    expect((await small(post({ origin: ORIGIN, 'content-type': 'application/json' }, '"fits"'), noParams)).status).toBe(200);
  });

  it('reads ciphertext parts as application/octet-stream only, within the route’s limit', async () => {
    const part = route(async (request) => json({ size: (await readBinaryBody(request, 1000)).byteLength }), { body: 'binary', maxBytes: 64 });
    expect(await (await part(post({ origin: ORIGIN, 'content-type': 'application/octet-stream' }, new Uint8Array(64)), noParams)).json()).toEqual({ size: 64 });
    expect((await part(post({ origin: ORIGIN, 'content-type': 'application/octet-stream' }, new Uint8Array(65)), noParams)).status).toBe(413);
    expect((await part(post({ origin: ORIGIN, 'content-type': 'application/json' }, new Uint8Array(8)), noParams)).status).toBe(415);
  });

  it('counts every write against the caller: past the route’s rate, 429 with Retry-After, before the handler runs', async () => {
    const write = vi.fn(async () => json({ ok: true }));
    const limited = route(write, { rateLimit: { bucket: 'test-writes', limit: 2, windowSeconds: 3600 } });
    const from = (ip: string) => post({ origin: ORIGIN, 'x-zkinvoice-client-ip': ip });
    expect((await limited(from('192.0.2.1'), noParams)).status).toBe(200);
    expect((await limited(from('192.0.2.1'), noParams)).status).toBe(200);
    const refused = await limited(from('192.0.2.1'), noParams);
    expect(await refusal(refused)).toEqual({ status: 429, code: 'rate_limited' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(write).toHaveBeenCalledTimes(2);
    expect((await limited(from('192.0.2.2'), noParams)).status).toBe(200);
  });

  it('answers 404 for ids that are not UUIDs, without running the handler', async () => {
    const byId = vi.fn(async () => json({ ok: true }));
    const lookup = route<{ id: string }>(byId, { params: uuidParams('id') });
    for (const id of ['1', "x' or 1=1 --", '00000000-0000-0000-0000-00000000000g']) {
      expect(await refusal(await lookup(new Request(`${ORIGIN}/api/invoices/x`), { params: Promise.resolve({ id }) }))).toEqual({ status: 404, code: 'not_found' });
    }
    expect(byId).not.toHaveBeenCalled();
    expect((await lookup(new Request(`${ORIGIN}/api/invoices/x`), { params: Promise.resolve({ id: crypto.randomUUID() }) })).status).toBe(200);
  });
});

describe('what an unexpected failure leaves in the log', () => {
  it('answers a lost database connection as 503 unavailable with Retry-After, a full store as 507, anything else as 500', async () => {
    const failing = (error: unknown) => route(async () => {
      throw error;
    });
    const terminated = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const lost = await failing(new DrizzleQueryError('commit', [], terminated))(new Request(`${ORIGIN}/api/x`), noParams);
    expect(await refusal(lost.clone())).toEqual({ status: 503, code: 'unavailable' });
    expect(lost.headers.get('retry-after')).toBe('5');
    expect(((await lost.json()) as { error: { reason: string } }).error.reason).toBe('database_unavailable');
    const closed = Object.assign(new Error('write CONNECTION_CLOSED 127.0.0.1:5432'), { code: 'CONNECTION_CLOSED' });
    expect(await refusal(await failing(closed)(new Request(`${ORIGIN}/api/x`), noParams))).toEqual({ status: 503, code: 'unavailable' });
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(await refusal(await failing(full)(new Request(`${ORIGIN}/api/x`), noParams))).toEqual({ status: 507, code: 'insufficient_storage' });
    const unique = Object.assign(new Error('duplicate key value violates unique constraint "users_email_unique"'), { code: '23505' });
    expect(await refusal(await failing(new DrizzleQueryError('insert', ['x'], unique))(new Request(`${ORIGIN}/api/x`), noParams))).toEqual({ status: 500, code: 'internal' });
  });

  it('logs the route’s path with every client-chosen segment replaced', () => {
    expect(routePath(`${ORIGIN}/api/invoices/needle-4711/files/abc`)).toBe('/api/invoices/:param/files/:param');
  });

  it('knows every fixed segment of app/api', () => {
    const segments = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isDirectory()) continue;
        if (!entry.name.startsWith('[')) segments.add(entry.name);
        walk(path.join(dir, entry.name));
      }
    };
    walk(path.join(process.cwd(), 'app/api'));
    expect([...segments].filter((s) => !STATIC_PATH_SEGMENTS.has(s))).toEqual([]);
  });
});
