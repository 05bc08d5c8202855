import { openBytes, sealBytes } from './aead';
import { domainLabel } from './domain';
import { randomBytes, type Bytes } from './encoding';
import { CryptoError } from './errors';
import { hkdfAesGcmKey, hkdfBytes, sha256 } from './kdf';

/**
 * WebAuthn PRF `eval.first` = SHA-256("zkinvoice/v1/prf") (DESIGN §3.1), precomputed because
 * passkey ceremonies need it synchronously; account.test.ts proves it equals the hash.
 */
export const PRF_INPUT: Bytes = Uint8Array.from([
  0x59, 0xde, 0xed, 0xc4, 0x5a, 0xb6, 0x3c, 0x50, 0x8b, 0x26, 0x78, 0x6a, 0x61, 0x68, 0xc9, 0x0f,
  0xf4, 0x70, 0x43, 0x62, 0xad, 0x2a, 0x82, 0xb2, 0x7a, 0xf3, 0x3d, 0x17, 0x2a, 0x80, 0x7c, 0xf4,
]);

/** `slot` is the credential id (base64url) for a passkey wrap, or `RECOVERY_SLOT`. */
export type AccountKeyBinding = { userId: string; slot: string };

export const RECOVERY_SLOT = 'recovery';
const SECRET_LENGTH = 32;
const EMPTY_SALT = new Uint8Array(0);

/**
 * passkeyKEK = HKDF(prfOutput, salt = credentialId, info "zkinvoice/v1/passkey-kek"). The salt
 * ties the KEK to one credential. An all-zero or short output means a broken authenticator or
 * a client that dropped the extension result; wrapping under it would protect nothing.
 */
export async function derivePasskeyKek(prfOutput: Uint8Array, credentialId: Uint8Array): Promise<CryptoKey> {
  if (prfOutput.length !== SECRET_LENGTH || prfOutput.every((byte) => byte === 0)) {
    throw new CryptoError('weak_prf_output', 'PRF output must be 32 bytes and not all zero');
  }
  return hkdfAesGcmKey(prfOutput, credentialId, domainLabel('passkey-kek'));
}

function assertRecoveryKey(recoveryKey: Uint8Array): void {
  if (recoveryKey.length !== SECRET_LENGTH) throw new CryptoError('bad_recovery_key', 'recovery key must be 32 bytes');
}

/** recoveryKEK = HKDF(recoveryKey, info "zkinvoice/v1/recovery-kek"); never leaves the client. */
export async function deriveRecoveryKek(recoveryKey: Uint8Array): Promise<CryptoKey> {
  assertRecoveryKey(recoveryKey);
  return hkdfAesGcmKey(recoveryKey, EMPTY_SALT, domainLabel('recovery-kek'));
}

/**
 * recoveryAuth = HKDF(recoveryKey, info "zkinvoice/v1/recovery-auth"): proof of the recovery key
 * for the server. A different info from the KEK, so knowing it reveals nothing about the KEK.
 */
export async function deriveRecoveryAuth(recoveryKey: Uint8Array): Promise<Bytes> {
  assertRecoveryKey(recoveryKey);
  return hkdfBytes(recoveryKey, EMPTY_SALT, domainLabel('recovery-auth'), SECRET_LENGTH);
}

/** What the server stores: SHA-256(recoveryAuth), so a database leak does not yield the proof. */
export async function hashRecoveryAuth(auth: Uint8Array): Promise<Bytes> {
  return sha256(auth);
}

export function generateAccountKey(): Bytes {
  return randomBytes(SECRET_LENGTH);
}

/** Binds a wrapped AK to its user and slot, so the server cannot move a wrap between them. */
export function accountKeyAad(binding: AccountKeyBinding): string {
  return domainLabel('account-key', binding.userId, binding.slot);
}

export async function wrapAccountKey(kek: CryptoKey, accountKey: Uint8Array, binding: AccountKeyBinding): Promise<Bytes> {
  if (accountKey.length !== SECRET_LENGTH) throw new CryptoError('bad_key', 'account key must be 32 bytes');
  return sealBytes(kek, accountKey, accountKeyAad(binding));
}

export async function unwrapAccountKey(kek: CryptoKey, sealed: Uint8Array, binding: AccountKeyBinding): Promise<Bytes> {
  const accountKey = await openBytes(kek, sealed, accountKeyAad(binding));
  if (accountKey.length !== SECRET_LENGTH) throw new CryptoError('bad_format', 'account key must be 32 bytes');
  return accountKey;
}

/**
 * The AES-256-GCM key the AK encrypts with (private keys, keyring). AK itself is only ever an
 * HKDF input, so its raw bytes are never an AES key and it can be re-wrapped under new KEKs.
 */
export async function importAccountKey(accountKey: Uint8Array): Promise<CryptoKey> {
  if (accountKey.length !== SECRET_LENGTH) throw new CryptoError('bad_key', 'account key must be 32 bytes');
  return hkdfAesGcmKey(accountKey, EMPTY_SALT, domainLabel('account-key-enc'));
}

export function userPrivateKeysAad(userId: string): string {
  return domainLabel('user-private-keys', userId);
}

export function keyringAad(userId: string): string {
  return domainLabel('keyring', userId);
}
