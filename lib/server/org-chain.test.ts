import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnlockedOrg } from '@/lib/client/account';
import { buildAcceptance, buildConfirmation, buildGenesis, buildInvitation, buildRemoval, buildRevokeInvitation, buildRoleChange, parseInviteSecret } from '@/lib/client/org-membership';
import { signMembershipCertificate, verifyMembershipCertificate, type MembershipCertificate } from '@/lib/crypto/certificate';
import { fromBase64Url, toBase64Url } from '@/lib/crypto/encoding';
import { generateKeyPairs } from '@/lib/crypto/keys';
import { deriveInviteKeyPair, generateOrgSecret, openOrgSecret, openPreviousEpochSecret, replayChain, sealOrgSecretToMember, type ChainState, type SignedChainLink } from '@/lib/crypto/org';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@/lib/db/test-database';
import { auditLog, memberships, orgKeys, orgSecretGrants, orgSuccessions, organizations } from '@/lib/db/schema';
import type { OrgRole } from '@/lib/shared/roles';
import { db } from './db';
import { AppError } from './errors';
import { acceptInvitation, appendToChain, getInvitation, orgMembers } from './org-members';
import { requireRole } from './orgs';
import { signerCertificates } from './signers';
import { testPerson, type TestPerson } from './test-people';
import { useDatabaseForTests } from './testing';
import { keyBundle } from './accounts';

const CONTEXT = { ip: null, userAgent: null };
const code = (promise: Promise<unknown>) => promise.then(() => 'ok', (e: unknown) => (e instanceof AppError ? `${e.code}` : String(e)));

type Person = TestPerson;
const person = testPerson;

/** An org as it was before chains: one owner row with its sealed secret as a grant, no links. */
async function legacyOrg(owner: Person): Promise<UnlockedOrg> {
  const orgId = randomUUID();
  const keys = await generateKeyPairs();
  const orgSecret = generateOrgSecret();
  const certificate: MembershipCertificate = { v: 1, orgId, userId: owner.userId, userSigningKey: toBase64Url(owner.keys.signingPublicKey), userEncryptionKey: toBase64Url(owner.keys.encryptionPublicKey), role: 'owner', version: 1, issuedAt: new Date().toISOString() };
  await db().insert(organizations).values({ id: orgId, name: 'Team org', handle: `team-${orgId}` });
  await db().insert(orgKeys).values({ orgId, version: 1, encryptionPublicKey: keys.encryptionPublicKey, signingPublicKey: keys.signingPublicKey, wrappedPrivateKeys: new Uint8Array(48) });
  await db().insert(memberships).values({ orgId, userId: owner.userId, role: 'owner', keyVersion: 1, certificate, certificateSignature: await signMembershipCertificate(keys.signingPrivateKey, certificate) });
  await db().insert(orgSecretGrants).values({ orgId, epoch: 1, userId: owner.userId, sealedOrgSecret: await sealOrgSecretToMember(orgSecret, owner.keys.encryptionPublicKey, { orgId, userId: owner.userId, version: 1 }) });
  return { orgId, name: 'Team org', handle: `team-${orgId}`, role: 'owner', keyVersion: 1, keys, orgSecret, dekWrapKey: null as unknown as CryptoKey, profileKey: null as unknown as CryptoKey, fingerprint: '' };
}

async function replayed(orgId: string, viewer: Person): Promise<ChainState> {
  const members = await orgMembers(viewer.session, orgId);
  return replayChain(orgId, members.chain as SignedChainLink[]);
}

