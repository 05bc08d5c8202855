import { describe, expect, it } from 'vitest';
import { signMembershipCertificate, verifyMembershipCertificate, type MembershipCertificate } from './certificate';
import { toBase64Url } from './encoding';
import { generateKeyPairs } from './keys';

async function fixture(): Promise<{ orgKeys: Awaited<ReturnType<typeof generateKeyPairs>>; cert: MembershipCertificate }> {
  const orgKeys = await generateKeyPairs();
  const user = await generateKeyPairs();
  const cert: MembershipCertificate = {
    v: 1,
    orgId: 'org-1',
    userId: 'user-1',
    userSigningKey: toBase64Url(user.signingPublicKey),
    userEncryptionKey: toBase64Url(user.encryptionPublicKey),
    role: 'owner',
    version: 1,
    issuedAt: '2025-01-01T00:00:00.000Z',
  };
  return { orgKeys, cert };
}

describe('membership certificate', () => {
  it('verifies, independent of key order (JCS)', async () => {
    const { orgKeys, cert } = await fixture();
    const signature = await signMembershipCertificate(orgKeys.signingPrivateKey, cert);
    expect(await verifyMembershipCertificate(orgKeys.signingPublicKey, cert, signature)).toBe(true);
    const reordered = Object.fromEntries(Object.entries(cert).reverse()) as MembershipCertificate;
    expect(await verifyMembershipCertificate(orgKeys.signingPublicKey, reordered, signature)).toBe(true);
  });

  it('fails after any field change', async () => {
    const { orgKeys, cert } = await fixture();
    const other = await generateKeyPairs();
    const signature = await signMembershipCertificate(orgKeys.signingPrivateKey, cert);
    const changes: Partial<MembershipCertificate>[] = [
      { orgId: 'org-2' },
      { userId: 'user-2' },
      { userSigningKey: toBase64Url(other.signingPublicKey) },
      { userEncryptionKey: toBase64Url(other.encryptionPublicKey) },
      { role: 'member' },
      { version: 2 },
      { issuedAt: '2025-01-01T00:00:00.001Z' },
      { v: 2 as 1 },
    ];
    for (const change of changes) {
      expect(await verifyMembershipCertificate(orgKeys.signingPublicKey, { ...cert, ...change }, signature)).toBe(false);
    }
  });

  it('fails under another org key and with a malformed signature', async () => {
    const { orgKeys, cert } = await fixture();
    const other = await generateKeyPairs();
    const signature = await signMembershipCertificate(orgKeys.signingPrivateKey, cert);
    expect(await verifyMembershipCertificate(other.signingPublicKey, cert, signature)).toBe(false);
    expect(await verifyMembershipCertificate(orgKeys.signingPublicKey, cert, 'not base64url!')).toBe(false);
    expect(await verifyMembershipCertificate(orgKeys.signingPublicKey, cert, signature.slice(4))).toBe(false);
  });
});
