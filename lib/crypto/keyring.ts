import { importAccountKey, keyringAad } from './account';
import { openBytes, sealBytes, sealBytesWithNonce } from './aead';
import { domainLabel } from './domain';
import { toBase64Url, utf8Decode, utf8Encode, type Bytes } from './encoding';
import { CryptoError } from './errors';
import { sha256 } from './kdf';

/**
 * The sealed keyring (DESIGN §3.4). Format v2 is `{v: 2, version, prevHash, ...}` as JSON,
 * AES-256-GCM under the AK-derived key with AAD `zkinvoice/v1/keyring|userId|version`: the server
 * can neither move a keyring to another user nor pass an older keyring off under a newer version
 * number, and `prevHash` (SHA-256 of the previous sealed keyring) links each version to the one it
 * replaced. Format v1 bound only the user id; it still opens, and is upgraded on the next unlock.
 */
export const KEYRING_FORMAT = 2;

export function keyringAadV2(userId: string, version: number): string {
  if (!Number.isSafeInteger(version) || version < 1) throw new Error(`keyring version must be a positive integer: ${version}`);
  return domainLabel('keyring', userId, version);
}

/** What every v2 keyring carries in its authenticated plaintext, whatever else it holds. */
export interface KeyringEnvelopeFields {
  v: 2;
  version: number;
  prevHash: string | null;
}

/** The hash a keyring is known by: SHA-256 of its sealed bytes, base64url (the next one's prevHash). */
export async function keyringHash(sealed: Uint8Array): Promise<string> {
  return toBase64Url(await sha256(sealed));
}

export async function sealKeyring<T extends KeyringEnvelopeFields>(accountKey: Uint8Array, userId: string, keyring: T): Promise<Bytes> {
  return sealBytes(await importAccountKey(accountKey), utf8Encode(JSON.stringify(keyring)), keyringAadV2(userId, keyring.version));
}

/** Deterministic sealing, for golden vectors only (a reused nonce breaks AES-GCM). */
export async function sealKeyringWithNonce<T extends KeyringEnvelopeFields>(accountKey: Uint8Array, userId: string, keyring: T, nonce: Uint8Array): Promise<Bytes> {
  return sealBytesWithNonce(await importAccountKey(accountKey), nonce, utf8Encode(JSON.stringify(keyring)), keyringAadV2(userId, keyring.version));
}

export type OpenedKeyring = { format: 1; body: Record<string, unknown> } | { format: 2; body: KeyringEnvelopeFields & Record<string, unknown> };

/**
 * Opens a sealed keyring the server says is `version`. A v2 keyring opens only under the version
 * it was sealed for, and its plaintext must repeat that version; a v1 keyring (no version bound)
 * is recognised by its AAD and reported as such, so the caller can refuse or upgrade it.
 */
export async function openKeyring(accountKey: Uint8Array, userId: string, sealed: Uint8Array, version: number): Promise<OpenedKeyring> {
  const key = await importAccountKey(accountKey);
  if (version >= 1) {
    const opened = await openBytes(key, sealed, keyringAadV2(userId, version)).catch(() => null);
    if (opened) {
      const body = parseObject(opened);
      if (body.v !== KEYRING_FORMAT || body.version !== version || !(body.prevHash === null || typeof body.prevHash === 'string')) {
        throw new CryptoError('bad_format', 'the keyring does not name the version it was sealed for');
      }
      return { format: 2, body: body as KeyringEnvelopeFields & Record<string, unknown> };
    }
  }
  const legacy = parseObject(await openBytes(key, sealed, keyringAad(userId)));
  return { format: 1, body: legacy };
}

function parseObject(bytes: Bytes): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(utf8Decode(bytes));
  } catch {
    throw new CryptoError('bad_format', 'the keyring is not JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new CryptoError('bad_format', 'the keyring is not an object');
  return value as Record<string, unknown>;
}
