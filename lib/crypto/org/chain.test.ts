import { describe, expect, it } from 'vitest';
import { fromHex, toBase64Url, toHex, utf8Decode, type Bytes } from '../encoding';
import {
  canonicalLinkBytes,
  ChainError,
  emptyChainHead,
  hashLink,
  nextLink,
  replayChain,
  signCreateWithOrgKey,
  signLink,
  type ChainBodies,
  type ChainLink,
  type ChainLinkType,
  type ChainState,
  type SignedChainLink,
} from './chain';
import { openPreviousEpochSecret, sealPreviousEpochSecret } from './epoch';
import { deriveInviteKeyPair, hashAcceptance, signAcceptance, verifyAcceptance, type Acceptance } from './invite';
import { followSuccession, signSuccession, verifySuccession, type SignedSuccession, type SuccessionRecord } from './succession';
import { expectCryptoError, signerFromSeed, type Signer } from '../test-utils';

/*
 * Golden vectors for membership chain link format v1, invitation key derivation, acceptances,
 * succession records and the epoch chain. Stored chains must replay forever: never update these
 * values; add a v2 beside v1. Ed25519 is deterministic, so every signature here is fixed.
 */
const seq = (length: number, start = 0): Bytes => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);

// RFC 8032 §7.1 TEST 1–3 key pairs, and two more fixed seeds.
const OWNER_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const ORG1_SEED = '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb';
const MEMBER_SEED = 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7';
const ORG2_SEED = toHex(seq(32, 0x20));
const VIEWER_SEED = toHex(seq(32, 0x60));

const ORG_ID = 'org-golden-0001';
const T0 = '2026-01-02T03:04:05.000Z';
const ENC = (n: number) => toBase64Url(seq(32, n));
const INVITE_SECRET = seq(32);

const GOLDEN = {
  createJcs:
    '{"body":{"encryptionPublicKey":"QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8","epoch":1,"signingPublicKey":"PUAXw-hDiVqStwqnTRt-vJyYLM8uxJaMwM1V8Sr0Zgw","userEncryptionKey":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8","userId":"user-owner","userSigningKey":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},"createdAt":"2026-01-02T03:04:05.000Z","orgId":"org-golden-0001","prevHash":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","seq":0,"signerKeyId":"_Sl1nUVTibb3O7GvYQigEw","signerUserId":"user-owner","type":"create","v":1}',
  createSignature: 'X27GEqK_OW9XxLhOFF9m34vz7hAB9BQOphR0hb_BK-9mf4oXladdg4PxhAIvcb-yBexB_qNdRAf84vyy-uq9DQ',
  createOrgSignature: '4NlbLVP3F337y52-GIzfkgaFfV0sIWxV8w7HzFxwZ3HwsZ3eVXWM50hRqCVDNGT4Y0OZ5jr-Hn2-XRAtKljcAw',
  createHash: '825LUH7pYOP94ogWgmQc7Bem-mJcS8dUdGucVK-wQEY',
  invitePublicKey: 'cKhm6IUJ9Amm5AIXay33lmXBqZeqTCU1oUQOwIXzmGM',
  inviteSignature: '6ctbICdBxucjTDCyHsbVZUgNctv2cT3CUBfygy0YZjVf_sk-teaH-yQJryjXQwJAMblTRoYUGBa83DmcLQe3AA',
  acceptanceInviteSignature: 'onu2iKqxoMMGYzK7rcjl9jE7DQIFN5C5lEcnbgWH5xkbD6EKMzzuTjVweW0wSMnfgBqbe-wMw5kk7UBRHgmRBQ',
  acceptanceHash: 'mN1f7m0Barpk49wdTKLqQ3PjfUgGivQMdOFiYiEVWs0',
  successionSignature: '6pxTImgkvx1yyHQpQwnZKgmYwZC9Ob5X20g5W7m2H23tjSwF87vLS1QTCwBN8HAEOQ5-VXf52_pjAeoI9z_0Cw',
  // Sealed box v1 of OS₁ = 80..9f under HKDF(OS₂ = a0..bf, "zkinvoice/v1/epoch-chain-key|org-golden-0001|2").
  epochLink: '01c0c1c2c3c4c5c6c7c8c9cacb176aa20a2d84d89ff189e208c12a12162a563c0a7a44fdd70c0ce90416c11c31a8c08b42de7fcb8479926309592aaea8',
};

