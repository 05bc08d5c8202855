import { describe, expect, it } from 'vitest';
import { genesisKeyring, pinOrg, type Keyring } from './keyring';
import { checkPayee, everPaid, findLookalikes, normalizeName, payeeNeedsWarning, pinFirstContacts, recordSeenIdentity, rememberPayment } from './trust';

const org = (n: number, name: string) => ({ orgId: `${n}${n}${n}${n}${n}${n}${n}${n}-1111-4111-8111-111111111111`, name, handle: `h-${n}`, signingPublicKey: `sig-${n}`, encryptionPublicKey: `enc-${n}`, keyVersion: 1 });
const acme = org(1, 'Acme GmbH');
const impostor = org(2, 'ACME  GmbH.');
const other = org(3, 'Other AG');

function keyringWithAcme(): Keyring {
  const keyring = genesisKeyring();
  pinOrg(keyring, acme, 'fp-1');
  keyring.orgs[acme.orgId]!.pinnedAt = '2026-01-01T00:00:00.000Z';
  recordSeenIdentity([{ orgId: acme.orgId, seen: { vatIds: ['DE123456789'], payeeNames: ['Acme Zahlungen GmbH'] } }])(keyring);
  return keyring;
}

describe('impostors', () => {
  it('normalizes names without case, spacing or punctuation', () => {
    expect(normalizeName(' ACME  GmbH. ')).toBe(normalizeName('Acme GmbH'));
    expect(normalizeName('DE 123 456 789')).toBe(normalizeName('de123456789'));
  });

  it('flags a new org with a pinned org’s name, VAT id or payee name, and names what matched', () => {
    const keyring = keyringWithAcme();
    expect(findLookalikes(keyring, impostor)).toEqual([{ orgId: acme.orgId, name: 'Acme GmbH', reasons: ['name'] }]);
    expect(findLookalikes(keyring, other, { vatIds: ['DE 123456789'], payeeNames: [] })).toEqual([{ orgId: acme.orgId, name: 'Acme GmbH', reasons: ['vat-id'] }]);
    expect(findLookalikes(keyring, other, { vatIds: [], payeeNames: ['Acme Zahlungen GmbH'] })).toMatchObject([{ reasons: ['payee-name'] }]);
    expect(findLookalikes(keyring, other, { vatIds: ['DE999'], payeeNames: ['Other AG'] })).toEqual([]);
  });

  it('keeps flagging the impostor once pinned, and never flags the org known first', () => {
    const keyring = keyringWithAcme();
    pinFirstContacts([{ org: impostor, fingerprint: 'fp-2' }])(keyring);
    expect(findLookalikes(keyring, impostor)).toHaveLength(1);
    expect(findLookalikes(keyring, acme, { vatIds: ['DE123456789'], payeeNames: [] })).toEqual([]);
  });
});

describe('payees', () => {
  it('compares an IBAN with every IBAN ever paid: first, same, changed, paid to another org, unlike the lookalike', () => {
    const keyring = keyringWithAcme();
    expect(checkPayee(keyring, acme.orgId, 'DE1')).toMatchObject({ kind: 'first', previous: [], otherOrgs: [] });
    expect(everPaid(keyring, acme.orgId)).toBe(false);
    rememberPayment(acme, 'DE1')(keyring);
    rememberPayment(acme, 'DE2')(keyring);
    expect(everPaid(keyring, acme.orgId)).toBe(true);
    // Both IBANs paid before count as known, not only the last one.
    expect(checkPayee(keyring, acme.orgId, 'DE1')).toMatchObject({ kind: 'same' });
    expect(checkPayee(keyring, acme.orgId, 'DE2').kind).toBe('same');
    const changed = checkPayee(keyring, acme.orgId, 'DE3');
    expect(changed).toMatchObject({ kind: 'changed', previous: [{ iban: expect.stringMatching(/DE[12]/) }, { iban: expect.stringMatching(/DE[12]/) }] });
    expect(payeeNeedsWarning(changed)).toBe(true);
    const reused = checkPayee(keyring, other.orgId, 'DE1');
    expect(reused).toMatchObject({ kind: 'first', otherOrgs: [{ orgId: acme.orgId, orgName: 'Acme GmbH' }] });
    expect(payeeNeedsWarning(reused)).toBe(true);
    const lookalike = checkPayee(keyring, impostor.orgId, 'DE9', findLookalikes(keyring, impostor));
    expect(lookalike.kind).toBe('first');
    expect(lookalike.lookalikes.map((p) => p.iban).sort()).toEqual(['DE1', 'DE2']);
    expect(payeeNeedsWarning(lookalike)).toBe(true);
    expect(payeeNeedsWarning(checkPayee(keyring, other.orgId, 'DE7'))).toBe(false);
  });
});

