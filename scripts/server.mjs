// Production server: Next.js behind a small Node HTTP front that fixes the client address, gives
// every request an id, logs and measures it, and shuts down gracefully.
// Route handlers in the App Router cannot see the socket, and Next only fills X-Forwarded-For
// when it is absent, so a client could pick its own address and dodge per-address rate limits.
// Here the address is decided once: the socket's peer, or with TRUST_PROXY=true the last hop
// that the reverse proxy in front appended to X-Forwarded-For.
import { createServer } from 'node:http';
import next from 'next';
import { captureConsole, createLogger, createMetrics, createRouteMatcher, requestIdFor, requestStore } from './observability.mjs';

export const CLIENT_IP_HEADER = 'x-zkinvoice-client-ip';
export const REQUEST_ID_HEADER = 'x-request-id';
const PARTS_ROUTE = '/api/uploads/[id]/files/[fileId]/parts/[index]';

export async function startServer({ port = Number(process.env.PORT || 3000), hostname = process.env.HOST || 'localhost', handleSignals = true } = {}) {
  const trustProxy = process.env.TRUST_PROXY === 'true';
  const logger = createLogger();
  captureConsole(logger);
  const store = requestStore();
  const metrics = createMetrics();
  const routeOf = createRouteMatcher();
  globalThis.zkinvoiceDraining = false;

  const app = next({ dev: false, dir: process.cwd(), port, hostname });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer((req, res) => {
    const forwarded = String(req.headers['x-forwarded-for'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const ip = (trustProxy && forwarded.at(-1)) || req.socket.remoteAddress || 'unknown';
    req.headers[CLIENT_IP_HEADER] = ip;
    req.headers['x-forwarded-for'] = ip;
    const requestId = requestIdFor(req, trustProxy);
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    // While draining, keep-alive connections are closed after their current response.
    if (globalThis.zkinvoiceDraining) res.setHeader('connection', 'close');

    const route = routeOf(req.url);
    const method = req.method ?? 'GET';
    const started = process.hrtime.bigint();
    const isPart = method === 'PUT' && route === PARTS_ROUTE;
    metrics.inFlight.inc();
    if (isPart) metrics.partsInFlight.inc();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // A client that went away before the answer counts as status 499 (as nginx logs it).
      const status = res.writableFinished ? res.statusCode : 499;
      metrics.inFlight.dec();
      if (isPart) metrics.partsInFlight.dec();
      metrics.requests.inc({ method, route, status: String(status) });
      metrics.duration.observe({ method, route }, seconds);
      // The route template, never the path or query: those can hold ids and one-time tokens.
      store.run({ requestId }, () => logger.info({ event: 'http.request', method, route, status, ms: Math.round(seconds * 1000) }));
    };
    res.on('finish', finish);
    res.on('close', finish);

    store.run({ requestId }, () => {
      handle(req, res).catch((error) => {
        logger.error({ event: 'request.unhandled', cause: error instanceof Error ? error.name : typeof error });
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  });
  // Idle keep-alive connections outlive a client's (or a proxy's) pause between requests: with
  // Node's 5 s default, a client reusing a socket just as the server closes it gets ECONNRESET.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise((resolve) => server.listen(port, hostname, resolve));
  logger.info({ event: 'server.listening', url: `http://${hostname}:${port}` });
  if (handleSignals) {
    for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => shutDown(server, logger, signal));
  }
  return server;
}

/**
 * Graceful shutdown: stop accepting connections, let requests in flight finish (an upload part
 * being received, a commit), then close the database and exit 0. Idle keep-alive connections are
 * closed at once; busy ones after their response. SHUTDOWN_TIMEOUT_SECONDS (default 30) bounds
 * the wait, after which what is left is cut and the exit code is 1.
 */
export async function shutDown(server, logger, signal) {
  globalThis.zkinvoiceDraining = true;
  const timeoutMs = Number(process.env.SHUTDOWN_TIMEOUT_SECONDS || 30) * 1000;
  logger.info({ event: 'server.draining', signal, inFlight: await inFlightCount() });
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeIdleConnections();
  const timer = setTimeout(() => {
    logger.warn({ event: 'server.shutdown_timeout', seconds: timeoutMs / 1000 });
    server.closeAllConnections();
    process.exit(1);
  }, timeoutMs);
  timer.unref();
  await closed;
  try {
    await globalThis.zkinvoiceDb?.close();
  } catch (error) {
    logger.error({ event: 'server.database_close_failed', cause: error instanceof Error ? error.message : String(error) });
  }
  logger.info({ event: 'server.stopped', signal });
  logger.flush?.();
  process.exit(0);
}

async function inFlightCount() {
  const metric = await globalThis.zkinvoiceMetrics?.getSingleMetric('zkinvoice_http_requests_in_flight')?.get();
  return metric?.values?.[0]?.value ?? 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await startServer();
}
