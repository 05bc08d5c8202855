import { z } from 'zod';

export const ERROR_CODES = [
  'bad_request',
  'unauthenticated',
  'not_found',
  'forbidden',
  'conflict',
  'rate_limited',
  'challenge_invalid',
  'verification_failed',
  'account_disabled',
  'reauth_required',
  'last_passkey',
  'recovery_failed',
  'setup_token_invalid',
  'quota_exceeded',
  'invitation_required',
  'cross_site',
  'unsupported_media_type',
  'payload_too_large',
  'limit_reached',
  'internal',
  'unavailable',
  'insufficient_storage',
] as const;

export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    /** Which refusal exactly: a key of the error catalog (lib/shared/i18n/messages/errors.ts). */
    reason: z.string().max(64).optional(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    /** The English text, kept for logs and older clients; the browser shows the reason instead. */
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