interface Fixture {
  owner: Signer;
  org1: Signer;
  org2: Signer;
  member: Signer;
  viewer: Signer;
}

async function fixture(): Promise<Fixture> {
  return {
    owner: await signerFromSeed(OWNER_SEED),
    org1: await signerFromSeed(ORG1_SEED),
    org2: await signerFromSeed(ORG2_SEED),
    member: await signerFromSeed(MEMBER_SEED),
    viewer: await signerFromSeed(VIEWER_SEED),
  };
}

/** Builds a chain link by link, as a client would: each link continues the replayed head. */
class ChainBuilder {
  links: SignedChainLink[] = [];
  head: Pick<ChainState, 'orgId' | 'seq' | 'headHash'> = emptyChainHead(ORG_ID);
  time = Date.parse(T0);

  async append<T extends ChainLinkType>(type: T, body: ChainBodies[T], signer: Signer, userId: string, extra: Partial<SignedChainLink> = {}): Promise<SignedChainLink> {
    const link = await nextLink(this.head, type, body, { userId, signingPublicKey: signer.publicKey }, new Date(this.time).toISOString());
    this.time += 1000;
    const signed: SignedChainLink = { link: link as ChainLink, signature: await signLink(signer.privateKey, link as ChainLink), ...extra };
    this.links.push(signed);
    this.head = { orgId: ORG_ID, seq: link.seq, headHash: await hashLink(link as ChainLink) };
    return signed;
  }
}

async function createBody(f: Fixture): Promise<ChainBodies['create']> {
  return { epoch: 1, encryptionPublicKey: ENC(0x40), signingPublicKey: f.org1.b64, userId: 'user-owner', userSigningKey: f.owner.b64, userEncryptionKey: ENC(0) };
}

async function started(f: Fixture): Promise<ChainBuilder> {
  const chain = new ChainBuilder();
  const link = await nextLink(chain.head, 'create', await createBody(f), { userId: 'user-owner', signingPublicKey: f.owner.publicKey }, T0);
  chain.links.push({ link, signature: await signLink(f.owner.privateKey, link), orgSignature: await signCreateWithOrgKey(f.org1.privateKey, link) });
  chain.head = { orgId: ORG_ID, seq: 0, headHash: await hashLink(link) };
  chain.time += 1000;
  return chain;
}

async function acceptance(f: Fixture, inviteId: string, user: Signer, userId: string, secret = INVITE_SECRET) {
  const inviteKey = await deriveInviteKeyPair(secret, ORG_ID, inviteId);
  const body: Acceptance = { v: 1, orgId: ORG_ID, inviteId, userId, userSigningKey: user.b64, userEncryptionKey: ENC(0x10), createdAt: T0 };
  return { inviteKey, signed: await signAcceptance(body, inviteKey.privateKey, user.privateKey), hash: await hashAcceptance(body) };
}

/** owner creates; invites and adds a member and a viewer; returns the builder. */
async function team(f: Fixture): Promise<ChainBuilder> {
  const chain = await started(f);
  const memberInvite = await deriveInviteKeyPair(INVITE_SECRET, ORG_ID, 'inv-member');
  await chain.append('invite', { inviteId: 'inv-member', invitePublicKey: toBase64Url(memberInvite.publicKey), role: 'member', expiresAt: '2026-01-09T00:00:00.000Z' }, f.owner, 'user-owner');
  const accepted = await acceptance(f, 'inv-member', f.member, 'user-member');
  await chain.append('add', { inviteId: 'inv-member', userId: 'user-member', userSigningKey: f.member.b64, userEncryptionKey: ENC(0x10), role: 'member', acceptanceHash: accepted.hash }, f.owner, 'user-owner');
  const viewerInvite = await deriveInviteKeyPair(seq(32, 1), ORG_ID, 'inv-viewer');
  await chain.append('invite', { inviteId: 'inv-viewer', invitePublicKey: toBase64Url(viewerInvite.publicKey), role: 'viewer', expiresAt: '2026-01-09T00:00:00.000Z' }, f.owner, 'user-owner');
  await chain.append('add', { inviteId: 'inv-viewer', userId: 'user-viewer', userSigningKey: f.viewer.b64, userEncryptionKey: ENC(0x30), role: 'viewer', acceptanceHash: accepted.hash }, f.owner, 'user-owner');
  return chain;
}