describe.each(testDatabaseKinds())('organization membership on %s', (kind) => {
  let database: TestDatabase;
  let owner: Person;
  let org: UnlockedOrg;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    useDatabaseForTests(database.handle);
    owner = await person('owner');
    org = await legacyOrg(owner);
  });
  afterAll(() => database.drop());

  /** Invites `who` with `role`, has them accept with the link's secret, and confirms them. */
  async function join(who: Person, role: OrgRole): Promise<void> {
    const invitation = await buildInvitation(owner, await replayed(org.orgId, owner), role);
    await appendToChain(owner.session, org.orgId, invitation.request, CONTEXT);
    const secret = parseInviteSecret(invitation.path.split('#')[1]!)!;
    const shown = await getInvitation(who.session, invitation.inviteId);
    expect(shown).toMatchObject({ orgName: 'Team org', role, state: 'open', accepted: false, member: false });
    await acceptInvitation(who.session, invitation.inviteId, await buildAcceptance(who, shown, secret), CONTEXT);
    const pending = (await orgMembers(owner.session, org.orgId)).acceptances.find((a) => a.acceptance.userId === who.userId)!;
    await appendToChain(owner.session, org.orgId, await buildConfirmation(owner, org, await replayed(org.orgId, owner), pending), CONTEXT);
  }

  it('lets the sole owner of an org made before chains start its chain, once', async () => {
    expect(await code(appendToChain(owner.session, org.orgId, { links: [], grants: [], certificates: [] }, CONTEXT))).not.toBe('ok');
    await appendToChain(owner.session, org.orgId, await buildGenesis(owner, org), CONTEXT);
    expect(await code(appendToChain(owner.session, org.orgId, await buildGenesis(owner, org), CONTEXT))).toBe('bad_request');
    const state = await replayed(org.orgId, owner);
    expect([...state.members.keys()]).toEqual([owner.userId]);
  });

  it('invites, accepts and confirms a member and a viewer; roles are enforced', async () => {
    const member = await person('member');
    const viewer = await person('viewer');
    await join(member, 'member');
    await join(viewer, 'viewer');
    const state = await replayed(org.orgId, viewer);
    expect(Object.fromEntries([...state.members.values()].map((m) => [m.userId, m.role]))).toEqual({ [owner.userId]: 'owner', [member.userId]: 'member', [viewer.userId]: 'viewer' });

    // The confirmed member opens OS with its own key, as its unlock will.
    const bundle = await keyBundle(member.session);
    const mine = bundle.organizations.find((o) => o.orgId === org.orgId)!;
    expect(mine.role).toBe('member');
    expect(await openOrgSecret(member.keys.encryptionPrivateKey, member.keys.encryptionPublicKey, fromBase64Url(mine.sealedOrgSecret), { orgId: org.orgId, userId: member.userId, version: 1 })).toEqual(org.orgSecret);

    expect(await code(requireRole(viewer.session, org.orgId, 'invoice.read'))).toBe('ok');
    expect(await code(requireRole(viewer.session, org.orgId, 'invoice.send'))).toBe('forbidden');
    expect(await code(requireRole(viewer.session, org.orgId, 'invoice.act'))).toBe('forbidden');
    expect(await code(requireRole(member.session, org.orgId, 'invoice.send'))).toBe('ok');
    expect(await code(requireRole(member.session, org.orgId, 'members.manage'))).toBe('forbidden');
    const stranger = await person('stranger');
    expect(await code(requireRole(stranger.session, org.orgId, 'invoice.read'))).toBe('not_found');
    // A member cannot change the chain, even with a correctly signed link.
    expect(await code(appendToChain(member.session, org.orgId, await buildRevokeInvitation(member, state, randomUUID()), CONTEXT))).toBe('forbidden');
    expect((await db().select().from(auditLog).where(eq(auditLog.action, 'org.member_confirmed'))).length).toBeGreaterThanOrEqual(2);

    // Promoted to admin, with a certificate for the new role; an admin still cannot make an owner.
    await appendToChain(owner.session, org.orgId, await buildRoleChange(owner, org, state, member.userId, 'admin'), CONTEXT);
    expect(await code(requireRole(member.session, org.orgId, 'members.manage'))).toBe('ok');
    const promoted = await replayed(org.orgId, member);
    expect(await code(appendToChain(member.session, org.orgId, await buildRoleChange(member, org, promoted, viewer.userId, 'owner'), CONTEXT))).toBe('bad_request');
  });

  it('refuses an acceptance without the link’s secret, and a confirmation the server could make up', async () => {
    const invitee = await person('invitee');
    const invitation = await buildInvitation(owner, await replayed(org.orgId, owner), 'member');
    await appendToChain(owner.session, org.orgId, invitation.request, CONTEXT);
    const shown = await getInvitation(invitee.session, invitation.inviteId);
    // Signed with a key derived from another secret: the server cannot tell it from the real one, but refuses it.
    const wrongSecret = new Uint8Array(32).fill(7);
    await expect(buildAcceptance(invitee, shown, wrongSecret)).rejects.toThrow(/does not belong/);
    const guessedKey = await deriveInviteKeyPair(wrongSecret, org.orgId, invitation.inviteId);
    const forged = await buildAcceptance(invitee, { ...shown, invitePublicKey: toBase64Url(guessedKey.publicKey) }, wrongSecret);
    expect(await code(acceptInvitation(invitee.session, invitation.inviteId, forged, CONTEXT))).toBe('bad_request');
    // An add with no acceptance stored behind it is refused even when signed by an owner.
    const state = await replayed(org.orgId, owner);
    const fakePending = { ...forged, displayName: 'x', email: 'x', signingPublicKey: forged.acceptance.userSigningKey, encryptionPublicKey: forged.acceptance.userEncryptionKey };
    await expect(buildConfirmation(owner, org, state, fakePending)).rejects.toThrow(/invitation’s key/);
    // Revoked: the link stops working.
    await appendToChain(owner.session, org.orgId, await buildRevokeInvitation(owner, state, invitation.inviteId), CONTEXT);
    const secret = parseInviteSecret(invitation.path.split('#')[1]!)!;
    expect(await code(acceptInvitation(invitee.session, invitation.inviteId, await buildAcceptance(invitee, shown, secret), CONTEXT))).toBe('conflict');
  });

  it('refuses a rotation that drops a former member’s certificate or moves its removal time', async () => {
    const staying = await person('staying');
    await join(staying, 'member');
    const state = await replayed(org.orgId, owner);
    const removal = await buildRemoval(owner, org, state, staying.userId);
    const formerIds = new Set([...state.former.keys(), staying.userId]);
    const isFormer = (c: (typeof removal.certificates)[number]) => formerIds.has(c.certificate.userId);
    expect(removal.certificates.filter(isFormer)).toHaveLength(formerIds.size);
    const dropped = { ...removal, certificates: removal.certificates.filter((c) => !isFormer(c) || c.certificate.userId !== staying.userId) };
    expect(await code(appendToChain(owner.session, org.orgId, dropped, CONTEXT))).toBe('bad_request');
    const moved = { ...removal, certificates: removal.certificates.map((c) => (c.certificate.userId === staying.userId ? { ...c, certificate: { ...c.certificate, removedAt: '2099-01-01T00:00:00.000Z' } } : c)) };
    expect(await code(appendToChain(owner.session, org.orgId, moved, CONTEXT))).toBe('bad_request');
  });

  it('removes a member only together with a rotation that leaves it out', async () => {
    const leaving = await person('leaving');
    await join(leaving, 'member');
    const state = await replayed(org.orgId, owner);
    const removal = await buildRemoval(owner, org, state, leaving.userId);
    expect(await code(appendToChain(owner.session, org.orgId, { ...removal, links: [removal.links[0]!] }, CONTEXT))).toBe('bad_request');
    const leakyGrant = { userId: leaving.userId, epoch: state.epoch + 1, sealedOrgSecret: removal.grants[0]!.sealedOrgSecret };
    expect(await code(appendToChain(owner.session, org.orgId, { ...removal, grants: [...removal.grants, leakyGrant] }, CONTEXT))).toBe('bad_request');
    expect(await code(appendToChain(owner.session, org.orgId, { ...removal, grants: removal.grants.slice(1) }, CONTEXT))).toBe('bad_request');

    await appendToChain(owner.session, org.orgId, removal, CONTEXT);
    expect(await code(requireRole(leaving.session, org.orgId, 'invoice.read'))).toBe('not_found');
    const after = await replayed(org.orgId, owner);
    expect(after.epoch).toBe(2);
    expect(after.members.has(leaving.userId)).toBe(false);
    const [org2] = await db().select({ version: organizations.currentKeyVersion }).from(organizations).where(eq(organizations.id, org.orgId));
    expect(org2!.version).toBe(2);
    expect(await db().select().from(orgSecretGrants).where(and(eq(orgSecretGrants.orgId, org.orgId), eq(orgSecretGrants.userId, leaving.userId)))).toEqual([]);
    expect(await db().select({ epoch: orgSuccessions.epoch }).from(orgSuccessions).where(eq(orgSuccessions.orgId, org.orgId))).toEqual([{ epoch: 2 }]);

    // The owner opens the new OS, and through the epoch chain the old one.
    const bundle = await keyBundle(owner.session);
    const mine = bundle.organizations.find((o) => o.orgId === org.orgId)!;
    expect(mine.keyVersion).toBe(2);
    const newSecret = await openOrgSecret(owner.keys.encryptionPrivateKey, owner.keys.encryptionPublicKey, fromBase64Url(mine.sealedOrgSecret), { orgId: org.orgId, userId: owner.userId, version: 2 });
    const [epoch2] = await db().select({ wrapped: orgKeys.wrappedPreviousSecret }).from(orgKeys).where(and(eq(orgKeys.orgId, org.orgId), eq(orgKeys.version, 2)));
    expect(await openPreviousEpochSecret(newSecret, epoch2!.wrapped!, { orgId: org.orgId, epoch: 2 })).toEqual(org.orgSecret);
  });

  it('keeps a removed member’s certificate, as a former member’s until its removal, without giving it access', async () => {
    const state = await replayed(org.orgId, owner);
    const leaving = [...state.former.values()].at(-1)!;
    // The rotation certified the removed member anew under epoch 2's key, saying when it was removed.
    const signers = await signerCertificates([`${leaving.userId}|${org.orgId}`, `${owner.userId}|${org.orgId}`]);
    const former = signers[`${leaving.userId}|${org.orgId}`]!;
    expect(former.certificate).toMatchObject({ userId: leaving.userId, version: 2, role: 'member', removedAt: leaving.removedAt, userSigningKey: leaving.signingKey });
    expect(signers[`${owner.userId}|${org.orgId}`]!.certificate).not.toHaveProperty('removedAt');
    const [epoch2] = await db().select({ signing: orgKeys.signingPublicKey }).from(orgKeys).where(and(eq(orgKeys.orgId, org.orgId), eq(orgKeys.version, 2)));
    expect(await verifyMembershipCertificate(epoch2!.signing, former.certificate as MembershipCertificate, former.certificateSignature)).toBe(true);
    // It grants nothing.
    expect(await db().select().from(memberships).where(and(eq(memberships.orgId, org.orgId), eq(memberships.userId, leaving.userId)))).toEqual([]);
    const session = { ...owner.session, userId: leaving.userId, sessionId: randomUUID() };
    expect(await code(requireRole(session, org.orgId, 'invoice.read'))).toBe('not_found');
    expect(await code(orgMembers(session, org.orgId))).toBe('not_found');
  });

});

