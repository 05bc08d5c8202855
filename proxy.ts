import { NextResponse, type NextRequest } from 'next/server';

/**
 * Security headers on every response, with a fresh CSP nonce per request. Next.js reads the nonce
 * from the request's CSP header and puts it on its own scripts; no inline script runs without it.
 * Access control is not done here: the data access layer checks every request itself.
 */
export function proxy(request: NextRequest): NextResponse {
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const dev = process.env.NODE_ENV === 'development';
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // Inline style attributes cannot carry a nonce; styles cannot run code, scripts stay nonce-only.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });

  response.headers.set('content-security-policy', csp);
  response.headers.set('strict-transport-security', 'max-age=63072000; includeSubDomains');
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'no-referrer');
  response.headers.set('cross-origin-opener-policy', 'same-origin');
  response.headers.set('cross-origin-resource-policy', 'same-origin');
  response.headers.set('x-frame-options', 'DENY');
  response.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  if (request.nextUrl.pathname.startsWith('/api/')) response.headers.set('cache-control', 'no-store');
  return response;
}

// Upload parts skip the proxy: with a proxy in the way, Next.js reads every request body whole
// into memory (to let the proxy read it too) before the route handler sees a byte, which costs a
// copy of each 1 MiB part and serializes receiving with storing. The part route sets its own
// response headers and does its own access checks, as every route does (lib/server/http.ts).
export const config = {
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico|api/uploads/[^/]+/files/[^/]+/parts/).*)' }],
};
