import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { assertDomainLabel } from './domain';
import { asBufferSource, concatBytes, utf8Encode, type Bytes } from './encoding';
import { CryptoError } from './errors';
import { baseModeKeySchedule, dhkemSharedSecret } from './hpke-schedule';

/**
 * The one HPKE suite zkinvoice uses (RFC 9180 base mode): DHKEM(X25519, HKDF-SHA256) 0x0020,
 * HKDF-SHA256 0x0001, AES-256-GCM 0x0002. Changing it means a new format version.
 */
export const HPKE_SUITE = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Aes256Gcm(),
});

/** HPKE box v1: `0x01 ‖ enc(32) ‖ ct`. */
const HPKE_BOX_VERSION = 0x01;
const ENC_LENGTH = 32;
const AEAD_TAG_LENGTH = 16;
const HEADER_LENGTH = 1 + ENC_LENGTH;

/**
 * `info` enters the HPKE key schedule (it names the purpose and the ids the secret belongs to);
 * the AEAD additional data is `version ‖ utf8(aad)` so the box version is authenticated too.
 */
function additionalData(aad: string): Bytes {
  assertDomainLabel(aad);
  return concatBytes(Uint8Array.of(HPKE_BOX_VERSION), utf8Encode(aad));
}

async function importX25519PublicKey(raw: Uint8Array): Promise<CryptoKey> {
  try {
    return await HPKE_SUITE.kem.deserializePublicKey(raw);
  } catch (cause) {
    throw new CryptoError('bad_key', 'X25519 public key must be 32 bytes', { cause });
  }
}

/** Seals `plaintext` to a raw 32-byte X25519 public key; only its private key can open it. */
export async function sealToPublicKey(
  recipientPublicKey: Uint8Array,
  plaintext: Uint8Array,
  info: string,
  aad: string,
): Promise<Bytes> {
  assertDomainLabel(info);
  const params = { recipientPublicKey: await importX25519PublicKey(recipientPublicKey), info: utf8Encode(info) };
  const { enc, ct } = await HPKE_SUITE.seal(params, plaintext, additionalData(aad)).catch((cause: unknown) => {
    // Encapsulation fails only for a degenerate (low-order) public key.
    throw new CryptoError('bad_key', 'cannot seal to this X25519 public key', { cause });
  });
  return concatBytes(Uint8Array.of(HPKE_BOX_VERSION), new Uint8Array(enc), new Uint8Array(ct));
}

const X25519 = { name: 'X25519' } as const;
const X25519_KEY_LENGTH = 32;
const OPEN_SCHEDULE = baseModeKeySchedule({ id: 0x0002, keyLength: 32 });

/** DHKEM Decap (RFC 9180 §4.1) with the non-extractable recipient key: enc is the sender's ephemeral public key. */
async function decapsulate(recipientPrivateKey: CryptoKey, recipientPublicKey: Uint8Array, enc: Uint8Array): Promise<Bytes> {
  const { subtle } = globalThis.crypto;
  const ephemeralPublicKey = await subtle.importKey('raw', asBufferSource(enc), X25519, true, []);
  const dh = new Uint8Array(await subtle.deriveBits({ name: 'X25519', public: ephemeralPublicKey }, recipientPrivateKey, 8 * X25519_KEY_LENGTH));
  try {
    return await dhkemSharedSecret(dh, enc, recipientPublicKey);
  } finally {
    dh.fill(0);
  }
}

/**
 * RFC 9180 base mode, single-shot (sequence number 0). Six WebCrypto calls in a row (import enc,
 * X25519, HKDF import and ExtractAndExpand, AEAD key beside nonce, decrypt); info_hash beside
 * the KEM. Any failure throws.
 */
async function openBox(recipientPrivateKey: CryptoKey, recipientPublicKey: Uint8Array, sealed: Uint8Array, info: string, aad: Bytes): Promise<Bytes> {
  const [keyScheduleContext, sharedSecret] = await Promise.all([
    OPEN_SCHEDULE.context(utf8Encode(info)),
    decapsulate(recipientPrivateKey, recipientPublicKey, sealed.subarray(1, HEADER_LENGTH)),
  ]);
  const { key, baseNonce } = await OPEN_SCHEDULE.aeadKeyAndNonce(sharedSecret, keyScheduleContext);
  sharedSecret.fill(0);
  const plaintext = await globalThis.crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: baseNonce, additionalData: aad },
    key,
    asBufferSource(sealed.subarray(HEADER_LENGTH)),
  );
  return new Uint8Array(plaintext);
}

/**
 * Opens an HPKE box. The recipient's public key is passed in (not derived) because the private
 * key is non-extractable; it enters the KEM context, so a mismatched pair fails to decrypt.
 * This side is our own code (./hpke-schedule), the sealing side @hpke/core's, so every exchange
 * checks one implementation against the other.
 */
export async function openWithPrivateKey(
  recipientPrivateKey: CryptoKey,
  recipientPublicKey: Uint8Array,
  sealed: Uint8Array,
  info: string,
  aad: string,
): Promise<Bytes> {
  assertDomainLabel(info);
  const version = sealed[0];
  if (version === undefined) throw new CryptoError('bad_format', 'empty HPKE box');
  if (version !== HPKE_BOX_VERSION) throw new CryptoError('unsupported_version', `HPKE box v${version}`);
  if (sealed.length < HEADER_LENGTH + AEAD_TAG_LENGTH) throw new CryptoError('bad_format', 'HPKE box too short');
  if (recipientPublicKey.length !== X25519_KEY_LENGTH) throw new CryptoError('bad_key', 'X25519 public key must be 32 bytes');
  const additional = additionalData(aad);
  try {
    return await openBox(recipientPrivateKey, recipientPublicKey, sealed, info, additional);
  } catch (cause) {
    throw new CryptoError('decrypt_failed', 'HPKE box did not open', { cause });
  }
}
