import 'server-only';
import type { z } from 'zod';
import { englishT } from '@/lib/shared/i18n';
import { issueMessage } from '@/lib/shared/i18n/errors';
import { AppError } from './errors';
import { log } from './log';

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

/** Parses a JSON body with a zod schema; anything else is a typed 400 naming the bad fields. */
export async function parseJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  let raw: unknown;
  try {
    raw = await request.json();
  } catch {
    throw new AppError('bad_request', 'body_not_json');
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    // Schemas name catalog keys as messages; the API answers them in English, as before.
    const issues = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issueMessage(englishT, issue.message) }));
    throw new AppError('bad_request', 'request_invalid', { issues });
  }
  return result.data;
}

type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

/** Wraps a route handler: AppErrors become their typed response, anything else a logged 500. */
export function route<P = Record<string, never>>(handler: Handler<P>): Handler<P> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (error instanceof AppError) return error.toResponse();
      const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      log('error', 'request.failed', { method: request.method, path: new URL(request.url).pathname, cause });
      return new AppError('internal', 'internal').toResponse();
    }
  };
}

export function json(body: unknown, init: ResponseInit = {}): Response {
  return Response.json(body, { ...init, headers: { 'cache-control': 'no-store', ...init.headers } });
}

/** Reads a binary body of at most maxBytes, refusing larger ones before buffering them. */
export async function readBinaryBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw new AppError('bad_request', 'body_too_large', { params: { bytes: maxBytes } });
  if (!request.body) return new Uint8Array(0);
  const body = new Uint8Array(Number.isFinite(declared) ? declared : maxBytes);
  let length = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (length + value.byteLength > body.byteLength) {
      await reader.cancel();
      throw new AppError('bad_request', 'body_too_large', { params: { bytes: maxBytes } });
    }
    body.set(value, length);
    length += value.byteLength;
  }
  return body.subarray(0, length);
}
