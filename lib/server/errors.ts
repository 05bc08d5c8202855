import 'server-only';
import { englishT, type ErrorReason, type MessageParams } from '@/lib/shared/i18n';
import { describeReason } from '@/lib/shared/i18n/errors';
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
  limit_reached: 409,
  internal: 500,
  unavailable: 503,
  insufficient_storage: 507,
};

export interface AppErrorOptions {
  /** Values the message names (sizes in bytes, a status, a detail), sent with the reason. */
  params?: MessageParams;
  issues?: ErrorBody['error']['issues'];
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * The one typed error of the server: every refusal is an AppError with a stable code (the kind of
 * refusal, which sets the HTTP status) and a reason (which one exactly, a key of the message
 * catalog, `lib/shared/i18n/messages/errors.ts`). The browser shows the reason in the user's
 * language; `message` is the English text for logs and for clients that predate reasons.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly reason: ErrorReason;
  readonly params: MessageParams | undefined;
  readonly status: number;
  readonly issues: ErrorBody['error']['issues'];
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, reason: ErrorReason, options: AppErrorOptions = {}) {
    super(describeReason(englishT, reason, options.params), { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.reason = reason;
    this.params = options.params;
    this.status = STATUS[code];
    this.issues = options.issues;
    this.headers = options.headers ?? {};
  }

  toResponse(): Response {
    const body: ErrorBody = {
      error: {
        code: this.code,
        reason: this.reason,
        ...(this.params ? { params: { ...this.params } } : {}),
        message: this.message,
        ...(this.issues ? { issues: this.issues } : {}),
      },
    };
    return Response.json(body, { status: this.status, headers: { 'cache-control': 'no-store', ...this.headers } });
  }
}
