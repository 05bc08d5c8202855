import type { MessageParams } from '@/lib/shared/i18n';
import { englishT, type ErrorReason } from '@/lib/shared/i18n';
import { describeReason } from '@/lib/shared/i18n/errors';
import { errorBodySchema, type ErrorCode } from '@/lib/shared/schemas/errors';

/**
 * A refusal from the server, with its stable code, the reason (a catalog key the page translates,
 * lib/client/errors.ts) and the server's English message.
 */
export class ApiError extends Error {
  readonly code: ErrorCode | 'network';
  readonly status: number;
  readonly reason: string | undefined;
  readonly params: MessageParams | undefined;

  constructor(code: ErrorCode | 'network', message: string, status: number, reason?: string, params?: MessageParams) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.reason = reason;
    this.params = params;
  }

  /** A refusal made in this browser, named by a catalog reason (its English text as the message). */
  static local(code: ErrorCode | 'network', reason: ErrorReason, status: number, params?: MessageParams): ApiError {
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

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: init.body === undefined ? undefined : { 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'same-origin',
    });
  } catch {
    throw ApiError.local('network', 'network', 0);
  }
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) throw apiErrorFrom(payload, response.status);
  return payload as T;
}
