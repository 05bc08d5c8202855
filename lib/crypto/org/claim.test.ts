import { describe, expect, it } from 'vitest';
import { signerFromSeed } from '../test-utils';
import { toBase64Url, toHex, type Bytes } from '../encoding';
import {
  ChainError,
  emptyChainHead,
  hashLink,
  nextLink,
  replayChain,
  signClaimWithOrgKey,
  signLink,
  signProvisionalLink,
  type ChainBodies,
  type ChainLink,
  type SignedChainLink,
} from './chain';
import {
  deriveClaimAuth,
  deriveProvisionalOrgSecret,
  formatClaimFragment,
  hashClaimAuth,
  normalizeAccessCode,
  openClaimRecord,
  parseClaimFragment,
  sealClaimRecord,
} from './claim';
import { signSuccession, type SuccessionRecord } from './succession';

/*
 * Golden vectors for the claim derivations of DESIGN §11. Links already sent must keep opening:
 * never change these values. Cross-checked with node:crypto (hkdfSync, pbkdf2Sync).
 */
const seq = (length: number, start = 0): Bytes => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);
const CLAIM_SECRET = seq(32);
const ORG_ID = '5f2d6f7e-0000-4000-8000-000000000001';

const GOLDEN = {
  os1: '35c4a0d152c62e31ddf86d5a524b60fbb27b1e05b7916367ef7a653bee268103',
  os1WithCode: '6f4b13b2162d10c393f1a86882f5d3b0b7c4f225e3e480e0f2cd053e60da1395',
  claimAuth: '300c95b7fed8e78717d0d27dc20dadae69a859ff07953132533fe9fbf9c95fee',
  claimAuthHash: '20b45e38858cdbe7303a5842ff82f2d202d12728cadc99b47faaa64c0ffedb14',
};

describe('claim derivations (golden)', () => {
  it('derives OS₁ and claimAuth exactly as links already sent', async () => {
    expect(toHex(await deriveProvisionalOrgSecret(CLAIM_SECRET, ORG_ID, null))).toBe(GOLDEN.os1);
    expect(toHex(await deriveClaimAuth(CLAIM_SECRET))).toBe(GOLDEN.claimAuth);
    expect(toHex(await hashClaimAuth(await deriveClaimAuth(CLAIM_SECRET)))).toBe(GOLDEN.claimAuthHash);
  });

  it('mixes the access code in through PBKDF2, whatever its case, spaces or dashes', async () => {
    expect(toHex(await deriveProvisionalOrgSecret(CLAIM_SECRET, ORG_ID, '4711-abcd'))).toBe(GOLDEN.os1WithCode);
    expect(toHex(await deriveProvisionalOrgSecret(CLAIM_SECRET, ORG_ID, ' 4711 ABCD '))).toBe(GOLDEN.os1WithCode);
    expect(toHex(await deriveProvisionalOrgSecret(CLAIM_SECRET, ORG_ID, '4711-abce'))).not.toBe(GOLDEN.os1WithCode);
    expect(normalizeAccessCode('ab-c d')).toBe('ABCD');
  }, 20_000);

  it('binds OS₁ to the org id and the secret; claimAuth does not depend on the code', async () => {
    const other = await deriveProvisionalOrgSecret(CLAIM_SECRET, '5f2d6f7e-0000-4000-8000-000000000002', null);
    expect(toHex(other)).not.toBe(GOLDEN.os1);
    expect(toHex(await deriveProvisionalOrgSecret(seq(32, 1), ORG_ID, null))).not.toBe(GOLDEN.os1);
    expect(toHex(await deriveClaimAuth(CLAIM_SECRET))).not.toBe(GOLDEN.os1);
    await expect(deriveClaimAuth(seq(31))).rejects.toThrow(/32 bytes/);
    await expect(deriveProvisionalOrgSecret(CLAIM_SECRET, ORG_ID, ' - ')).rejects.toThrow(/empty/);
  });
});

