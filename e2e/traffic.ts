import type { APIResponse, BrowserContext, Route } from '@playwright/test';

export interface RecordedMessage {
  /** "supplier request PUT http://…" or "supplier response 200 http://…". */
  where: string;
  /** URL, headers and body, as one byte string to search. */
  bytes: Buffer;
}

export interface RecordedTraffic {
  requests: RecordedMessage[];
  responses: RecordedMessage[];
}

/**
 * Playwright's client reuses idle keep-alive connections, and a request sent just as the server
 * closes one fails with "socket hang up" (or EPIPE while writing) before it was handled; a browser
 * retries it, so do we.
 */
async function fetchWithRetry(route: Route): Promise<APIResponse> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await route.fetch({ maxRedirects: 0 });
    } catch (error) {
      if (attempt >= 3 || !/ECONNRESET|EPIPE|socket hang up/.test(String(error))) throw error;
    }
  }
}

/**
 * Records every request a browser context sends and every response it receives, bodies included
 * (JSON, HTML, scripts, and the binary ciphertext streams). Passive listeners cannot do this:
 * Chromium keeps no body for a response the page streamed or never read, so each request is
 * routed through here instead: sent on by Playwright as it was, and its response recorded and then
 * handed to the page unchanged (redirects included, which the browser follows itself). Start
 * before the first navigation.
 */
export async function recordTraffic(context: BrowserContext, label: string): Promise<{ traffic: RecordedTraffic; stop(): Promise<void> }> {
  const traffic: RecordedTraffic = { requests: [], responses: [] };
  const bytesOf = (url: string, headers: Record<string, string>, body: Buffer | null) =>
    Buffer.concat([Buffer.from(`${url}\n${JSON.stringify(headers)}\n`), body ?? Buffer.alloc(0)]);
  const handler = async (route: Route) => {
    const request = route.request();
    traffic.requests.push({ where: `${label} request ${request.method()} ${request.url()}`, bytes: bytesOf(request.url(), await request.allHeaders(), request.postDataBuffer()) });
    const response = await fetchWithRetry(route);
    const body = await response.body();
    traffic.responses.push({ where: `${label} response ${response.status()} ${request.url()}`, bytes: bytesOf(request.url(), response.headers(), body) });
    await route.fulfill({ response, body });
  };
  await context.route('**/*', handler);
  return { traffic, stop: () => context.unroute('**/*', handler) };
}
