import 'server-only';
import { z } from 'zod';
import { englishT } from '@/lib/shared/i18n';
import { issueMessage } from '@/lib/shared/i18n/errors';
import { describeError, isDatabaseUnavailable, isStorageFull } from './failures';
import { env } from './env';
import { AppError } from './errors';
import { log } from './log';
import { enforceRateLimit } from './rate-limit';
import { currentRequestScope, runInRequestScope } from './request-scope';
import { currentSession } from './sessions';

export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

export function requestContext(request: Request): RequestContext {
  // Set by scripts/server.mjs from the socket (or the trusted proxy), never taken from the client.
  return {
    ip: request.headers.get('x-zkinvoice-client-ip'),
    userAgent: request.headers.get('user-agent')?.slice(0, 512) ?? null,
  };
}

/** What a route accepts as the body of a state-changing request. */
export interface RouteOptions {
  /** JSON (the default), or ciphertext sent as application/octet-stream (upload parts). */
  body?: 'json' | 'binary';
  /** Largest body accepted, in bytes; larger ones are refused with 413 before they are read. */
  maxBytes?: number;
  /**
   * The path parameters' shape (see uuidParams): a request whose ids cannot exist answers 404
   * here, so a malformed id never reaches the database.
   */
  params?: z.ZodType<Record<string, string>>;
  /**
   * The write limit of a state-changing route: its own bucket, requests per window (default a
   * minute), or the default
   * (WRITE_RATE_LIMIT_PER_MINUTE per account, or per client address when signed out).
   */
  rateLimit?: { bucket: string; limit: number | (() => number); windowSeconds?: number };
}

/** Path parameters that are all UUIDs. */
export function uuidParams(...names: string[]): z.ZodType<Record<string, string>> {
  return z.object(Object.fromEntries(names.map((name) => [name, z.uuid()])));
}

/** Enough for every JSON request but the few routes that carry sealed data, which say their own. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const MEDIA_TYPE = { json: 'application/json', binary: 'application/octet-stream' } as const;

/**
 * A state-changing request must come from the portal's own pages (DESIGN §9): a browser names the
 * page's origin in `Origin` on every such request, and when it leaves it out, `Sec-Fetch-Site` says
 * whether the page was ours. Sibling origins count as foreign: a page on another port or subdomain
 * of the same site gets the SameSite=Lax cookie sent along, so only this check stops it. Clients
 * that are not browsers (an ERP, a CLI) send `Origin` themselves.
 */
function refuseCrossSite(request: Request): void {
  const origin = request.headers.get('origin');
  if (origin !== null ? origin === env().ORIGIN : ['same-origin', 'none'].includes(request.headers.get('sec-fetch-site') ?? '')) return;
  throw new AppError('cross_site', 'cross_site');
}

/**
 * The body must have the route's media type: an HTML form can post only urlencoded, multipart or
 * text/plain bodies without a CORS preflight, so insisting on application/json also keeps a
 * foreign form from smuggling JSON in. A request without a body has no type to check.
 */
function refuseWrongBody(request: Request, options: { body: 'json' | 'binary'; maxBytes: number }): void {
  const length = request.headers.get('content-length');
  const hasBody = (length !== null && length !== '0') || request.headers.has('transfer-encoding');
  if (!hasBody) return;
  refuseMediaType(request, options.body);
  if (length !== null && !(Number(length) <= options.maxBytes)) throw tooLarge(options.maxBytes);
}

function refuseMediaType(request: Request, body: 'json' | 'binary'): void {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== MEDIA_TYPE[body]) throw new AppError('unsupported_media_type', 'unsupported_media_type', { params: { type: MEDIA_TYPE[body] } });
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('payload_too_large', 'body_too_large', { params: { bytes: maxBytes } });
}

/**
 * Reads the body, never more than the route's limit, whatever Content-Length claimed. The media
 * type is checked again once bytes arrive, for bodies whose headers announced no length.
 */
async function readLimited(request: Request, maxBytes: number, type: 'json' | 'binary'): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const body = new Uint8Array(Number.isFinite(declared) ? declared : Math.min(maxBytes, 64 * 1024));
  let buffer = body;
  let length = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (length + value.byteLength > maxBytes || (Number.isFinite(declared) && length + value.byteLength > declared)) {
      await reader.cancel();
      throw tooLarge(Number.isFinite(declared) ? Math.min(declared, maxBytes) : maxBytes);
    }
    if (length + value.byteLength > buffer.byteLength) {
      const grown = new Uint8Array(Math.min(maxBytes, Math.max(buffer.byteLength * 2, length + value.byteLength)));
      grown.set(buffer.subarray(0, length));
      buffer = grown;
    }
    if (length === 0 && value.byteLength > 0) refuseMediaType(request, type);
    buffer.set(value, length);
    length += value.byteLength;
  }
  return buffer.subarray(0, length);
}