describe('claim link fragment', () => {
  it('carries the secret and the supplier fingerprint, and refuses anything mangled', () => {
    const fragment = formatClaimFragment(CLAIM_SECRET, '12345 67890 12345 67890 12345 67890', false);
    expect(fragment).toBe(`${toBase64Url(CLAIM_SECRET)}.123456789012345678901234567890.n`);
    const parsed = parseClaimFragment(`#${fragment}`);
    expect(parsed && toHex(parsed.secret)).toBe(toHex(CLAIM_SECRET));
    expect(parsed?.supplierFingerprint).toBe('12345 67890 12345 67890 12345 67890');
    expect(parsed?.accessCode).toBe(false);
    expect(parseClaimFragment(formatClaimFragment(CLAIM_SECRET, '123456789012345678901234567890', true))?.accessCode).toBe(true);
    // A link made before the flag existed reads as before: whether a code was set is unknown.
    const old = `${toBase64Url(CLAIM_SECRET)}.123456789012345678901234567890`;
    expect(parseClaimFragment(old)).toMatchObject({ supplierFingerprint: '12345 67890 12345 67890 12345 67890', accessCode: null });
    expect(parseClaimFragment(old.slice(0, -1))).toBeNull();
    expect(parseClaimFragment(old.slice(1))).toBeNull();
    expect(parseClaimFragment(`${fragment}.x`)).toBeNull();
    expect(parseClaimFragment(`${old}.x`)).toBeNull();
    expect(parseClaimFragment(`${old}.`)).toBeNull();
    expect(parseClaimFragment('')).toBeNull();
    expect(() => formatClaimFragment(CLAIM_SECRET, '1234', false)).toThrow(/30 digits/);
  });
});

describe('claim record', () => {
  it('opens only under the same supplier secret and binding', async () => {
    const os = seq(32, 0x80);
    const binding = { supplierOrgId: 'supplier-1', provisionalOrgId: ORG_ID, version: 3 };
    const record = { v: 1 as const, claimSecret: toBase64Url(CLAIM_SECRET), email: 'ap@example.com', accessCode: '4711' };
    const sealed = await sealClaimRecord(os, binding, record);
    expect(await openClaimRecord(os, binding, sealed)).toEqual(record);
    await expect(openClaimRecord(os, { ...binding, provisionalOrgId: 'other' }, sealed)).rejects.toThrow();
    await expect(openClaimRecord(os, { ...binding, version: 2 }, sealed)).rejects.toThrow();
    await expect(openClaimRecord(seq(32, 0x81), binding, sealed)).rejects.toThrow();
  });
});

const ENC = (n: number) => toBase64Url(seq(32, n));
const T0 = '2026-01-02T03:04:05.000Z';
const CLAIMANT = '5f2d6f7e-0000-4000-8000-00000000c1a1';