describe.each(testDatabaseKinds())('organization chain migration on %s', (kind) => {
  let database: TestDatabase;
  const earlier = mkdtempSync(path.join(tmpdir(), 'zkinvoice-migrations-'));
  beforeAll(async () => {
    const journal = JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')) as { entries: { tag: string }[] };
    journal.entries = journal.entries.slice(0, journal.entries.findIndex((entry) => entry.tag.endsWith('_org-chain')));
    mkdirSync(path.join(earlier, 'meta'));
    writeFileSync(path.join(earlier, 'meta', '_journal.json'), JSON.stringify(journal));
    for (const entry of journal.entries) copyFileSync(path.join('drizzle', `${entry.tag}.sql`), path.join(earlier, `${entry.tag}.sql`));
    database = await createTestDatabase(kind, earlier);
    useDatabaseForTests(database.handle);
  });
  afterAll(async () => {
    rmSync(earlier, { recursive: true, force: true });
    await database.drop();
  });

  it('keeps an existing one-person org working: its sealed secret becomes the epoch-1 grant', async () => {
    const userId = randomUUID();
    const orgId = randomUUID();
    await db().execute(sql`insert into users (id, email, display_name) values (${userId}, ${`${userId}@example.test`}, 'Legacy')`);
    await db().execute(sql`insert into organizations (id, name, handle) values (${orgId}, 'Legacy org', ${`legacy-${orgId}`})`);
    await db().execute(sql`insert into memberships (org_id, user_id, role, key_version, sealed_org_secret, certificate, certificate_signature) values (${orgId}, ${userId}, 'owner', 1, decode('0102030405', 'hex'), '{}'::jsonb, 'sig')`);
    await database.handle.migrate();
    const grants = await db().select().from(orgSecretGrants).where(eq(orgSecretGrants.orgId, orgId));
    expect(grants.map((g) => [g.userId, g.epoch, Buffer.from(g.sealedOrgSecret).toString('hex')])).toEqual([[userId, 1, '0102030405']]);
    expect(await db().select({ role: memberships.role }).from(memberships).where(eq(memberships.orgId, orgId))).toEqual([{ role: 'owner' }]);
  });
});
