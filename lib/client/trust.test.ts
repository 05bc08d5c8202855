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
