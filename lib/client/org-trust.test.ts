import { beforeEach, describe, expect, it } from 'vitest';
import { toBase64Url } from '@/lib/crypto/encoding';
import { generateKeyPairs } from '@/lib/crypto/keys';
import { emptyChainHead, hashLink, nextLink, signCreateWithOrgKey, signLink, type ChainLink, type SignedChainLink } from '@/lib/crypto/org';
import type { OrgMembersDto } from '@/lib/shared/schemas/org';
import type { UnlockedOrg } from './account';
import { chainScope, memoryMarkStore, readHighWater, useMarkStore } from './high-water';
import type { Keyring } from './keyring';
import { verifyMembership, type ChainMemory } from './org-trust';

// The chain head a user verified is remembered in the keyring and on the device (DESIGN §3.4): a
// server that later serves fewer links, or other ones, is caught by either.
const ORG_ID = '11111111-1111-4111-8111-111111111111';
const USER_ID = '22222222-2222-4222-8222-222222222222';

const owner = await generateKeyPairs();
const orgKeys = await generateKeyPairs();
const ownerSigner = { userId: USER_ID, signingPublicKey: owner.signingPublicKey };
const create = await nextLink(emptyChainHead(ORG_ID), 'create', {
  epoch: 1,
  encryptionPublicKey: toBase64Url(orgKeys.encryptionPublicKey),
  signingPublicKey: toBase64Url(orgKeys.signingPublicKey),
  userId: USER_ID,
  userSigningKey: toBase64Url(owner.signingPublicKey),
  userEncryptionKey: toBase64Url(owner.encryptionPublicKey),
}, ownerSigner);
const signedCreate: SignedChainLink = { link: create, signature: await signLink(owner.signingPrivateKey, create), orgSignature: await signCreateWithOrgKey(orgKeys.signingPrivateKey, create as ChainLink<'create'>) };

async function invite(after: ChainLink, id: string): Promise<SignedChainLink> {
  const link = await nextLink({ orgId: ORG_ID, seq: after.seq, headHash: await hashLink(after) }, 'invite', { inviteId: id, invitePublicKey: toBase64Url(new Uint8Array(32)), role: 'member', expiresAt: '2099-01-01T00:00:00.000Z' }, ownerSigner);
  return { link, signature: await signLink(owner.signingPrivateKey, link) };
}
const inviteA = await invite(create, 'invite-a');
const inviteB = await invite(create, 'invite-b');

const org = { orgId: ORG_ID, keyVersion: 1, keys: orgKeys } as unknown as UnlockedOrg;
const members = [{ userId: USER_ID, displayName: 'Owner', email: 'o@example.test', role: 'owner', joinedAt: '2026-01-01T00:00:00.000Z', signingPublicKey: toBase64Url(owner.signingPublicKey), encryptionPublicKey: toBase64Url(owner.encryptionPublicKey) }];
const served = (chain: SignedChainLink[]) => ({ orgId: ORG_ID, name: 'Org', currentEpoch: 1, chain, members, invitations: [], acceptances: [], grantHolders: [USER_ID] }) as unknown as OrgMembersDto;

function memoryKeyring(): ChainMemory & { keyring: Keyring } {
  const state = { keyring: { v: 2, version: 1, prevHash: null, orgs: {}, payees: [], chains: {} } as Keyring };
  return Object.assign(state, {
    current: () => state.keyring,
    updateKeyring: async (change: (k: Keyring) => void) => {
      const next = structuredClone(state.keyring);
      change(next);
      next.version++;
      state.keyring = next;
      return next;
    },
  });
}

const keys = (problems: { key: string }[]) => problems.map((p) => p.key);

describe('membership chain head (DESIGN §3.4)', () => {
  beforeEach(() => useMarkStore(memoryMarkStore()));

  it('remembers a verified head in the keyring and on the device, and raises both as the chain grows', async () => {
    const memory = memoryKeyring();
    const first = await verifyMembership({ userId: USER_ID }, org, served([signedCreate]), memory);
    expect(keys(first.problems)).toEqual([]);
    expect(first.head).toEqual({ seq: 0, hash: await hashLink(create) });
    const grown = await verifyMembership({ userId: USER_ID }, org, served([signedCreate, inviteA]), memory);
    expect(keys(grown.problems)).toEqual([]);
    const head = { seq: 1, hash: await hashLink(inviteA.link) };
    expect(memory.keyring.chains[ORG_ID]).toEqual(head);
    expect(await readHighWater(USER_ID, chainScope(ORG_ID))).toEqual(head);
  });

  it('refuses a chain with its tail withheld, a different link at a seen position, and no chain at all, without lowering the marks', async () => {
    const memory = memoryKeyring();
    await verifyMembership({ userId: USER_ID }, org, served([signedCreate, inviteA]), memory);
    const shorter = await verifyMembership({ userId: USER_ID }, org, served([signedCreate]), memory);
    expect(keys(shorter.problems)).toEqual(['members.chain_rollback']);
    expect(shorter.problems[0]!.blocking).toBe(true);
    expect(shorter.head).toBeNull();
    const other = await verifyMembership({ userId: USER_ID }, org, served([signedCreate, inviteB]), memory);
    expect(keys(other.problems)).toEqual(['members.chain_fork']);
    const none = await verifyMembership({ userId: USER_ID }, org, served([]), memory);
    expect(keys(none.problems)).toEqual(['members.chain_rollback']);
    expect(memory.keyring.chains[ORG_ID]!.seq).toBe(1);
    expect((await readHighWater(USER_ID, chainScope(ORG_ID)))!.seq).toBe(1);
  });

  it('catches a withheld tail on a new device through the keyring, and on a device whose keyring was rolled back through its mark', async () => {
    const memory = memoryKeyring();
    await verifyMembership({ userId: USER_ID }, org, served([signedCreate, inviteA]), memory);
    useMarkStore(memoryMarkStore());
    expect(keys((await verifyMembership({ userId: USER_ID }, org, served([signedCreate]), memory)).problems)).toEqual(['members.chain_rollback']);

    useMarkStore(memoryMarkStore());
    await verifyMembership({ userId: USER_ID }, org, served([signedCreate, inviteA]), memory);
    expect(keys((await verifyMembership({ userId: USER_ID }, org, served([signedCreate]), memoryKeyring())).problems)).toEqual(['members.chain_rollback']);
  });

  it('has nothing to compare on first sight of an old org without a chain', async () => {
    expect(keys((await verifyMembership({ userId: USER_ID }, org, served([]), memoryKeyring())).problems)).toEqual(['members.chain_none']);
  });
});
