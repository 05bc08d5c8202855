import { describe, expect, it } from 'vitest';
import { openBytes, sealBytes } from '../aead';
import { randomBytes } from '../encoding';
import { generateKeyPairs } from '../keys';
import { generateOrgSecret, importOrgSecret, openOrgSecret, orgPrivateKeysAad, sealOrgSecretToMember } from './secret';
import { expectCryptoError } from '../test-utils';

const BINDING = { orgId: 'org-1', userId: 'user-1', version: 1 };

describe('org secret', () => {
  it('seals OS to a member and opens it with the member’s keys', async () => {
    const member = await generateKeyPairs();
    const orgSecret = generateOrgSecret();
    const sealed = await sealOrgSecretToMember(orgSecret, member.encryptionPublicKey, BINDING);
    expect(await openOrgSecret(member.encryptionPrivateKey, member.encryptionPublicKey, sealed, BINDING)).toEqual(orgSecret);
  });

  it('refuses a grant replayed to another member, org or version, or opened by someone else', async () => {
    const member = await generateKeyPairs();
    const stranger = await generateKeyPairs();
    const sealed = await sealOrgSecretToMember(generateOrgSecret(), member.encryptionPublicKey, BINDING);
    const open = (binding: typeof BINDING) =>
      openOrgSecret(member.encryptionPrivateKey, member.encryptionPublicKey, sealed, binding);
    await expectCryptoError(open({ ...BINDING, userId: 'user-2' }), 'decrypt_failed');
    await expectCryptoError(open({ ...BINDING, orgId: 'org-2' }), 'decrypt_failed');
    await expectCryptoError(open({ ...BINDING, version: 2 }), 'decrypt_failed');
    await expectCryptoError(
      openOrgSecret(stranger.encryptionPrivateKey, stranger.encryptionPublicKey, sealed, BINDING),
      'decrypt_failed',
    );
  });

  it('derives a different non-extractable key per org and version', async () => {
    const orgSecret = generateOrgSecret();
    const v1 = await importOrgSecret(orgSecret, { orgId: 'org-1', version: 1 });
    const v2 = await importOrgSecret(orgSecret, { orgId: 'org-1', version: 2 });
    expect(v1.extractable).toBe(false);
    const aad = orgPrivateKeysAad('org-1', 1);
    expect(aad).toBe('zkinvoice/v1/org-private-keys|org-1|1');
    const sealed = await sealBytes(v1, randomBytes(8), aad);
    await expectCryptoError(openBytes(v2, sealed, aad), 'decrypt_failed');
    await expectCryptoError(importOrgSecret(randomBytes(16), { orgId: 'org-1', version: 1 }), 'bad_key');
  });
});
