import { CryptoError } from '@/lib/crypto/errors';
import { ApiError } from './api';
import { describePasskeyError } from './passkey';

/** One message for any failure a page shows: server refusal, crypto failure or passkey prompt. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof CryptoError) {
    if (error.code === 'bad_recovery_key') return 'That recovery key is not valid. Check each group and try again.';
    if (error.code === 'decrypt_failed') return 'Your keys could not be opened with this secret. It may belong to another account.';
    if (error.code === 'weak_prf_output') return 'This passkey returned an unusable secret and cannot unlock your keys.';
    return `Your keys failed a safety check (${error.code}). Do not continue; contact your administrator.`;
  }
  return describePasskeyError(error);
}
