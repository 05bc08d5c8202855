import { describe, expect, it } from 'vitest';
import { pinFor, pinOrg, pinState, type Keyring } from './keyring';

const acme = { orgId: '11111111-1111-4111-8111-111111111111', name: 'Acme GmbH', handle: 'acme-gmbh-k7m2qx', signingPublicKey: 'sig-A', encryptionPublicKey: 'enc-A' };

function keyringWithAcme(): Keyring {
  const keyring: Keyring = { v: 1, orgs: {}, payees: {} };
  pinOrg(keyring, acme, '00000 00000 00000 00000 00000 00000');
  return keyring;
}

describe('pinState', () => {
  it('is new for an org never seen, pinned for the same keys, changed for other keys', () => {
    expect(pinState({ v: 1, orgs: {}, payees: {} }, acme)).toBe('new');
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