async function rotation(f: Fixture, epoch = 2, signerKey: Signer = f.org1): Promise<ChainBodies['rotate']> {
  const record: SuccessionRecord = { v: 1, orgId: ORG_ID, epoch, prevEpoch: epoch - 1, encryptionPublicKey: ENC(0x70), signingPublicKey: f.org2.b64 };
  return { epoch, prevEpoch: epoch - 1, encryptionPublicKey: record.encryptionPublicKey, signingPublicKey: record.signingPublicKey, successionSignature: await signSuccession(signerKey.privateKey, record) };
}

async function expectRefused(links: SignedChainLink[], reason: ChainError['reason'], at: number): Promise<void> {
  const error = await replayChain(ORG_ID, links).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ChainError);
  expect({ reason: (error as ChainError).reason, seq: (error as ChainError).seq }).toEqual({ reason, seq: at });
}

describe('membership chain format v1 (golden)', () => {
  it('canonicalizes, signs and hashes a create link exactly as stored chains were', async () => {
    const f = await fixture();
    const chain = await started(f);
    const [create] = chain.links;
    expect(utf8Decode(canonicalLinkBytes(create!.link))).toBe(GOLDEN.createJcs);
    expect(create!.signature).toBe(GOLDEN.createSignature);
    expect(create!.orgSignature).toBe(GOLDEN.createOrgSignature);
    expect(await hashLink(create!.link)).toBe(GOLDEN.createHash);
    const state = await replayChain(ORG_ID, [{ link: JSON.parse(GOLDEN.createJcs) as ChainLink, signature: GOLDEN.createSignature, orgSignature: GOLDEN.createOrgSignature }]);
    expect(state.headHash).toBe(GOLDEN.createHash);
    expect([...state.members.values()]).toEqual([{ userId: 'user-owner', role: 'owner', signingKey: f.owner.b64, encryptionKey: ENC(0), since: 0 }]);
  });

  it('derives the invitation key and signs acceptances and successions with fixed results', async () => {
    const f = await fixture();
    const invite = await deriveInviteKeyPair(INVITE_SECRET, ORG_ID, 'inv-member');
    expect(toBase64Url(invite.publicKey)).toBe(GOLDEN.invitePublicKey);
    expect(invite.privateKey.extractable).toBe(false);
    const chain = await team(f);
    expect(chain.links[1]!.signature).toBe(GOLDEN.inviteSignature);
    const accepted = await acceptance(f, 'inv-member', f.member, 'user-member');
    expect(accepted.signed.inviteSignature).toBe(GOLDEN.acceptanceInviteSignature);
    expect(accepted.hash).toBe(GOLDEN.acceptanceHash);
    expect((await rotation(f)).successionSignature).toBe(GOLDEN.successionSignature);
  });

  it('opens the golden epoch link', async () => {
    const opened = await openPreviousEpochSecret(seq(32, 0xa0), fromHex(GOLDEN.epochLink), { orgId: ORG_ID, epoch: 2 });
    expect(toHex(opened)).toBe(toHex(seq(32, 0x80)));
  });
});

