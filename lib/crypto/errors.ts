export type CryptoErrorCode =
  | 'decrypt_failed'
  | 'bad_format'
  | 'unsupported_version'
  | 'weak_prf_output'
  | 'bad_signature'
  | 'bad_recovery_key'
  | 'bad_key'
  | 'truncated'
  | 'bad_padding'
  | 'bad_commitment';

/**
 * The one error type lib/crypto throws for bad *data* (wrong key, tampered or malformed bytes).
 * Callers branch on `code`; a raw DOMException never escapes, so an attacker-controlled
 * ciphertext cannot make different failures look different to the UI. Programming bugs
 * (a label without the domain prefix) throw a plain Error instead.
 */
export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? code, options);
    this.name = 'CryptoError';
    this.code = code;
  }
}
