import { beforeEach, describe, expect, it, vi } from 'vitest';
import { importAccountKey, keyringAad } from '@/lib/crypto/account';
import { sealBytes } from '@/lib/crypto/aead';
import { fromBase64Url, toBase64Url, utf8Encode } from '@/lib/crypto/encoding';
import { keyringHash, openKeyring } from '@/lib/crypto/keyring';
import type { UnlockedAccount } from './account';
import { memoryMarkStore, useMarkStore } from './high-water';
import { genesisKeyring, loadKeyring, markGenesisKeyring, pinFor, pinOrg, pinState, sealGenesisKeyring, updateKeyring, type Keyring, type KeyringProblem } from './keyring';

const acme = { orgId: '11111111-1111-4111-8111-111111111111', name: 'Acme GmbH', handle: 'acme-gmbh-k7m2qx', signingPublicKey: 'sig-A', encryptionPublicKey: 'enc-A' };

function keyringWithAcme(): Keyring {
  const keyring = genesisKeyring();
  pinOrg(keyring, acme, '00000 00000 00000 00000 00000 00000');
  return keyring;
}

describe('pinState', () => {
  it('is new for an org never seen, pinned for the same keys, changed for other keys', () => {
    expect(pinState(genesisKeyring(), acme)).toBe('new');
    expect(pinState(keyringWithAcme(), acme)).toBe('pinned');
    expect(pinState(keyringWithAcme(), { ...acme, signingPublicKey: 'sig-B' })).toBe('changed');
    expect(pinState(keyringWithAcme(), { ...acme, encryptionPublicKey: 'enc-B' })).toBe('changed');
  });

  it('is changed when a pinned handle names another org, even with the pinned keys', () => {
    const impostor = { ...acme, orgId: '22222222-2222-4222-8222-222222222222' };
    expect(pinState(keyringWithAcme(), { ...impostor, signingPublicKey: 'sig-B', encryptionPublicKey: 'enc-B' })).toBe('changed');
    expect(pinState(keyringWithAcme(), impostor)).toBe('changed');
    expect(pinFor(keyringWithAcme(), impostor)?.orgId).toBe(acme.orgId);
  });

  it('is new for another org with another handle', () => {
    expect(pinState(keyringWithAcme(), { ...acme, orgId: '33333333-3333-4333-8333-333333333333', handle: 'other-k7m2qx' })).toBe('new');
  });
});

/**
 * The keyring API as a server holds it (compare-and-set on the version), which the tests can
 * also misuse as a malicious server would: serve nothing, or an older copy it kept.
 */
class FakeServer {
  stored: { encryptedKeyring: string | null; version: number } = { encryptedKeyring: null, version: 0 };
  history: { encryptedKeyring: string | null; version: number }[] = [];
  fetch = vi.fn(async (_path: string, init: { method?: string; body?: string }) => {
    if (init.method === 'PUT') {
      const body = JSON.parse(init.body!) as { encryptedKeyring: string; expectedVersion: number };
      if (body.expectedVersion !== this.stored.version) return Response.json({ error: { code: 'conflict', message: 'conflict' } }, { status: 409 });
      this.history.push(this.stored);
      this.stored = { encryptedKeyring: body.encryptedKeyring, version: body.expectedVersion + 1 };
      return Response.json({ version: this.stored.version });
    }
    return Response.json(this.stored);
  });
}

const USER = '44444444-4444-4444-8444-444444444444';
const account = (accountKey = new Uint8Array(32).fill(7)) => ({ userId: USER, accountKey }) as UnlockedAccount;

async function problemOf(promise: Promise<unknown>): Promise<KeyringProblem> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toMatchObject({ name: 'KeyringTrustError' });
  return (error as { problem: KeyringProblem }).problem;
}

