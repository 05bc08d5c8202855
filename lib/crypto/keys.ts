import { openBytes, sealBytes } from './aead';
import { asBufferSource, concatBytes, equalBytes, utf8Encode, type Bytes } from './encoding';
import { CryptoError } from './errors';
import { signWithContext, verifyWithContext } from './sign';

export type PrivateKeysPkcs8 = { encryption: Bytes; signing: Bytes };

/** What an unlocked user or org holds: non-extractable private keys and raw public keys. */
export type UnlockedKeyPairs = {
  encryptionPrivateKey: CryptoKey;
  encryptionPublicKey: Bytes;
  signingPrivateKey: CryptoKey;
  signingPublicKey: Bytes;
};

/** A freshly generated identity: usable keys, plus the PKCS#8 bytes to wrap once and forget. */
export type GeneratedKeyPairs = UnlockedKeyPairs & { privateKeysPkcs8: PrivateKeysPkcs8 };

export type ExpectedPublicKeys = { encryptionPublicKey: Uint8Array; signingPublicKey: Uint8Array };

/** Private-key bundle v1: `0x01 ‖ u16 len ‖ X25519 PKCS#8 ‖ u16 len ‖ Ed25519 PKCS#8`. */
const KEY_BUNDLE_VERSION = 0x01;
const X25519 = { name: 'X25519' } as const;
// RFC 7748: X25519(k, 9) is the public key of k; derives it from a non-extractable key.
const X25519_BASE_POINT = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 9 : 0));
const KEY_CHECK_CONTEXT = 'zkinvoice/v1/key-check';

async function importPrivateKeys(pkcs8: PrivateKeysPkcs8): Promise<{ encryption: CryptoKey; signing: CryptoKey }> {
  const subtle = globalThis.crypto.subtle;
  try {
    const [encryption, signing] = await Promise.all([
      subtle.importKey('pkcs8', asBufferSource(pkcs8.encryption), X25519, false, ['deriveBits']),
      subtle.importKey('pkcs8', asBufferSource(pkcs8.signing), 'Ed25519', false, ['sign']),
    ]);
    return { encryption, signing };
  } catch (cause) {
    throw new CryptoError('bad_key', 'private key bundle holds an invalid key', { cause });
  }
}

/**
 * Makes one X25519 pair (HPKE) and one Ed25519 pair (signatures). The keys are generated
 * extractable only to export PKCS#8 once; the returned CryptoKeys are re-imported non-extractable.
 */
export async function generateKeyPairs(): Promise<GeneratedKeyPairs> {
  const subtle = globalThis.crypto.subtle;
  const encryption = (await subtle.generateKey(X25519, true, ['deriveBits'])) as CryptoKeyPair;
  const signing = (await subtle.generateKey('Ed25519', true, ['sign', 'verify'])) as CryptoKeyPair;
  const privateKeysPkcs8 = {
    encryption: new Uint8Array(await subtle.exportKey('pkcs8', encryption.privateKey)),
    signing: new Uint8Array(await subtle.exportKey('pkcs8', signing.privateKey)),
  };
  const imported = await importPrivateKeys(privateKeysPkcs8);
  return {
    encryptionPrivateKey: imported.encryption,
    encryptionPublicKey: new Uint8Array(await subtle.exportKey('raw', encryption.publicKey)),
    signingPrivateKey: imported.signing,
    signingPublicKey: new Uint8Array(await subtle.exportKey('raw', signing.publicKey)),
    privateKeysPkcs8,
  };
}

function encodeLengthPrefixed(bytes: Uint8Array): Bytes {
  return concatBytes(Uint8Array.of(bytes.length >> 8, bytes.length & 0xff), bytes);
}

function encodeKeyBundle(pkcs8: PrivateKeysPkcs8): Bytes {
  return concatBytes(
    Uint8Array.of(KEY_BUNDLE_VERSION),
    encodeLengthPrefixed(pkcs8.encryption),
    encodeLengthPrefixed(pkcs8.signing),
  );
}

/** Strict decoder: every byte must be accounted for. */
function decodeKeyBundle(bundle: Bytes): PrivateKeysPkcs8 {
  if (bundle[0] !== KEY_BUNDLE_VERSION) throw new CryptoError('unsupported_version', 'private key bundle');
  let offset = 1;
  const readField = (): Bytes => {
    const length = ((bundle[offset] ?? 0) << 8) | (bundle[offset + 1] ?? 0);
    const end = offset + 2 + length;
    if (offset + 2 > bundle.length || end > bundle.length) throw new CryptoError('bad_format', 'private key bundle');
    const field = bundle.slice(offset + 2, end);
    offset = end;
    return field;
  };
  const encryption = readField();
  const signing = readField();
  if (offset !== bundle.length) throw new CryptoError('bad_format', 'private key bundle has trailing bytes');
  return { encryption, signing };
}

/**
 * Seals both private keys under `wrappingKey` (the AK- or OS-derived key). `aad` says whose keys
 * these are (`userPrivateKeysAad` / `orgPrivateKeysAad`), so a server cannot swap bundles between
 * users, orgs or key versions.
 */
export async function wrapPrivateKeys(
  wrappingKey: CryptoKey,
  keys: { privateKeysPkcs8: PrivateKeysPkcs8 },
  aad: string,
): Promise<Bytes> {
  return sealBytes(wrappingKey, encodeKeyBundle(keys.privateKeysPkcs8), aad);
}

/**
 * Opens a private-key bundle, imports both keys non-extractable, and proves they belong to the
 * expected public keys (the ones others encrypt to and verify against) before anything uses them.
 */
export async function unwrapPrivateKeys(
  wrappingKey: CryptoKey,
  sealed: Uint8Array,
  aad: string,
  expectedPublic: ExpectedPublicKeys,
): Promise<UnlockedKeyPairs> {
  const imported = await importPrivateKeys(decodeKeyBundle(await openBytes(wrappingKey, sealed, aad)));
  const basePoint = await globalThis.crypto.subtle.importKey('raw', asBufferSource(X25519_BASE_POINT), X25519, true, []);
  const derivedEncryptionPublic = new Uint8Array(
    await globalThis.crypto.subtle.deriveBits({ name: 'X25519', public: basePoint }, imported.encryption, 256),
  );
  const probe = utf8Encode(KEY_CHECK_CONTEXT);
  const probeSignature = await signWithContext(imported.signing, KEY_CHECK_CONTEXT, probe);
  const signingMatches = await verifyWithContext(expectedPublic.signingPublicKey, KEY_CHECK_CONTEXT, probe, probeSignature);
  if (!equalBytes(derivedEncryptionPublic, expectedPublic.encryptionPublicKey) || !signingMatches) {
    throw new CryptoError('bad_key', 'unwrapped private keys do not match the expected public keys');
  }
  return {
    encryptionPrivateKey: imported.encryption,
    encryptionPublicKey: new Uint8Array(expectedPublic.encryptionPublicKey),
    signingPrivateKey: imported.signing,
    signingPublicKey: new Uint8Array(expectedPublic.signingPublicKey),
  };
}
