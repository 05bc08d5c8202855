import { asBufferSource, concatBytes, utf8Encode, type Bytes } from './encoding';

/*
 * The RFC 9180 derivations the open side of HPKE needs, for DHKEM(X25519, HKDF-SHA256) with
 * HKDF-SHA256 in base mode, in as few WebCrypto calls as they take. @hpke/core makes each
 * LabeledExtract and LabeledExpand an importKey + sign of its own, some twenty awaited calls per
 * open. Here one HKDF call does a LabeledExtract and the LabeledExpand of its result at once, the
 * inputs that are the same for every box are imported once, and calls that do not wait for each
 * other run together. (Pure-JS HMAC-SHA256, @noble/hashes, was tried: slower in Chromium, see the commit.)
 */

const HPKE_V1 = utf8Encode('HPKE-v1');
const NH = 32;
const NN = 12;
const EMPTY = new Uint8Array(0);
const MODE_BASE = 0x00;
const KEM_DHKEM_X25519_HKDF_SHA256 = 0x0020;
const KDF_HKDF_SHA256 = 0x0001;
const X25519_OUTPUT_LENGTH = 32;

function i2osp2(value: number): Bytes {
  return Uint8Array.of(value >> 8, value & 0xff);
}

/** The message LabeledExtract hands to HKDF-Extract: "HPKE-v1" ‖ suite_id ‖ label ‖ ikm. */
function labeledIkm(suiteId: Uint8Array, label: string, ikm: Uint8Array): Bytes {
  return concatBytes(HPKE_V1, suiteId, utf8Encode(label), ikm);
}

/** The info LabeledExpand hands to HKDF-Expand: I2OSP(L, 2) ‖ "HPKE-v1" ‖ suite_id ‖ label ‖ info. */
function labeledInfo(suiteId: Uint8Array, label: string, info: Uint8Array, length: number): Bytes {
  return concatBytes(i2osp2(length), HPKE_V1, suiteId, utf8Encode(label), info);
}

function hkdfSha256(salt: Uint8Array, info: Uint8Array): HkdfParams {
  return { name: 'HKDF', hash: 'SHA-256', salt: asBufferSource(salt), info: asBufferSource(info) };
}

const KEM_SUITE_ID = concatBytes(utf8Encode('KEM'), i2osp2(KEM_DHKEM_X25519_HKDF_SHA256));

/**
 * DHKEM ExtractAndExpand (RFC 9180 §4.1): binds the X25519 output to kem_context = enc ‖ pkRm, so
 * a box opens only with the recipient public key it was sealed to. Refuses the all-zero output of
 * a low-order enc (RFC 9180 §7.1.4), which carries no secret; WebCrypto's X25519 refuses it too.
 */
export async function dhkemSharedSecret(dh: Uint8Array, enc: Uint8Array, recipientPublicKey: Uint8Array): Promise<Bytes> {
  if (dh.length !== X25519_OUTPUT_LENGTH || dh.every((byte) => byte === 0)) throw new Error('X25519 output must be 32 bytes, not all zero');
  const { subtle } = globalThis.crypto;
  const ikm = labeledIkm(KEM_SUITE_ID, 'eae_prk', dh);
  const eaePrkInput = await subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  ikm.fill(0);
  const kemContext = concatBytes(enc, recipientPublicKey);
  // HKDF-Extract with an empty salt is LabeledExtract("", "eae_prk", dh), its Expand the LabeledExpand.
  const params = hkdfSha256(EMPTY, labeledInfo(KEM_SUITE_ID, 'shared_secret', kemContext, NH));
  return new Uint8Array(await subtle.deriveBits(params, eaePrkInput, 8 * NH));
}

/** AES-128-GCM (0x0001) or AES-256-GCM (0x0002). */
export interface HpkeAesGcm {
  id: 0x0001 | 0x0002;
  keyLength: 16 | 32;
}

export interface BaseModeKeySchedule {
  /** key_schedule_context = mode ‖ psk_id_hash ‖ info_hash: it needs only `info`, so it runs beside the KEM. */
  context(info: Uint8Array): Promise<Bytes>;
  /** The AEAD key (non-extractable, decrypt only) and base_nonce of the RFC 9180 §5.1 KeySchedule. */
  aeadKeyAndNonce(sharedSecret: Uint8Array, keyScheduleContext: Uint8Array): Promise<{ key: CryptoKey; baseNonce: Bytes }>;
}

interface SuiteInputs {
  /** HMAC-SHA256 under HKDF's empty salt (HashLen zero bytes): LabeledExtract("", …) in one sign. */
  emptySaltExtract: CryptoKey;
  /** LabeledExtract(shared_secret, "secret", psk = "")'s message, the same for every box (base mode). */
  secretInput: CryptoKey;
  pskIdHash: Bytes;
}

async function importSuiteInputs(suiteId: Uint8Array): Promise<SuiteInputs> {
  const { subtle } = globalThis.crypto;
  const [emptySaltExtract, secretInput] = await Promise.all([
    subtle.importKey('raw', new Uint8Array(NH), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
    subtle.importKey('raw', labeledIkm(suiteId, 'secret', EMPTY), 'HKDF', false, ['deriveBits', 'deriveKey']),
  ]);
  const pskIdHash = new Uint8Array(await subtle.sign('HMAC', emptySaltExtract, labeledIkm(suiteId, 'psk_id_hash', EMPTY)));
  return { emptySaltExtract, secretInput, pskIdHash };
}

/** The base-mode KeySchedule (RFC 9180 §5.1) of DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and `aead`. */
export function baseModeKeySchedule(aead: HpkeAesGcm): BaseModeKeySchedule {
  const suiteId = concatBytes(utf8Encode('HPKE'), i2osp2(KEM_DHKEM_X25519_HKDF_SHA256), i2osp2(KDF_HKDF_SHA256), i2osp2(aead.id));
  let inputs: Promise<SuiteInputs> | undefined;
  const suiteInputs = (): Promise<SuiteInputs> => (inputs ??= importSuiteInputs(suiteId));
  return {
    async context(info) {
      const { emptySaltExtract, pskIdHash } = await suiteInputs();
      const infoHash = await globalThis.crypto.subtle.sign('HMAC', emptySaltExtract, labeledIkm(suiteId, 'info_hash', info));
      return concatBytes(Uint8Array.of(MODE_BASE), pskIdHash, new Uint8Array(infoHash));
    },
    // secret = LabeledExtract(shared_secret, "secret", "") is HKDF-Extract with shared_secret as
    // salt; each call below expands it once, so secret itself never leaves WebCrypto.
    async aeadKeyAndNonce(sharedSecret, keyScheduleContext) {
      const { subtle } = globalThis.crypto;
      const { secretInput } = await suiteInputs();
      const keyParams = hkdfSha256(sharedSecret, labeledInfo(suiteId, 'key', keyScheduleContext, aead.keyLength));
      const nonceParams = hkdfSha256(sharedSecret, labeledInfo(suiteId, 'base_nonce', keyScheduleContext, NN));
      const [key, baseNonce] = await Promise.all([
        subtle.deriveKey(keyParams, secretInput, { name: 'AES-GCM', length: 8 * aead.keyLength }, false, ['decrypt']),
        subtle.deriveBits(nonceParams, secretInput, 8 * NN),
      ]);
      return { key, baseNonce: new Uint8Array(baseNonce) };
    },
  };
}
