import { describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8Encode } from './encoding';
import { CryptoError } from './errors';
import { importOrgProfileKey, openOrgProfile, sealOrgProfile, sealOrgProfileWithNonce } from './org-profile';

const seq = (length: number, start = 0) => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);
const OS = seq(32, 0x20);
const BINDING = { orgId: 'org-golden', keyVersion: 1, revision: 3 };
// Golden vector for org profile v1 (HKDF info "zkinvoice/v1/org-profile-key|org-golden|1", AAD
// "zkinvoice/v1/org-profile|org-golden|1|3", nonce 0x60..0x6b): stored profiles must open forever.
const GOLDEN = '01606162636465666768696a6b76aca618941c3145641baab9b22103a2217cf231c9cfafb4b7c3e247a8eba94f42e3e4ef15aaa98e095a98c8';

describe('org profile sealing', () => {
  it('opens what it sealed, only with the same org, key version and revision', async () => {
    const key = await importOrgProfileKey(OS, { orgId: BINDING.orgId, version: 1 });
    const sealed = await sealOrgProfile(key, utf8Encode('{"v":1}'), BINDING);
    expect(new TextDecoder().decode(await openOrgProfile(key, sealed, BINDING))).toBe('{"v":1}');
    for (const other of [{ ...BINDING, orgId: 'org-other' }, { ...BINDING, keyVersion: 2 }, { ...BINDING, revision: 2 }]) {
      await expect(openOrgProfile(key, sealed, other)).rejects.toBeInstanceOf(CryptoError);
    }
    const otherVersionKey = await importOrgProfileKey(OS, { orgId: BINDING.orgId, version: 2 });
    await expect(openOrgProfile(otherVersionKey, sealed, BINDING)).rejects.toBeInstanceOf(CryptoError);
  });

  it('matches the golden vector', async () => {
    const key = await importOrgProfileKey(OS, { orgId: BINDING.orgId, version: 1 });
    const sealed = await sealOrgProfileWithNonce(key, seq(12, 0x60), utf8Encode('{"v":1,"name":"Golden GmbH"}'), BINDING);
    expect(toHex(sealed)).toBe(GOLDEN);
    expect(new TextDecoder().decode(await openOrgProfile(key, fromHex(GOLDEN), BINDING))).toBe('{"v":1,"name":"Golden GmbH"}');
  });
});
