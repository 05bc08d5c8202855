import { describe, expect, it } from 'vitest';
import { randomBytes } from '../encoding';
import { generateKeyPairs } from '../keys';
import { generateOrgSecret } from '../org';
import { expectCryptoError, flipBit } from '../test-utils';
import { generateDek } from './dek';
import { importOrgDekWrapKey, openDekGrant, sealDekForOrg, unwrapDekFast, wrapDekFast, type DekBinding, type FastBinding } from './grants';

const BINDING: DekBinding = { invoiceId: 'inv-1', orgId: 'org-1', keyVersion: 1 };
const WRONG_BINDINGS: DekBinding[] = [
  { ...BINDING, invoiceId: 'inv-2' },
  { ...BINDING, orgId: 'org-2' },
  { ...BINDING, keyVersion: 2 },
];
const FAST: FastBinding = { ...BINDING, manifestSha256: new Uint8Array(32).fill(1), headerSha256: new Uint8Array(32).fill(2) };
const WRONG_FAST: FastBinding[] = [
  ...WRONG_BINDINGS.map((b) => ({ ...FAST, ...b })),
  { ...FAST, manifestSha256: new Uint8Array(32).fill(3) },
  { ...FAST, headerSha256: new Uint8Array(32).fill(3) },
];

describe('HPKE DEK grant', () => {
  it('round-trips to the org key pair', async () => {
    const org = await generateKeyPairs();
    const dek = generateDek();
    const sealed = await sealDekForOrg(dek, org.encryptionPublicKey, BINDING);
    expect(await openDekGrant(org.encryptionPrivateKey, org.encryptionPublicKey, sealed, BINDING)).toEqual(dek);
  });

  it('refuses another binding, another org key pair or a flipped bit (decrypt_failed)', async () => {
    const org = await generateKeyPairs();
    const stranger = await generateKeyPairs();
    const sealed = await sealDekForOrg(generateDek(), org.encryptionPublicKey, BINDING);
    for (const binding of WRONG_BINDINGS) {
      await expectCryptoError(openDekGrant(org.encryptionPrivateKey, org.encryptionPublicKey, sealed, binding), 'decrypt_failed');
    }
    await expectCryptoError(
      openDekGrant(stranger.encryptionPrivateKey, stranger.encryptionPublicKey, sealed, BINDING),
      'decrypt_failed',
    );
    await expectCryptoError(
      openDekGrant(org.encryptionPrivateKey, org.encryptionPublicKey, flipBit(sealed, 8 * 40), BINDING),
      'decrypt_failed',
    );
  });

  it('seals only 32-byte DEKs', async () => {
    const org = await generateKeyPairs();
    await expectCryptoError(sealDekForOrg(randomBytes(16), org.encryptionPublicKey, BINDING), 'bad_key');
  });
});

describe('per-org fast path', () => {
  it('round-trips under a non-extractable key derived once per org and version', async () => {
    const key = await importOrgDekWrapKey(generateOrgSecret(), { orgId: 'org-1', version: 1 });
    expect(key.extractable).toBe(false);
    const dek = generateDek();
    expect(await unwrapDekFast(key, await wrapDekFast(key, dek, FAST), FAST)).toEqual(dek);
  });

  it('refuses another invoice, org, key version, manifest hash, header hash or org secret (decrypt_failed)', async () => {
    const orgSecret = generateOrgSecret();
    const key = await importOrgDekWrapKey(orgSecret, { orgId: 'org-1', version: 1 });
    const sealed = await wrapDekFast(key, generateDek(), FAST);
    for (const binding of WRONG_FAST) await expectCryptoError(unwrapDekFast(key, sealed, binding), 'decrypt_failed');
    for (const other of [
      await importOrgDekWrapKey(orgSecret, { orgId: 'org-2', version: 1 }),
      await importOrgDekWrapKey(orgSecret, { orgId: 'org-1', version: 2 }),
      await importOrgDekWrapKey(generateOrgSecret(), { orgId: 'org-1', version: 1 }),
    ]) {
      await expectCryptoError(unwrapDekFast(other, sealed, FAST), 'decrypt_failed');
    }
    await expectCryptoError(importOrgDekWrapKey(randomBytes(16), { orgId: 'org-1', version: 1 }), 'bad_key');
  });
});
