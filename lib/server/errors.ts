import 'server-only';
import type { ErrorBody, ErrorCode } from '@/lib/shared/schemas/errors';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  rate_limited: 429,
  challenge_invalid: 400,
  verification_failed: 400,
  account_disabled: 403,
  reauth_required: 403,
  last_passkey: 409,
  recovery_failed: 400,
  setup_token_invalid: 400,
  quota_exceeded: 413,
  invitation_required: 403,
  cross_site: 403,
  unsupported_media_type: 415,
  payload_too_large: 413,
  internal: 500,
};

/** The one typed error of the server: every refusal is an AppError with a stable code. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly issues: ErrorBody['error']['issues'];
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: { issues?: ErrorBody['error']['issues']; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS[code];
    this.issues = options.issues;
    this.headers = options.headers ?? {};
  }

  toResponse(): Response {
    const body: ErrorBody = { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } };
    return Response.json(body, { status: this.status, headers: { 'cache-control': 'no-store', ...this.headers } });
  }
}