describe('membership chain replay', () => {
  it('replays a team: create, invite, add, role, remove + rotate', async () => {
    const f = await fixture();
    const chain = await team(f);
    await chain.append('role', { userId: 'user-member', role: 'admin' }, f.owner, 'user-owner');
    await chain.append('remove', { userId: 'user-viewer' }, f.member, 'user-member');
    await chain.append('rotate', await rotation(f), f.member, 'user-member');
    const state = await replayChain(ORG_ID, chain.links);
    expect(state.seq).toBe(7);
    expect(state.headHash).toBe(chain.head.headHash);
    expect(state.epoch).toBe(2);
    expect(state.epochs[2]).toEqual({ encryptionPublicKey: ENC(0x70), signingPublicKey: f.org2.b64 });
    expect([...state.members.keys()].sort()).toEqual(['user-member', 'user-owner']);
    expect(state.members.get('user-member')?.role).toBe('admin');
    expect(state.removed.get('user-viewer')).toBe(6);
    expect(state.invites.get('inv-member')?.state).toBe('used');
  });

  it('refuses a gap in seq, a wrong prevHash, another org, a changed body', async () => {
    const f = await fixture();
    const links = (await team(f)).links;
    await expectRefused([links[0]!, links[2]!], 'bad_seq', 1);
    const rehashed = { ...links[1]!, link: { ...links[1]!.link, prevHash: toBase64Url(seq(32)) } };
    await expectRefused([links[0]!, rehashed], 'bad_prev_hash', 1);
    await expectRefused([{ ...links[0]!, link: { ...links[0]!.link, orgId: 'org-other' } }], 'bad_format', 0);
    const changed = { ...links[2]!, link: { ...links[2]!.link, body: { ...(links[2]!.link.body as ChainBodies['add']), role: 'owner' as const } } } as SignedChainLink;
    await expectRefused([...links.slice(0, 2), changed], 'bad_signature', 2);
    await expectRefused([], 'empty', 0);
  });

  it('refuses a create not signed by the org key it introduces, or a second create', async () => {
    const f = await fixture();
    const links = (await team(f)).links;
    await expectRefused([{ ...links[0]!, orgSignature: null }], 'bad_signature', 0);
    await expectRefused([{ ...links[0]!, orgSignature: links[0]!.signature }], 'bad_signature', 0);
    const chain = await started(f);
    await chain.append('create', await createBody(f), f.owner, 'user-owner');
    await expectRefused(chain.links, 'bad_body', 1);
  });

  it('judges each signer by its role at that point of the chain', async () => {
    const f = await fixture();
    const chain = await team(f);
    // A member (not admin) cannot invite; neither can a user the chain does not know.
    const memberInvite = new ChainBuilder();
    Object.assign(memberInvite, { links: [...chain.links], head: chain.head, time: chain.time });
    await memberInvite.append('revoke-invite', { inviteId: 'inv-x' }, f.member, 'user-member');
    await expectRefused(memberInvite.links, 'not_authorized', 5);
    const stranger = Object.assign(new ChainBuilder(), { links: [...chain.links], head: chain.head, time: chain.time });
    await stranger.append('role', { userId: 'user-viewer', role: 'member' }, f.org2, 'user-server');
    await expectRefused(stranger.links, 'not_authorized', 5);
    // An admin who was demoted can no longer sign.
    await chain.append('role', { userId: 'user-member', role: 'admin' }, f.owner, 'user-owner');
    await chain.append('role', { userId: 'user-member', role: 'member' }, f.owner, 'user-owner');
    await chain.append('role', { userId: 'user-viewer', role: 'member' }, f.member, 'user-member');
    await expectRefused(chain.links, 'not_authorized', 7);
  });

  it('refuses a signer using a key the chain does not hold for it', async () => {
    const f = await fixture();
    const chain = await team(f);
    await chain.append('role', { userId: 'user-viewer', role: 'member' }, f.member, 'user-owner');
    await expectRefused(chain.links, 'bad_signature', 5);
  });

  it('lets only an owner make an owner, and never removes or demotes the last owner', async () => {
    const f = await fixture();
    const base = await team(f);
    await base.append('role', { userId: 'user-member', role: 'admin' }, f.owner, 'user-owner');
    const fork = () => Object.assign(new ChainBuilder(), { links: [...base.links], head: base.head, time: base.time });
    const adminMakesOwner = fork();
    await adminMakesOwner.append('role', { userId: 'user-viewer', role: 'owner' }, f.member, 'user-member');
    await expectRefused(adminMakesOwner.links, 'not_authorized', 6);
    const adminInvitesOwner = fork();
    await adminInvitesOwner.append('invite', { inviteId: 'inv-o', invitePublicKey: f.org2.b64, role: 'owner', expiresAt: '2026-02-01T00:00:00.000Z' }, f.member, 'user-member');
    await expectRefused(adminInvitesOwner.links, 'not_authorized', 6);
    const adminRemovesOwner = fork();
    await adminRemovesOwner.append('remove', { userId: 'user-owner' }, f.member, 'user-member');
    await expectRefused(adminRemovesOwner.links, 'not_authorized', 6);
    const demoteLast = fork();
    await demoteLast.append('role', { userId: 'user-owner', role: 'admin' }, f.owner, 'user-owner');
    await expectRefused(demoteLast.links, 'bad_body', 6);
  });

  it('adds only against an open, unexpired invitation of the same role', async () => {
    const f = await fixture();
    const chain = await started(f);
    const invite = await deriveInviteKeyPair(INVITE_SECRET, ORG_ID, 'inv-1');
    await chain.append('invite', { inviteId: 'inv-1', invitePublicKey: toBase64Url(invite.publicKey), role: 'viewer', expiresAt: '2026-01-02T03:05:00.000Z' }, f.owner, 'user-owner');
    const fork = () => Object.assign(new ChainBuilder(), { links: [...chain.links], head: chain.head, time: chain.time });
    const add = (role: 'viewer' | 'member', inviteId = 'inv-1'): ChainBodies['add'] => ({ inviteId, userId: 'user-member', userSigningKey: f.member.b64, userEncryptionKey: ENC(0x10), role, acceptanceHash: ENC(1) });

    const otherRole = fork();
    await otherRole.append('add', add('member'), f.owner, 'user-owner');
    await expectRefused(otherRole.links, 'bad_body', 2);
    const unknown = fork();
    await unknown.append('add', add('viewer', 'inv-2'), f.owner, 'user-owner');
    await expectRefused(unknown.links, 'bad_body', 2);
    const revoked = fork();
    await revoked.append('revoke-invite', { inviteId: 'inv-1' }, f.owner, 'user-owner');
    await revoked.append('add', add('viewer'), f.owner, 'user-owner');
    await expectRefused(revoked.links, 'bad_body', 3);
    const expired = fork();
    expired.time = Date.parse('2026-01-03T00:00:00.000Z');
    await expired.append('add', add('viewer'), f.owner, 'user-owner');
    await expectRefused(expired.links, 'bad_body', 2);
    const twice = fork();
    await twice.append('add', add('viewer'), f.owner, 'user-owner');
    await twice.append('add', add('viewer'), f.owner, 'user-owner');
    await expectRefused(twice.links, 'bad_body', 3);
  });

  it('needs a rotate right after a remove, by the same signer, with a valid succession', async () => {
    const f = await fixture();
    const base = await team(f);
    await base.append('remove', { userId: 'user-viewer' }, f.owner, 'user-owner');
    const fork = () => Object.assign(new ChainBuilder(), { links: [...base.links], head: base.head, time: base.time });
    await expectRefused(base.links, 'missing_rotate', 6);
    const other = fork();
    await other.append('role', { userId: 'user-member', role: 'admin' }, f.owner, 'user-owner');
    await expectRefused(other.links, 'missing_rotate', 6);
    const forged = fork();
    await forged.append('rotate', await rotation(f, 2, f.org2), f.owner, 'user-owner');
    await expectRefused(forged.links, 'bad_succession', 6);
    const skipped = fork();
    await skipped.append('rotate', await rotation(f, 3), f.owner, 'user-owner');
    await expectRefused(skipped.links, 'bad_body', 6);
    const good = fork();
    await good.append('rotate', await rotation(f), f.owner, 'user-owner');
    expect((await replayChain(ORG_ID, good.links)).epoch).toBe(2);
  });

  it('lets a member leave only through another owner/admin: a self-removal cannot rotate', async () => {
    const f = await fixture();
    const chain = await team(f);
    await chain.append('role', { userId: 'user-member', role: 'admin' }, f.owner, 'user-owner');
    await chain.append('remove', { userId: 'user-member' }, f.member, 'user-member');
    await chain.append('rotate', await rotation(f), f.member, 'user-member');
    await expectRefused(chain.links, 'not_authorized', 7);
  });
});

