import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { expect, test } from './fixtures';
import { spawnServer } from './spawned-server';
import { E2E_METRICS_TOKEN, spawnedPort } from './targets';

// Operations (issue #15): liveness and readiness probes, Prometheus metrics behind a token,
// structured logs with a request id on every request's lines, and a graceful SIGTERM.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('[operator] probes liveness and readiness; every answer carries its request id', async ({ request }) => {
  const health = await request.get('/api/health');
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  expect(health.headers()['x-request-id']).toMatch(UUID);

  const ready = await request.get('/api/ready');
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toEqual({ status: 'ready', database: 'ok', blobStore: 'ok' });
  expect(ready.headers()['x-request-id']).toMatch(UUID);
  expect(ready.headers()['x-request-id']).not.toBe(health.headers()['x-request-id']);
});

test('[researcher] finds where to report a vulnerability at /.well-known/security.txt (RFC 9116)', async ({ request, baseURL }) => {
  const response = await request.get('/.well-known/security.txt');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('text/plain; charset=utf-8');
  const fields = Object.fromEntries((await response.text()).trim().split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
  expect(fields.Contact).toBe('mailto:security@localhost');
  expect(fields.Canonical).toBe(`${baseURL}/.well-known/security.txt`);
  const expires = Date.parse(fields.Expires!);
  expect(expires).toBeGreaterThan(Date.now());
  expect(expires).toBeLessThanOrEqual(Date.now() + 366 * 24 * 60 * 60 * 1000);
});

test('[operator] scrapes metrics with the token; without it, or with another, the answer is 401', async ({ request }) => {
  const missing = await request.get('/api/metrics');
  expect(missing.status()).toBe(401);
  expect(missing.headers()['www-authenticate']).toContain('Bearer');
  expect((await missing.json()).error.code).toBe('unauthenticated');
  expect((await request.get('/api/metrics', { headers: { authorization: `Bearer ${E2E_METRICS_TOKEN}x` } })).status()).toBe(401);
  expect((await request.get('/api/metrics', { headers: { authorization: E2E_METRICS_TOKEN } })).status()).toBe(401);

  // A request with an id in its path, so the label must be the route template.
  expect((await request.get(`/api/invoices/${crypto.randomUUID()}`)).status()).toBe(401);
  const scrape = await request.get('/api/metrics', { headers: { authorization: `Bearer ${E2E_METRICS_TOKEN}` } });
  expect(scrape.status()).toBe(200);
  expect(scrape.headers()['content-type']).toContain('text/plain');
  const text = await scrape.text();
  const value = (line: RegExp) => Number(text.split('\n').find((l) => line.test(l))?.split(' ').at(-1));
  expect(value(/^zkinvoice_http_requests_total\{method="GET",route="\/api\/invoices\/\[id\]",status="401"\}/)).toBeGreaterThanOrEqual(1);
  expect(value(/^zkinvoice_http_request_duration_seconds_count\{method="GET",route="\/api\/invoices\/\[id\]"\}/)).toBeGreaterThanOrEqual(1);
  expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  expect(value(/^zkinvoice_http_requests_in_flight /)).toBeGreaterThanOrEqual(1);
  expect(value(/^zkinvoice_upload_parts_in_flight /)).toBeGreaterThanOrEqual(0);
  expect(value(/^zkinvoice_db_up /)).toBe(1);
  expect(value(/^zkinvoice_db_pool_max /)).toBeGreaterThanOrEqual(1);
  expect(value(/^zkinvoice_blob_bytes_stored /)).toBeGreaterThanOrEqual(0);
  expect(value(/^zkinvoice_uploads_open /)).toBeGreaterThanOrEqual(0);
  expect(value(/^zkinvoice_process_resident_memory_bytes /)).toBeGreaterThan(0);
});

test('[operator] reads the log: JSON lines, the request id on the app’s own lines, no request body', async ({ request, dbTarget }) => {
  const canary = `canary-${crypto.randomUUID()}`;
  // An authentication failure: the app logs it (audit) while serving the request.
  const failed = await request.post('/api/auth/sign-in/verify', { data: { response: { id: canary } }, headers: { origin: new URL(`http://localhost:${dbTarget.port}`).origin } });
  expect(failed.status()).toBe(400);
  const requestId = failed.headers()['x-request-id']!;
  expect(requestId).toMatch(UUID);

  const lines = () => readFileSync(dbTarget.serverLog, 'utf8').split('\n').filter(Boolean);
  await expect.poll(() => lines().filter((l) => l.includes(requestId)).length).toBeGreaterThanOrEqual(2);
  const entries = lines().map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`a log line is not JSON: ${line.slice(0, 200)}`);
    }
  });
  for (const entry of entries) expect(entry).toMatchObject({ level: expect.any(String), time: expect.any(String), event: expect.any(String) });
  const mine = entries.filter((e) => e.requestId === requestId);
  expect(mine.map((e) => e.event)).toEqual(expect.arrayContaining(['account.sign_in', 'http.request']));
  expect(mine.find((e) => e.event === 'http.request')).toMatchObject({ method: 'POST', route: '/api/auth/sign-in/verify', status: 400 });
  // Every request line has an id; no line holds what the client sent.
  expect(entries.filter((e) => e.event === 'http.request' && !e.requestId)).toEqual([]);
  expect(lines().join('\n')).not.toContain(canary);
});

test('[operator] sends SIGTERM: the request in flight is answered, new connections are refused, the process exits 0', async ({ dbTarget }) => {
  test.setTimeout(180_000);
  const server = await spawnServer({ kind: dbTarget.kind, port: spawnedPort(10, dbTarget.kind), env: { METRICS_TOKEN: E2E_METRICS_TOKEN } });
  const inFlight = async () => {
    const text = await (await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${E2E_METRICS_TOKEN}` } })).text();
    // Less the scrape itself.
    return Number(/^zkinvoice_http_requests_in_flight (\d+)/m.exec(text)?.[1]) - 1;
  };
  try {
    const body = JSON.stringify({ email: 'not-an-address', padding: 'x'.repeat(1000) });
    const origin = server.url;
    // Headers and half the body now; the rest only after the server has begun draining.
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${server.url}/api/auth/sign-in/verify`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), origin } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.write(body.slice(0, 500));
      void server.waitForLine(/"event":"server\.draining"/).then(() => req.end(body.slice(500)), reject);
    });
    // The server has the request (its headers and half its body) before the signal.
    await expect.poll(inFlight).toBe(1);
    server.child.kill('SIGTERM');
    const draining = JSON.parse(await server.waitForLine(/"event":"server\.draining"/));
    expect(draining.inFlight).toBe(1);
    // Once draining, the listener is closed: a new connection is refused.
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();

    const { status, body: answered } = await answer;
    expect(status).toBe(400);
    expect(JSON.parse(answered).error.code).toBe('bad_request');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.lines().some((l) => l.includes('"event":"server.stopped"'))).toBe(true);
  } finally {
    await server.dispose();
  }
});
