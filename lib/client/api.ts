import { errorBodySchema, type ErrorCode } from '@/lib/shared/schemas/errors';

/** A refusal from the server, with its stable code and a message fit to show. */
export class ApiError extends Error {
  readonly code: ErrorCode | 'network';
  readonly status: number;

  constructor(code: ErrorCode | 'network', message: string, status: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
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
    throw new ApiError('network', 'The server could not be reached. Check your connection and try again.', 0);
  }
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = errorBodySchema.safeParse(payload);
    if (parsed.success) throw new ApiError(parsed.data.error.code, parsed.data.error.message, response.status);
    throw new ApiError('internal', `The server answered ${response.status}.`, response.status);
  }
  return payload as T;
}
