import { describe, expect, it } from 'vitest';
import { importAesGcmKey } from './aead';
import { randomBytes, utf8Encode } from './encoding';
import { openWithPrivateKey, sealToPublicKey } from './hpke';
import { generateKeyPairs, unwrapPrivateKeys, wrapPrivateKeys } from './keys';
import { signWithContext, verifyWithContext } from './sign';
import { expectCryptoError } from './test-utils';

const AAD = 'zkinvoice/v1/user-private-keys|user-1';
const CONTEXT = 'zkinvoice/v1/test-vector';
const INFO = 'zkinvoice/v1/test-vector|hpke';

describe('key pairs', () => {
  it('generates raw 32-byte public keys and non-extractable private keys', async () => {
    const keys = await generateKeyPairs();
    expect(keys.encryptionPublicKey.length).toBe(32);
    expect(keys.signingPublicKey.length).toBe(32);
    expect(keys.encryptionPrivateKey.extractable).toBe(false);
    expect(keys.signingPrivateKey.extractable).toBe(false);
    expect(keys.privateKeysPkcs8.encryption.length).toBeGreaterThan(32);
  });

  it('wraps and unwraps; the unwrapped keys sign and open HPKE', async () => {
    const wrappingKey = await importAesGcmKey(randomBytes(32));
    const keys = await generateKeyPairs();
    const sealed = await wrapPrivateKeys(wrappingKey, keys, AAD);
    const unlocked = await unwrapPrivateKeys(wrappingKey, sealed, AAD, keys);
    expect(unlocked.encryptionPrivateKey.extractable).toBe(false);
    expect(unlocked.signingPrivateKey.extractable).toBe(false);
    expect(unlocked.encryptionPrivateKey.usages).toEqual(['deriveBits']);
    expect(unlocked.signingPrivateKey.usages).toEqual(['sign']);

    const signature = await signWithContext(unlocked.signingPrivateKey, CONTEXT, utf8Encode('hello'));
    expect(await verifyWithContext(keys.signingPublicKey, CONTEXT, utf8Encode('hello'), signature)).toBe(true);

    const box = await sealToPublicKey(keys.encryptionPublicKey, utf8Encode('secret'), INFO, INFO);
    const opened = await openWithPrivateKey(unlocked.encryptionPrivateKey, unlocked.encryptionPublicKey, box, INFO, INFO);
    expect(opened).toEqual(utf8Encode('secret'));
  });

  it('refuses keys that do not match the expected public keys', async () => {
    const wrappingKey = await importAesGcmKey(randomBytes(32));
    const keys = await generateKeyPairs();
    const other = await generateKeyPairs();
    const sealed = await wrapPrivateKeys(wrappingKey, keys, AAD);
    await expectCryptoError(
      unwrapPrivateKeys(wrappingKey, sealed, AAD, { encryptionPublicKey: other.encryptionPublicKey, signingPublicKey: keys.signingPublicKey }),
      'bad_key',
    );
    await expectCryptoError(
      unwrapPrivateKeys(wrappingKey, sealed, AAD, { encryptionPublicKey: keys.encryptionPublicKey, signingPublicKey: other.signingPublicKey }),
      'bad_key',
    );
  });

  it('fails with decrypt_failed under another owner’s AAD or another wrapping key', async () => {
    const wrappingKey = await importAesGcmKey(randomBytes(32));
    const keys = await generateKeyPairs();
    const sealed = await wrapPrivateKeys(wrappingKey, keys, AAD);
    await expectCryptoError(unwrapPrivateKeys(wrappingKey, sealed, 'zkinvoice/v1/user-private-keys|user-2', keys), 'decrypt_failed');
    await expectCryptoError(unwrapPrivateKeys(await importAesGcmKey(randomBytes(32)), sealed, AAD, keys), 'decrypt_failed');
  });
});
