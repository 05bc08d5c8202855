import { describe, expect, it } from 'vitest';
import { importAccountKey, keyringAad } from './account';
import { sealBytesWithNonce } from './aead';
import { fromHex, toHex, utf8Encode } from './encoding';
import { keyringHash, openKeyring, sealKeyring, sealKeyringWithNonce } from './keyring';

/*
 * Golden vector for keyring format v2 (DESIGN §3.4). Every stored keyring was written in this
 * format and must open forever: if this fails, the change broke existing data. The hex was
 * cross-checked once with node:crypto (hkdfSync "zkinvoice/v1/account-key-enc", aes-256-gcm with
 * AAD 0x01 ‖ "zkinvoice/v1/keyring|user-golden-0001|3", sha256).
 */
const seq = (length: number, start = 0) => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);
const AK = seq(32);
const USER = 'user-golden-0001';
const BODY = { v: 2 as const, version: 3, prevHash: 'q0q0q0q0q0q0q0q0q0q0q0q0q0q0q0q0q0q0q0q0q0q', orgs: {}, payees: [], chains: {} };
const GOLDEN_V2 =
  '01a0a1a2a3a4a5a6a7a8a9aaabdde99d35e882d48e5a6965060bc071d8f520bbe142c5b69ac75b1bce9875e946a4a2fe35b8e0720a0ff55091ae5976c96c92393f876e3b69ceb5a7f2df944263bab46f8386e8dd92aa135974f9843268b19d4e1b6ca968b7053f62710b566e666b5dd3586790d6133cc111a60e3e151a1ad59240a008ccb04a4e4d9387a9';
const GOLDEN_V2_HASH = 'pxwz3pkl-us4vL67At_L2Gd3NwTl4LmqBc8Q7BbzzmQ';

describe('keyring format v2', () => {
  it('seals to the golden bytes and hash, and opens them', async () => {
    const sealed = await sealKeyringWithNonce(AK, USER, BODY, seq(12, 0xa0));
    expect(toHex(sealed)).toBe(GOLDEN_V2);
    expect(await keyringHash(sealed)).toBe(GOLDEN_V2_HASH);
    expect(await openKeyring(AK, USER, fromHex(GOLDEN_V2), 3)).toEqual({ format: 2, body: BODY });
  });

  it('opens only under the version it was sealed for, and only for its user', async () => {
    const sealed = fromHex(GOLDEN_V2);
    // Served as version 4 (a server passing an old keyring off as a newer one): v2 fails, and it is no v1 keyring either.
    await expect(openKeyring(AK, USER, sealed, 4)).rejects.toMatchObject({ code: 'decrypt_failed' });
    await expect(openKeyring(AK, 'user-golden-0002', sealed, 3)).rejects.toMatchObject({ code: 'decrypt_failed' });
    await expect(openKeyring(seq(32, 1), USER, sealed, 3)).rejects.toMatchObject({ code: 'decrypt_failed' });
  });

  it('refuses a keyring whose plaintext names another version than its AAD', async () => {
    const key = await importAccountKey(AK);
    const lying = await sealBytesWithNonce(key, seq(12), utf8Encode(JSON.stringify({ ...BODY, version: 5 })), 'zkinvoice/v1/keyring|user-golden-0001|3');
    await expect(openKeyring(AK, USER, lying, 3)).rejects.toMatchObject({ code: 'bad_format' });
  });

  it('still opens a v1 keyring (bound to the user id only) and reports it as v1, to be upgraded', async () => {
    const key = await importAccountKey(AK);
    const v1 = await sealBytesWithNonce(key, seq(12), utf8Encode('{"v":1,"orgs":{},"payees":{}}'), keyringAad(USER));
    expect(await openKeyring(AK, USER, v1, 7)).toEqual({ format: 1, body: { v: 1, orgs: {}, payees: {} } });
  });

  it('round-trips with a random nonce', async () => {
    const sealed = await sealKeyring(AK, USER, { ...BODY, version: 1, prevHash: null });
    expect((await openKeyring(AK, USER, sealed, 1)).body).toMatchObject({ v: 2, version: 1, prevHash: null });
  });
});
