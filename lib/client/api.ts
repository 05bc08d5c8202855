import type { z } from 'zod';
import type { MessageParams } from '@/lib/shared/i18n';
import { englishT, type ErrorReason } from '@/lib/shared/i18n';
import { describeReason } from '@/lib/shared/i18n/errors';
import { errorBodySchema, type ErrorCode } from '@/lib/shared/schemas/errors';

/**
 * A refusal from the server, with its stable code, the reason (a catalog key the page translates,
 * lib/client/errors.ts) and the server's English message.
 */
export class ApiError extends Error {
  readonly code: ErrorCode | 'network' | 'malformed_response';
  readonly status: number;
  readonly reason: string | undefined;
  readonly params: MessageParams | undefined;

  constructor(code: ErrorCode | 'network' | 'malformed_response', message: string, status: number, reason?: string, params?: MessageParams) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.reason = reason;
    this.params = params;
  }

  /** A refusal made in this browser, named by a catalog reason (its English text as the message). */
  static local(code: ErrorCode | 'network' | 'malformed_response', reason: ErrorReason, status: number, params?: MessageParams): ApiError {
    return new ApiError(code, describeReason(englishT, reason, params), status, reason, params);
  }
}

/** The ApiError for a failed response's body, whatever the server (or a proxy in between) sent. */
export function apiErrorFrom(payload: unknown, status: number): ApiError {
  const parsed = errorBodySchema.safeParse(payload);
  if (parsed.success) {
    const { code, message, reason, params } = parsed.data.error;
    return new ApiError(code, message, status, reason, params);
  }
  return ApiError.local('internal', 'http_status', status, { status });
}

/**
 * Calls the portal's API. With `schema`, the answer is parsed with it (STYLE §21): an answer of
 * the wrong shape is refused as `malformed_response` instead of being used as if it were right.
 */
export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}, schema?: z.ZodType<T>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: init.body === undefined ? undefined : { 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'same-origin',
      signal: init.signal,
    });
  } catch {
    throw ApiError.local('network', 'network', 0);
  }
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) throw apiErrorFrom(payload, response.status);
  if (!schema) return payload as T;
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw ApiError.local('malformed_response', 'malformed_response', response.status);
  return parsed.data;
}
