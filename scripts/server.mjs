// Production server: Next.js behind a small Node HTTP front that fixes the client address.
// Route handlers in the App Router cannot see the socket, and Next only fills X-Forwarded-For
// when it is absent, so a client could pick its own address and dodge per-address rate limits.
// Here the address is decided once: the socket's peer, or with TRUST_PROXY=true the last hop
// that the reverse proxy in front appended to X-Forwarded-For.
import { createServer } from 'node:http';
import next from 'next';

export const CLIENT_IP_HEADER = 'x-zkinvoice-client-ip';

export async function startServer({ port = Number(process.env.PORT || 3000), hostname = process.env.HOST || 'localhost' } = {}) {
  const trustProxy = process.env.TRUST_PROXY === 'true';
  const app = next({ dev: false, dir: process.cwd(), port, hostname });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer((req, res) => {
    const forwarded = String(req.headers['x-forwarded-for'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const ip = (trustProxy && forwarded.at(-1)) || req.socket.remoteAddress || 'unknown';
    req.headers[CLIENT_IP_HEADER] = ip;
    req.headers['x-forwarded-for'] = ip;
    handle(req, res).catch((error) => {
      console.error(JSON.stringify({ level: 'error', event: 'request.unhandled', cause: String(error) }));
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise((resolve) => server.listen(port, hostname, resolve));
  console.log(`zkinvoice listening on http://${hostname}:${port}`);
  return server;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await startServer();
}
