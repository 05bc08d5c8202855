import { describe, expect, it } from 'vitest';
import { rememberBuyerIds, rememberedCustomer, knowsBuyerIds } from './customer-ids';
import { genesisKeyring, pinOrg, type Keyring } from './keyring';

const acme = { orgId: '11111111-1111-4111-8111-111111111111', name: 'Acme GmbH', handle: 'acme-k7m2qx', signingPublicKey: 'sig-A', encryptionPublicKey: 'enc-A' };
const bolt = { orgId: '22222222-2222-4222-8222-222222222222', name: 'Bolt AG', handle: 'bolt-k7m2qx', signingPublicKey: 'sig-B', encryptionPublicKey: 'enc-B' };

function keyring(): Keyring {
  const k = genesisKeyring();
  pinOrg(k, acme, 'fp-a');
  pinOrg(k, bolt, 'fp-b');
  return k;
}

describe('buyer identifiers remembered in the keyring', () => {
  it('finds the customer by any identifier remembered for it', () => {
    const k = keyring();
    rememberBuyerIds(acme.orgId, ['vat:DE123456789'])(k);
    rememberBuyerIds(acme.orgId, ['endpoint:0204:04011000-12345-34'])(k);
    expect(rememberedCustomer(k, ['vat:DE123456789'])?.orgId).toBe(acme.orgId);
    expect(rememberedCustomer(k, ['vat:ATU1', 'endpoint:0204:04011000-12345-34'])?.pin.name).toBe('Acme GmbH');
    expect(rememberedCustomer(k, ['vat:DE999'])).toBeNull();
    expect(rememberedCustomer(k, [])).toBeNull();
    expect(knowsBuyerIds(k, acme.orgId, ['vat:DE123456789'])).toBe(true);
    expect(knowsBuyerIds(k, bolt.orgId, ['vat:DE123456789'])).toBe(false);
  });

  it('moves an identifier to the customer chosen last, so no identifier names two', () => {
    const k = keyring();
    rememberBuyerIds(acme.orgId, ['vat:DE1', 'vat:DE2'])(k);
    rememberBuyerIds(bolt.orgId, ['vat:DE2'])(k);
    expect(k.orgs[acme.orgId]!.buyerIds).toEqual(['vat:DE1']);
    expect(rememberedCustomer(k, ['vat:DE2'])?.orgId).toBe(bolt.orgId);
  });

  it('asks again when an older keyring names two customers, and never remembers for an org not pinned', () => {
    const k = keyring();
    k.orgs[acme.orgId]!.buyerIds = ['vat:DE1'];
    k.orgs[bolt.orgId]!.buyerIds = ['vat:DE1'];
    expect(rememberedCustomer(k, ['vat:DE1'])).toBeNull();
    const before = structuredClone(k);
    rememberBuyerIds('33333333-3333-4333-8333-333333333333', ['vat:DE9'])(k);
    expect(k).toEqual(before);
  });

  it('keeps the identifiers when the pin is renewed after a key change', () => {
    const k = keyring();
    rememberBuyerIds(acme.orgId, ['vat:DE1'])(k);
    pinOrg(k, { ...acme, signingPublicKey: 'sig-A2' }, 'fp-a2');
    expect(k.orgs[acme.orgId]!.buyerIds).toEqual(['vat:DE1']);
  });
});