describe('invitation acceptance', () => {
  it('verifies only with the invitation key and the named user key', async () => {
    const f = await fixture();
    const { inviteKey, signed } = await acceptance(f, 'inv-1', f.member, 'user-member');
    const invitePublic = toBase64Url(inviteKey.publicKey);
    expect(await verifyAcceptance(invitePublic, signed)).toBe(true);
    const otherInvite = await deriveInviteKeyPair(INVITE_SECRET, ORG_ID, 'inv-2');
    expect(await verifyAcceptance(toBase64Url(otherInvite.publicKey), signed)).toBe(false);
    expect(await verifyAcceptance(invitePublic, { ...signed, acceptance: { ...signed.acceptance, userSigningKey: f.viewer.b64 } })).toBe(false);
    expect(await verifyAcceptance(invitePublic, { ...signed, acceptance: { ...signed.acceptance, userEncryptionKey: ENC(0x77) } })).toBe(false);
    expect(await verifyAcceptance(invitePublic, { ...signed, inviteSignature: signed.userSignature })).toBe(false);
    expect(await verifyAcceptance(invitePublic, { ...signed, userSignature: 'not-base64!' })).toBe(false);
  });

  it('derives another key for another org, invitation or secret', async () => {
    const a = toBase64Url((await deriveInviteKeyPair(INVITE_SECRET, ORG_ID, 'inv-1')).publicKey);
    expect(toBase64Url((await deriveInviteKeyPair(INVITE_SECRET, 'org-2', 'inv-1')).publicKey)).not.toBe(a);
    expect(toBase64Url((await deriveInviteKeyPair(INVITE_SECRET, ORG_ID, 'inv-2')).publicKey)).not.toBe(a);
    expect(toBase64Url((await deriveInviteKeyPair(seq(32, 9), ORG_ID, 'inv-1')).publicKey)).not.toBe(a);
    await expectCryptoError(deriveInviteKeyPair(seq(16), ORG_ID, 'inv-1'), 'bad_key');
  });
});

