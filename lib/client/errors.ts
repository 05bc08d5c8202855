import { CryptoError } from '@/lib/crypto/errors';
import { englishT, type MessageKey, type MessageParams, type MessageRef, type Translate } from '@/lib/shared/i18n';
import { describeReason, isErrorReason } from '@/lib/shared/i18n/errors';
import { ApiError } from './api';
import { describePasskeyError } from './passkey';

/** A failure found in the browser, worded from the catalog where it is shown (English in logs). */
export class LocalizedError extends Error {
  readonly ref: MessageRef;
  constructor(key: MessageKey, params?: MessageParams) {
    super(englishT(key, params));
    this.name = 'LocalizedError';
    this.ref = { key, params };
  }
}

/**
 * One message for any failure a page shows (server refusal, crypto failure or passkey prompt), in
 * the reader's language: the server's reason is looked up in the catalog; a reason this build
 * does not know (a newer server) falls back to the server's English text.
 */
export function describeError(error: unknown, t: Translate): string {
  if (error instanceof LocalizedError) return t(error.ref.key, error.ref.params);
  if (error instanceof ApiError) {
    if (error.reason && isErrorReason(t, error.reason)) return describeReason(t, error.reason, error.params);
    return error.message;
  }
  if (error instanceof CryptoError) {
    if (error.code === 'bad_recovery_key') return t('error.bad_recovery_key');
    if (error.code === 'decrypt_failed') return t('error.keys_decrypt_failed');
    if (error.code === 'weak_prf_output') return t('error.weak_prf_output');
    return t('error.crypto_check_failed', { code: error.code });
  }
  // fetch() rejects with a TypeError when no answer came at all (server down, network gone):
  // Chromium says "Failed to fetch", Firefox "NetworkError when attempting to fetch resource.",
  // Safari "Load failed"; none of that means anything to the reader.
  if (error instanceof TypeError && /failed to fetch|networkerror|load failed/i.test(error.message)) return t('error.server_unreachable');
  return describePasskeyError(error, t);
}
