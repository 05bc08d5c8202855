import { describe, expect, it } from 'vitest';
import { sealBytesWithNonce } from './aead';
import {
  PRF_INPUT,
  RECOVERY_SLOT,
  accountKeyAad,
  deriveRecoveryAuth,
  deriveRecoveryKek,
  derivePasskeyKek,
  generateAccountKey,
  hashRecoveryAuth,
  importAccountKey,
  keyringAad,
  unwrapAccountKey,
  userPrivateKeysAad,
  wrapAccountKey,
} from './account';
import { fromHex, randomBytes, toBase64Url, toHex, utf8Encode } from './encoding';
import { sha256 } from './kdf';
import { expectCryptoError } from './test-utils';

const fill = (length: number, value: number): Uint8Array => new Uint8Array(length).fill(value);
const PRF_OUTPUT = fill(32, 0x11);
const CREDENTIAL_ID = fill(16, 0x22);
const ACCOUNT_KEY = fill(32, 0x33);
const RECOVERY_KEY = fill(32, 0x55);
const PASSKEY_BINDING = { userId: 'user-1', slot: toBase64Url(CREDENTIAL_ID) };
const RECOVERY_BINDING = { userId: 'user-1', slot: RECOVERY_SLOT };
// Cross-checked once with node:crypto: hkdfSync → createCipheriv('aes-256-gcm'), AAD 0x01 ‖ label.
const GOLDEN_PASSKEY_WRAP =
  '01444444444444444444444444bf220aaa90867a43d5d3e0587b58d50e0fb1fb990720c5596bfc342cf2a6a5119aeefb6762182831a9c031044636e97d';
const GOLDEN_RECOVERY_WRAP =
  '016666666666666666666666667e5a0e8a36f56cecb8c1cc35d71552764812327ebec18cff9addc0a8f602d82ed919d98648567d8b268ce8b341a1af79';

describe('account key', () => {
  it('PRF_INPUT is SHA-256("zkinvoice/v1/prf")', async () => {
    expect(PRF_INPUT).toEqual(await sha256(utf8Encode('zkinvoice/v1/prf')));
  });

  it('rejects short and all-zero PRF outputs', async () => {
    await expectCryptoError(derivePasskeyKek(new Uint8Array(32), CREDENTIAL_ID), 'weak_prf_output');
    await expectCryptoError(derivePasskeyKek(fill(31, 7), CREDENTIAL_ID), 'weak_prf_output');
    await expectCryptoError(derivePasskeyKek(fill(33, 7), CREDENTIAL_ID), 'weak_prf_output');
  });

  it('binds the AAD to user and slot', () => {
    expect(accountKeyAad(PASSKEY_BINDING)).toBe('zkinvoice/v1/account-key|user-1|IiIiIiIiIiIiIiIiIiIiIg');
    expect(userPrivateKeysAad('user-1')).toBe('zkinvoice/v1/user-private-keys|user-1');
    expect(keyringAad('user-1')).toBe('zkinvoice/v1/keyring|user-1');
    expect(() => accountKeyAad({ userId: 'user|1', slot: RECOVERY_SLOT })).toThrow();
  });

  it('matches the golden passkey and recovery wraps and opens them', async () => {
    const passkeyKek = await derivePasskeyKek(PRF_OUTPUT, CREDENTIAL_ID);
    const recoveryKek = await deriveRecoveryKek(RECOVERY_KEY);
    expect(toHex(await sealBytesWithNonce(passkeyKek, fill(12, 0x44), ACCOUNT_KEY, accountKeyAad(PASSKEY_BINDING)))).toBe(GOLDEN_PASSKEY_WRAP);
    expect(toHex(await sealBytesWithNonce(recoveryKek, fill(12, 0x66), ACCOUNT_KEY, accountKeyAad(RECOVERY_BINDING)))).toBe(GOLDEN_RECOVERY_WRAP);
    expect(await unwrapAccountKey(passkeyKek, fromHex(GOLDEN_PASSKEY_WRAP), PASSKEY_BINDING)).toEqual(ACCOUNT_KEY);
    expect(await unwrapAccountKey(recoveryKek, fromHex(GOLDEN_RECOVERY_WRAP), RECOVERY_BINDING)).toEqual(ACCOUNT_KEY);
  });

  it('round-trips AK under a passkey KEK and a recovery KEK', async () => {
    const accountKey = generateAccountKey();
    const prfOutput = randomBytes(32);
    const credentialId = randomBytes(16);
    const binding = { userId: 'user-7', slot: toBase64Url(credentialId) };
    const passkeyWrap = await wrapAccountKey(await derivePasskeyKek(prfOutput, credentialId), accountKey, binding);
    const recoveryKey = randomBytes(32);
    const recoveryWrap = await wrapAccountKey(await deriveRecoveryKek(recoveryKey), accountKey, { userId: 'user-7', slot: RECOVERY_SLOT });
    expect(await unwrapAccountKey(await derivePasskeyKek(prfOutput, credentialId), passkeyWrap, binding)).toEqual(accountKey);
    expect(await unwrapAccountKey(await deriveRecoveryKek(recoveryKey), recoveryWrap, { userId: 'user-7', slot: RECOVERY_SLOT })).toEqual(accountKey);
  });

  it('refuses a wrap moved to another user, slot or credential', async () => {
    const kek = await derivePasskeyKek(PRF_OUTPUT, CREDENTIAL_ID);
    const wrap = fromHex(GOLDEN_PASSKEY_WRAP);
    await expectCryptoError(unwrapAccountKey(kek, wrap, { ...PASSKEY_BINDING, userId: 'user-2' }), 'decrypt_failed');
    await expectCryptoError(unwrapAccountKey(kek, wrap, RECOVERY_BINDING), 'decrypt_failed');
    const otherCredentialKek = await derivePasskeyKek(PRF_OUTPUT, fill(16, 0x23));
    await expectCryptoError(unwrapAccountKey(otherCredentialKek, wrap, PASSKEY_BINDING), 'decrypt_failed');
  });

  it('derives recovery auth apart from the KEK and hashes it for the server', async () => {
    const auth = await deriveRecoveryAuth(RECOVERY_KEY);
    expect(toHex(auth)).toBe('009e585aac8a4f9ddeb2eec3a840d0ca2392440cee39e5e168ac794f43963bc9');
    expect(toHex(await hashRecoveryAuth(auth))).toBe('e268817cd1e8eea3abb7723e5ede25a30508b841e850965dc878dbbfbb83201f');
    await expectCryptoError(deriveRecoveryKek(fill(16, 1)), 'bad_recovery_key');
  });

  it('imports AK as a non-extractable key derived from, not equal to, AK', async () => {
    const key = await importAccountKey(ACCOUNT_KEY);
    expect(key.extractable).toBe(false);
    const iv = new Uint8Array(12);
    const viaDerived = await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new Uint8Array(16));
    const rawKey = await globalThis.crypto.subtle.importKey('raw', new Uint8Array(ACCOUNT_KEY), 'AES-GCM', false, ['encrypt']);
    const viaRaw = await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv }, rawKey, new Uint8Array(16));
    expect(toHex(new Uint8Array(viaDerived))).not.toBe(toHex(new Uint8Array(viaRaw)));
  });
});
