import { describe, expect, it } from 'vitest';
import { signMembershipCertificate, type MembershipCertificate } from '@/lib/crypto/certificate';
import { toBase64Url } from '@/lib/crypto/encoding';
import { computeKeyId } from '@/lib/crypto/envelope';
import { generateKeyPairs } from '@/lib/crypto/keys';
import { orgFingerprint } from './account';
import { createListChecks } from './open-invoice';

const ORG = '11111111-1111-4111-8111-111111111111';
const USER = '22222222-2222-4222-8222-222222222222';

describe('createListChecks', async () => {
  const [orgKeys, otherOrgKeys, userKeys] = await Promise.all([generateKeyPairs(), generateKeyPairs(), generateKeyPairs()]);
  const certificate: MembershipCertificate = {
    v: 1, orgId: ORG, userId: USER, userSigningKey: toBase64Url(userKeys.signingPublicKey), userEncryptionKey: toBase64Url(userKeys.encryptionPublicKey), role: 'owner', version: 1, issuedAt: '2026-01-01T00:00:00.000Z',
  };
  const signature = await signMembershipCertificate(orgKeys.signingPrivateKey, certificate);

  it('answers as the uncached checks do, and a cached answer never carries over to other inputs', async () => {
    const checks = createListChecks();
    expect(await checks.certified(orgKeys.signingPublicKey, certificate, signature, USER, ORG)).toBe(true);
    expect(await checks.certified(orgKeys.signingPublicKey, certificate, signature, USER, ORG)).toBe(true);
    // Another supplier key, another claimed signer or org, another certificate: each is checked anew.
    expect(await checks.certified(otherOrgKeys.signingPublicKey, certificate, signature, USER, ORG)).toBe(false);
    expect(await checks.certified(orgKeys.signingPublicKey, certificate, signature, ORG, ORG)).toBe(false);
    expect(await checks.certified(orgKeys.signingPublicKey, certificate, signature, USER, USER)).toBe(false);
    expect(await checks.certified(orgKeys.signingPublicKey, { ...certificate, role: 'member' }, signature, USER, ORG)).toBe(false);

    expect(await checks.keyId(certificate.userSigningKey)).toBe(await computeKeyId(userKeys.signingPublicKey));
    expect(await checks.keyId(toBase64Url(orgKeys.signingPublicKey))).toBe(await computeKeyId(orgKeys.signingPublicKey));
    const signing = toBase64Url(orgKeys.signingPublicKey);
    const encryption = toBase64Url(orgKeys.encryptionPublicKey);
    expect(await checks.fingerprint(ORG, signing, encryption)).toBe(await orgFingerprint(ORG, orgKeys.signingPublicKey, orgKeys.encryptionPublicKey));
    expect(await checks.fingerprint(USER, signing, encryption)).toBe(await orgFingerprint(USER, orgKeys.signingPublicKey, orgKeys.encryptionPublicKey));
  });
});
