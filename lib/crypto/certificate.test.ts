import { describe, expect, it } from 'vitest';
import { certificateCovers, signMembershipCertificate, verifyMembershipCertificate, type MembershipCertificate } from './certificate';
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

  it('binds a former member’s removal time: changed or dropped, the signature fails', async () => {
    const { orgKeys, cert } = await fixture();
    const former: MembershipCertificate = { ...cert, role: 'member', removedAt: '2025-02-01T00:00:00.000Z' };
    const signature = await signMembershipCertificate(orgKeys.signingPrivateKey, former);
    expect(await verifyMembershipCertificate(orgKeys.signingPublicKey, former, signature)).toBe(true);
    expect(await verifyMembershipCertificate(orgKeys.signingPublicKey, { ...former, removedAt: '2026-02-01T00:00:00.000Z' }, signature)).toBe(false);
    const { removedAt: _dropped, ...asMember } = former;
    expect(await verifyMembershipCertificate(orgKeys.signingPublicKey, asMember, signature)).toBe(false);
  });

  it('covers what a former member signed up to its removal, and nothing later', () => {
    const former = { removedAt: '2025-02-01T00:00:00.000Z' };
    expect(certificateCovers({}, '2099-01-01T00:00:00.000Z')).toBe(true);
    expect(certificateCovers(former, '2025-01-31T23:59:59.999Z')).toBe(true);
    expect(certificateCovers(former, '2025-02-01T00:00:00.000Z')).toBe(true);
    expect(certificateCovers(former, '2025-02-01T00:00:00.001Z')).toBe(false);
    expect(certificateCovers(former, 'yesterday')).toBe(false);
    expect(certificateCovers({ removedAt: 'never' }, '2025-01-01T00:00:00.000Z')).toBe(false);
  });
});
