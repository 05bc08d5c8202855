// Logs, request ids and HTTP metrics for the production server (scripts/server.mjs). The app's
// own code (lib/server/log.ts, app/api/metrics) finds what it shares with this file on globalThis,
// because Next bundles the app separately from this plain Node module.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import pino from 'pino';
import client from 'prom-client';

/**
 * Keys never written to the log whatever a caller passes (defence in depth: callers pass ids,
 * codes and counts only). `params` covers bound SQL parameters.
 */
export const REDACTED_KEYS = ['authorization', 'cookie', 'set-cookie', 'token', 'secret', 'password', 'params', 'body', 'sealedDek', 'wrappedDek', 'prf'];

/** One JSON object per line: ISO time, level as a word, pid and host, the request id when there is one. */
export function createLogger(options = {}) {
  const store = requestStore();
  return pino(
    {
      level: process.env.LOG_LEVEL || 'info',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const requestId = store.getStore()?.requestId;
        return requestId ? { requestId } : {};
      },
      redact: { paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((k) => `*.${k}`)], censor: '[redacted]' },
      ...options,
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** The request context that every log line of a request reads its id from. */
export function requestStore() {
  globalThis.zkinvoiceRequests ??= new AsyncLocalStorage();
  return globalThis.zkinvoiceRequests;
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** A fresh id, or the one a trusted proxy in front already gave the request (to follow it across both logs). */
export function requestIdFor(req, trustProxy) {
  const given = req.headers['x-request-id'];
  return trustProxy && typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Maps a request path to its route template (`/api/invoices/[id]`), never the raw path: paths hold
 * ids, and labels must stay few. Built from the build's routes manifest; anything unknown is `other`.
 */
export function createRouteMatcher(dir = process.cwd()) {
  const manifestFile = path.join(dir, '.next', 'routes-manifest.json');
  const manifest = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) : { staticRoutes: [], dynamicRoutes: [] };
  const routes = [...manifest.staticRoutes, ...manifest.dynamicRoutes].map((r) => ({ page: r.page, regex: new RegExp(r.regex) }));
  return (url) => {
    const pathname = (url ?? '/').split('?')[0];
    if (pathname.startsWith('/_next/')) return '/_next';
    if (pathname.startsWith('/.well-known/')) return pathname.length < 64 ? pathname : 'other';
    return routes.find((r) => r.regex.test(pathname))?.page ?? 'other';
  };
}

/** HTTP metrics, kept in a registry on globalThis so GET /api/metrics (inside Next) can serve them. */
export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'zkinvoice_' });
  const requests = new client.Counter({ name: 'zkinvoice_http_requests_total', help: 'HTTP requests answered, by method, route template and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const duration = new client.Histogram({
    name: 'zkinvoice_http_request_duration_seconds',
    help: 'Time from request to the end of the response, by method and route template',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const inFlight = new client.Gauge({ name: 'zkinvoice_http_requests_in_flight', help: 'Requests being served', registers: [registry] });
  const partsInFlight = new client.Gauge({ name: 'zkinvoice_upload_parts_in_flight', help: 'Ciphertext part uploads (PUT …/parts/[index]) being received', registers: [registry] });
  globalThis.zkinvoiceMetrics = registry;
  return { registry, requests, duration, inFlight, partsInFlight };
}

/** Routes every console.* call (Next's own messages included) through the logger, so each line is JSON. */
export function captureConsole(logger) {
  const write = (level) => (...args) => logger[level]({ event: 'console', message: format(...args).slice(0, 4000) });
  console.log = write('info');
  console.info = write('info');
  console.warn = write('warn');
  console.error = write('error');
  console.debug = write('debug');
  // Node's own warnings (experimental features…) too, instead of its plaintext stderr lines.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => logger.warn({ event: 'process.warning', name: warning.name, message: warning.message }));
}
