import { assertDomainLabel } from './domain';
import { asBufferSource, concatBytes, utf8Encode, type Bytes } from './encoding';

const ED25519_PUBLIC_KEY_LENGTH = 32;
const ED25519_SIGNATURE_LENGTH = 64;

/**
 * `utf8(context) ‖ 0x00 ‖ message`. The context names what is signed, so a signature over a
 * certificate can never be replayed as a manifest; the NUL cannot occur inside a context, so
 * the split between context and message is unambiguous.
 */
function signedData(context: string, message: Uint8Array): Bytes {
  assertDomainLabel(context);
  if (context.includes('\0')) throw new Error('signature context must not contain NUL');
  return concatBytes(utf8Encode(context), Uint8Array.of(0), message);
}

async function importEd25519PublicKey(raw: Uint8Array): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('raw', asBufferSource(raw), 'Ed25519', true, ['verify']);
}

/** Ed25519 over the context-prefixed message. */
export async function signWithContext(
  privateKey: CryptoKey,
  context: string,
  message: Uint8Array,
): Promise<Bytes> {
  const signature = await globalThis.crypto.subtle.sign('Ed25519', privateKey, signedData(context, message));
  return new Uint8Array(signature);
}

/** Never throws on attacker-supplied keys or signatures: anything malformed is simply invalid. */
export async function verifyWithContext(
  publicKeyRaw: Uint8Array,
  context: string,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const data = signedData(context, message);
  if (publicKeyRaw.length !== ED25519_PUBLIC_KEY_LENGTH || signature.length !== ED25519_SIGNATURE_LENGTH) {
    return false;
  }
  try {
    const publicKey = await importEd25519PublicKey(publicKeyRaw);
    return await globalThis.crypto.subtle.verify('Ed25519', publicKey, asBufferSource(signature), data);
  } catch {
    return false;
  }
}