describe('key succession', () => {
  it('follows records from a pinned epoch to the served keys, and nothing else', async () => {
    const f = await fixture();
    const org3 = await signerFromSeed(toHex(seq(32, 0x90)));
    const r2: SuccessionRecord = { v: 1, orgId: ORG_ID, epoch: 2, prevEpoch: 1, encryptionPublicKey: ENC(0x70), signingPublicKey: f.org2.b64 };
    const r3: SuccessionRecord = { v: 1, orgId: ORG_ID, epoch: 3, prevEpoch: 2, encryptionPublicKey: ENC(0x71), signingPublicKey: org3.b64 };
    const records: SignedSuccession[] = [
      { record: r2, signature: await signSuccession(f.org1.privateKey, r2) },
      { record: r3, signature: await signSuccession(f.org2.privateKey, r3) },
    ];
    const pin = { epoch: 1, signingPublicKey: f.org1.b64, encryptionPublicKey: ENC(0x40) };
    const served = { epoch: 3, signingPublicKey: org3.b64, encryptionPublicKey: ENC(0x71) };
    expect(await followSuccession(ORG_ID, pin, served, records)).toEqual([r2, r3]);
    expect(await followSuccession(ORG_ID, pin, pin, records)).toEqual([]);
    // A swapped key at the served epoch, a record signed by the wrong key, a missing record.
    expect(await followSuccession(ORG_ID, pin, { ...served, encryptionPublicKey: ENC(0x72) }, records)).toBeNull();
    expect(await followSuccession(ORG_ID, pin, served, [records[0]!, { record: r3, signature: await signSuccession(org3.privateKey, r3) }])).toBeNull();
    expect(await followSuccession(ORG_ID, pin, served, [records[1]!])).toBeNull();
    expect(await followSuccession('org-other', pin, served, records)).toBeNull();
    expect(await verifySuccession(f.org1.b64, { ...r2, epoch: 4 }, records[0]!.signature)).toBe(false);
  });
});

describe('epoch chain', () => {
  it('opens the previous epoch’s secret only with the new one and the same binding', async () => {
    const sealed = await sealPreviousEpochSecret(seq(32, 0xa0), seq(32, 0x80), { orgId: ORG_ID, epoch: 2 });
    expect(await openPreviousEpochSecret(seq(32, 0xa0), sealed, { orgId: ORG_ID, epoch: 2 })).toEqual(seq(32, 0x80));
    await expectCryptoError(openPreviousEpochSecret(seq(32, 0xa1), sealed, { orgId: ORG_ID, epoch: 2 }), 'decrypt_failed');
    await expectCryptoError(openPreviousEpochSecret(seq(32, 0xa0), sealed, { orgId: ORG_ID, epoch: 3 }), 'decrypt_failed');
    await expectCryptoError(openPreviousEpochSecret(seq(32, 0xa0), sealed, { orgId: 'org-other', epoch: 2 }), 'decrypt_failed');
  });
});