describe('loadKeyring and updateKeyring against the device’s high-water mark', () => {
  let server: FakeServer;
  beforeEach(async () => {
    useMarkStore(memoryMarkStore());
    server = new FakeServer();
    vi.stubGlobal('fetch', server.fetch);
    // As at sign-up: the first keyring is stored with the account, and this device marks it.
    const genesis = await sealGenesisKeyring(account().accountKey, USER);
    server.stored = { encryptedKeyring: genesis.sealed, version: 1 };
    await markGenesisKeyring(USER, genesis.hash);
  });

  it('chains each version to the previous one and accepts its own writes', async () => {
    const first = await loadKeyring(account());
    expect(first.keyring).toMatchObject({ v: 2, version: 1, prevHash: null });
    const second = await updateKeyring(account(), (k) => pinOrg(k, acme, 'fp'));
    expect(second.keyring).toMatchObject({ version: 2, prevHash: first.hash });
    const opened = await openKeyring(account().accountKey, USER, fromBase64Url(server.stored.encryptedKeyring!), 2);
    expect(opened.body).toMatchObject({ v: 2, version: 2, prevHash: first.hash, orgs: { [acme.orgId]: { name: 'Acme GmbH' } } });
    expect((await loadKeyring(account())).keyring.orgs[acme.orgId]).toBeDefined();
  });

  it('takes an answer that was on its way while this device wrote a newer keyring for what it is, not for a rollback', async () => {
    const honest = server.fetch.getMockImplementation()!;
    let asked!: () => void;
    let release!: () => void;
    const answered = new Promise<void>((resolve) => (asked = resolve));
    const held = new Promise<void>((resolve) => (release = resolve));
    // The first request's answer (version 1) is held back until a write has raised the mark to 2.
    server.fetch.mockImplementationOnce(async (path, init) => {
      const answer = await honest(path, init);
      asked();
      await held;
      return answer;
    });
    const slow = loadKeyring(account());
    await answered;
    expect((await updateKeyring(account(), (k) => pinOrg(k, acme, 'fp'))).version).toBe(2);
    release();
    expect((await slow).version).toBe(1);
    expect((await loadKeyring(account())).version).toBe(2);
  });

  it('refuses a keyring the server emptied', async () => {
    server.stored = { encryptedKeyring: null, version: 0 };
    expect(await problemOf(loadKeyring(account()))).toMatchObject({ kind: 'missing', seen: { seq: 1 } });
    expect(await problemOf(updateKeyring(account(), (k) => pinOrg(k, acme, 'fp')))).toMatchObject({ kind: 'missing' });
    expect(server.stored.encryptedKeyring).toBeNull();
  });

  it('refuses an older keyring the server kept, and sends nothing on top of it', async () => {
    await updateKeyring(account(), (k) => pinOrg(k, acme, 'fp'));
    await updateKeyring(account(), (k) => k.payees.push({ iban: 'DE1', orgId: acme.orgId, orgName: 'Acme GmbH', paidAt: 'now' }));
    const writes = server.fetch.mock.calls.length;
    server.stored = server.history[1]!;
    expect(await problemOf(loadKeyring(account()))).toEqual({ kind: 'rollback', seen: expect.objectContaining({ seq: 3 }), served: 2 });
    expect(await problemOf(updateKeyring(account(), (k) => pinOrg(k, acme, 'other')))).toMatchObject({ kind: 'rollback' });
    expect(server.fetch.mock.calls.slice(writes).every(([, init]) => (init as { method?: string }).method !== 'PUT')).toBe(true);
  });

  it('refuses another keyring of the version it saw, and a newer one that does not descend from it', async () => {
    await updateKeyring(account(), (k) => pinOrg(k, acme, 'fp'));
    const seen = server.stored;
    // Another device wrote version 2 on top of version 1, which the server kept serving to it.
    server.stored = server.history[0]!;
    const otherDevice = memoryMarkStore();
    useMarkStore(otherDevice);
    await updateKeyring(account(), (k) => pinOrg(k, { ...acme, orgId: '55555555-5555-4555-8555-555555555555', handle: 'x' }, 'fp'));
    const forked = server.stored;
    expect(forked.version).toBe(seen.version);
    // Back on a device that saw the first version 2:
    const device = memoryMarkStore();
    useMarkStore(device);
    server.stored = seen;
    await loadKeyring(account());
    server.stored = forked;
    expect(await problemOf(loadKeyring(account()))).toMatchObject({ kind: 'fork', served: 2 });
    // Version 3 on top of the fork: its prevHash names the forked version 2, not the one this device saw.
    useMarkStore(otherDevice);
    await updateKeyring(account(), (k) => k.payees.push({ iban: 'DE2', orgId: acme.orgId, orgName: 'Acme', paidAt: 'now' }));
    useMarkStore(device);
    expect(await problemOf(loadKeyring(account()))).toMatchObject({ kind: 'fork', served: 3 });
  });

  it('refuses a keyring sealed for another account', async () => {
    const other = await sealGenesisKeyring(new Uint8Array(32).fill(9), USER);
    server.stored = { encryptedKeyring: other.sealed, version: 1 };
    useMarkStore(memoryMarkStore());
    expect(await problemOf(loadKeyring(account()))).toEqual({ kind: 'unreadable' });
  });

  it('creates the first keyring for an account that never had one, on a device that never saw one', async () => {
    server.stored = { encryptedKeyring: null, version: 0 };
    useMarkStore(memoryMarkStore());
    expect((await loadKeyring(account())).keyring).toMatchObject({ v: 2, version: 1, prevHash: null });
    expect(server.stored.version).toBe(1);
  });

  it('upgrades a v1 keyring to v2 on the next unlock, keeping pins and paid IBANs; a v1 keyring after that is a rollback', async () => {
    useMarkStore(memoryMarkStore());
    const key = await importAccountKey(account().accountKey);
    const v1 = {
      v: 1,
      orgs: { [acme.orgId]: { name: 'Acme GmbH', handle: acme.handle, signingPublicKey: 'sig-A', encryptionPublicKey: 'enc-A', fingerprint: 'fp', pinnedAt: '2026-01-01T00:00:00.000Z' } },
      payees: { [acme.orgId]: { iban: 'DE89370400440532013000', paidAt: '2026-02-01T00:00:00.000Z' } },
    };
    const sealedV1 = await sealBytes(key, utf8Encode(JSON.stringify(v1)), keyringAad(USER));
    server.stored = { encryptedKeyring: toBase64Url(sealedV1), version: 4 };
    const upgraded = await loadKeyring(account());
    expect(upgraded.keyring).toMatchObject({
      v: 2,
      version: 5,
      prevHash: await keyringHash(sealedV1),
      orgs: { [acme.orgId]: { name: 'Acme GmbH', vatIds: [], payeeNames: [] } },
      payees: [{ iban: 'DE89370400440532013000', orgId: acme.orgId, orgName: 'Acme GmbH', paidAt: '2026-02-01T00:00:00.000Z' }],
    });
    expect(server.stored.version).toBe(5);
    server.stored = { encryptedKeyring: toBase64Url(sealedV1), version: 4 };
    expect(await problemOf(loadKeyring(account()))).toMatchObject({ kind: 'rollback', served: 4 });
  });
});