describe('provisional chain', () => {
  async function provisional() {
    const org1 = await signerFromSeed(toHex(seq(32, 0x11)));
    const org2 = await signerFromSeed(toHex(seq(32, 0x22)));
    const user = await signerFromSeed(toHex(seq(32, 0x33)));
    const other = await signerFromSeed(toHex(seq(32, 0x44)));
    const body: ChainBodies['provisional'] = { epoch: 1, encryptionPublicKey: ENC(0x40), signingPublicKey: org1.b64, supplierOrgId: 'supplier-1' };
    const link = await nextLink(emptyChainHead(ORG_ID), 'provisional', body, { userId: ORG_ID, signingPublicKey: org1.publicKey }, T0);
    const links: SignedChainLink[] = [{ link, signature: await signProvisionalLink(org1.privateKey, link) }];
    return { org1, org2, user, other, links };
  }

  async function claimed(p: Awaited<ReturnType<typeof provisional>>, orgKeyForClaim = p.org1, successionKey = p.org1) {
    const head = { orgId: ORG_ID, seq: 0, headHash: await hashLink(p.links[0]!.link) };
    const claim = await nextLink(head, 'claim', { userId: CLAIMANT, userSigningKey: p.user.b64, userEncryptionKey: ENC(0x50) }, { userId: CLAIMANT, signingPublicKey: p.user.publicKey }, T0);
    const record: SuccessionRecord = { v: 1, orgId: ORG_ID, epoch: 2, prevEpoch: 1, encryptionPublicKey: ENC(0x60), signingPublicKey: p.org2.b64 };
    const rotate = await nextLink({ orgId: ORG_ID, seq: 1, headHash: await hashLink(claim) }, 'rotate', { epoch: 2, prevEpoch: 1, encryptionPublicKey: record.encryptionPublicKey, signingPublicKey: record.signingPublicKey, successionSignature: await signSuccession(successionKey.privateKey, record) }, { userId: CLAIMANT, signingPublicKey: p.user.publicKey }, T0);
    return [
      ...p.links,
      { link: claim as ChainLink, signature: await signLink(p.user.privateKey, claim), orgSignature: await signClaimWithOrgKey(orgKeyForClaim.privateKey, claim) },
      { link: rotate as ChainLink, signature: await signLink(p.user.privateKey, rotate) },
    ];
  }

  async function refusal(links: SignedChainLink[]): Promise<{ reason: string; seq: number } | null> {
    return replayChain(ORG_ID, links).then(
      () => null,
      (e: unknown) => (e instanceof ChainError ? { reason: e.reason, seq: e.seq } : { reason: String(e), seq: -1 }),
    );
  }

  it('starts with no member, signed by its own org key', async () => {
    const p = await provisional();
    const state = await replayChain(ORG_ID, p.links);
    expect(state.members.size).toBe(0);
    expect(state.provisional).toEqual({ supplierOrgId: 'supplier-1', claimed: false });
    expect(state.epochs[1]?.signingPublicKey).toBe(p.org1.b64);
    const forged = { ...p.links[0]!, signature: await signProvisionalLink(p.other.privateKey, p.links[0]!.link as ChainLink<'provisional'>) };
    expect(await refusal([forged])).toEqual({ reason: 'bad_signature', seq: 0 });
  });

  it('is claimed by a user holding the org key, who rotates at once with a succession from it', async () => {
    const p = await provisional();
    const state = await replayChain(ORG_ID, await claimed(p));
    expect(state.provisional).toEqual({ supplierOrgId: 'supplier-1', claimed: true });
    expect([...state.members.values()].map((m) => [m.userId, m.role])).toEqual([[CLAIMANT, 'owner']]);
    expect(state.epoch).toBe(2);
    expect(state.epochs[2]?.signingPublicKey).toBe(p.org2.b64);
  });

  it('refuses a claim without the org key, without its rotation, a second claim, or a claim of a real org', async () => {
    const p = await provisional();
    expect(await refusal(await claimed(p, p.other))).toEqual({ reason: 'bad_signature', seq: 1 });
    expect(await refusal(await claimed(p, p.org1, p.other))).toEqual({ reason: 'bad_succession', seq: 2 });
    const links = await claimed(p);
    expect(await refusal(links.slice(0, 2))).toEqual({ reason: 'missing_rotate', seq: 2 });
    const { orgSignature: _dropped, ...unsigned } = links[1]!;
    expect(await refusal([links[0]!, unsigned, links[2]!])).toEqual({ reason: 'bad_signature', seq: 1 });
    // Anything but a claim, signed by anyone, is refused while nobody is a member.
    const invite = await nextLink({ orgId: ORG_ID, seq: 0, headHash: await hashLink(p.links[0]!.link) }, 'invite', { inviteId: 'inv-1', invitePublicKey: ENC(1), role: 'owner', expiresAt: '2026-02-01T00:00:00.000Z' }, { userId: CLAIMANT, signingPublicKey: p.user.publicKey }, T0);
    expect(await refusal([p.links[0]!, { link: invite, signature: await signLink(p.user.privateKey, invite) }])).toEqual({ reason: 'not_authorized', seq: 1 });
    const again = await nextLink({ orgId: ORG_ID, seq: 2, headHash: await hashLink(links[2]!.link) }, 'claim', { userId: CLAIMANT, userSigningKey: p.user.b64, userEncryptionKey: ENC(0x50) }, { userId: CLAIMANT, signingPublicKey: p.user.publicKey }, T0);
    expect(await refusal([...links, { link: again, signature: await signLink(p.user.privateKey, again), orgSignature: await signClaimWithOrgKey(p.org2.privateKey, again) }])).toEqual({ reason: 'bad_body', seq: 3 });
  });
});