describe('pinFirstContacts', () => {
  it('pins only orgs still new in the keyring it is applied to; a changed key is not re-pinned', () => {
    const keyring = keyringWithAcme();
    pinFirstContacts([{ org: { ...acme, signingPublicKey: 'sig-X' }, fingerprint: 'fp-X' }, { org: other, fingerprint: 'fp-3' }])(keyring);
    expect(keyring.orgs[acme.orgId]!.signingPublicKey).toBe('sig-1');
    expect(keyring.orgs[other.orgId]!.fingerprint).toBe('fp-3');
  });
});

describe('key succession (DESIGN §3.3)', async () => {
  const { generateKeyPairs } = await import('@/lib/crypto/keys');
  const { toBase64Url } = await import('@/lib/crypto/encoding');
  const { signSuccession } = await import('@/lib/crypto/org/succession');
  const { applyRotations, followRotations } = await import('./trust');
  const ORG = '44444444-4444-4444-8444-444444444444';
  const [k1, k2, k3, server] = await Promise.all([generateKeyPairs(), generateKeyPairs(), generateKeyPairs(), generateKeyPairs()]);
  const pub = (k: typeof k1) => ({ signingPublicKey: toBase64Url(k.signingPublicKey), encryptionPublicKey: toBase64Url(k.encryptionPublicKey) });
  const record = (epoch: number, k: typeof k1) => ({ v: 1 as const, orgId: ORG, epoch, prevEpoch: epoch - 1, ...pub(k) });
  const succession = async (epoch: number, k: typeof k1, signer: typeof k1) => ({ record: record(epoch, k), signature: await signSuccession(signer.signingPrivateKey, record(epoch, k)) });
  const base = { orgId: ORG, name: 'Rotating AG', handle: 'rotating' };
  const s2 = await succession(2, k2, k1);
  const s3 = await succession(3, k3, k2);

  function pinnedAtEpoch1(): Keyring {
    const keyring = genesisKeyring();
    pinOrg(keyring, { ...base, ...pub(k1), keyVersion: 1 }, 'fp-1');
    return keyring;
  }

  it('follows a chain of records signed by the previous keys, moves the pin and remembers the rotation', async () => {
    const keyring = pinnedAtEpoch1();
    const served = { ...base, ...pub(k3), keyVersion: 3, successions: [s2, s3] };
    const followed = await followRotations(keyring, [served]);
    expect(followed.map((f) => f.fromEpoch)).toEqual([1]);
    applyRotations(followed)(keyring);
    expect(keyring.orgs[ORG]).toMatchObject({ ...pub(k3), epoch: 3, rotations: [{ fromEpoch: 1, epoch: 3 }] });
    expect(keyring.orgs[ORG]!.fingerprint).toBe(followed[0]!.fingerprint);
    // Applied again (another tab), nothing changes.
    applyRotations(followed)(keyring);
    expect(keyring.orgs[ORG]!.rotations).toHaveLength(1);
  });

  it('does not follow keys no valid record explains: a swap, a record signed by another key, a gap', async () => {
    expect(await followRotations(pinnedAtEpoch1(), [{ ...base, ...pub(server), keyVersion: 2 }])).toEqual([]);
    expect(await followRotations(pinnedAtEpoch1(), [{ ...base, ...pub(server), keyVersion: 2, successions: [await succession(2, server, server)] }])).toEqual([]);
    expect(await followRotations(pinnedAtEpoch1(), [{ ...base, ...pub(k3), keyVersion: 3, successions: [s3] }])).toEqual([]);
    expect(await followRotations(pinnedAtEpoch1(), [{ ...base, ...pub(server), keyVersion: 3, successions: [s2, s3] }])).toEqual([]);
  });

  it('places a pin without an epoch by its keys among the records', async () => {
    const keyring = genesisKeyring();
    pinOrg(keyring, { ...base, ...pub(k2) }, 'fp-2');
    expect(keyring.orgs[ORG]!.epoch).toBeUndefined();
    const followed = await followRotations(keyring, [{ ...base, ...pub(k3), keyVersion: 3, successions: [s2, s3] }]);
    expect(followed.map((f) => f.fromEpoch)).toEqual([2]);
  });
});