function bodyLimit(): number {
  return currentRequestScope()?.bodyLimit ?? DEFAULT_BODY_LIMIT;
}

/** Parses a JSON body with a zod schema; anything else is a typed 400 naming the bad fields. */
export async function parseJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  const bytes = await readLimited(request, bodyLimit(), 'json');
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new AppError('bad_request', 'body_not_json');
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    // Schemas name catalog keys as messages; the API answers them in English.
    const issues = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issueMessage(englishT, issue.message) }));
    throw new AppError('bad_request', 'request_invalid', { issues });
  }
  return result.data;
}

/** Reads a binary body of at most maxBytes (and the route's limit), refusing larger ones before buffering them. */
export function readBinaryBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  return readLimited(request, Math.min(maxBytes, bodyLimit()), 'binary');
}

type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

/**
 * Wraps every API route handler, the one place each request passes through. A state-changing
 * request is checked for its origin, media type and size before any other work; then the handler
 * runs with the request's scope (body limit, session looked up once), AppErrors become their typed
 * response, anything else a logged 500 that names no value of the request.
 */
export function route<P = Record<string, never>>(handler: Handler<P>, options: RouteOptions = {}): Handler<P> {
  const settings = { body: options.body ?? 'json', maxBytes: options.maxBytes ?? DEFAULT_BODY_LIMIT } as const;
  return async (request, context) => {
    try {
      if (STATE_CHANGING.has(request.method)) {
        refuseCrossSite(request);
        refuseWrongBody(request, settings);
      }
      const checked = options.params ? { params: checkParams(options.params, await context.params) } : context;
      return await runInRequestScope({ bodyLimit: settings.maxBytes }, async () => {
        if (STATE_CHANGING.has(request.method)) await enforceWriteLimit(request, options.rateLimit);
        return handler(request, checked);
      });
    } catch (error) {
      if (error instanceof AppError) return error.toResponse();
      log('error', 'request.failed', { method: request.method, path: routePath(request.url), ...describeError(error) });
      // Failures the client can act on get their own answer: wait and retry, or free space.
      if (isDatabaseUnavailable(error)) return new AppError('unavailable', 'database_unavailable', { headers: { 'retry-after': '5' } }).toResponse();
      if (isStorageFull(error)) return new AppError('insufficient_storage', 'storage_full').toResponse();
      return new AppError('internal', 'internal').toResponse();
    }
  };
}

/** Every write counts against its caller's rate: the account when signed in, else the client address. */
async function enforceWriteLimit(request: Request, limit: RouteOptions['rateLimit']): Promise<void> {
  const { bucket, limit: allowed, windowSeconds = 60 } = limit ?? { bucket: 'write', limit: env().WRITE_RATE_LIMIT_PER_MINUTE };
  const session = await currentSession();
  const caller = session ? `user:${session.userId}` : `ip:${requestContext(request).ip ?? 'unknown'}`;
  await enforceRateLimit(`${bucket}:${caller}`, typeof allowed === 'function' ? allowed() : allowed, windowSeconds);
}

function checkParams<P>(schema: z.ZodType<Record<string, string>>, params: P): Promise<P> {
  if (!schema.safeParse(params).success) throw new AppError('not_found', 'not_found');
  return Promise.resolve(params);
}

/** Every fixed segment of an API path (app/api/**): a test keeps the list complete. */
export const STATIC_PATH_SEGMENTS = new Set(
  'accept account activity admin admin-setup api audit auth chain claim claims commit config confirm delete disable email enable epochs events export fast-key fast-keys files finish health invitations invoices joins keyring keys list-index lookup members metrics notifications options org orgs overview parts passkeys profile provisional quota ready reauth recovery recovery-key registration resume session sessions settings sign-in sign-out sign-up start suspend uploads users verify'.split(' '),
);

/** The request path with every segment that is not a fixed part of a route replaced, so the log holds no value the client chose. */
export function routePath(url: string): string {
  return new URL(url).pathname
    .split('/')
    .map((segment) => (segment === '' || STATIC_PATH_SEGMENTS.has(segment) ? segment : ':param'))
    .join('/');
}

export function json(body: unknown, init: ResponseInit = {}): Response {
  return Response.json(body, { ...init, headers: { 'cache-control': 'no-store', ...init.headers } });
}
