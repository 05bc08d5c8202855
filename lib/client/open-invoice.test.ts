import { describe, expect, it, vi } from 'vitest';
import { signMembershipCertificate, type MembershipCertificate } from '@/lib/crypto/certificate';
import { toBase64Url } from '@/lib/crypto/encoding';
import { computeKeyId } from '@/lib/crypto/envelope';
import { generateKeyPairs } from '@/lib/crypto/keys';
import { orgFingerprint } from './account';
import { genesisKeyring, pinOrg } from './keyring';
import { createListChecks, fetchInvoiceList } from './open-invoice';
import { everPaid, findLookalikes, rememberPayment } from './trust';

const ORG = '11111111-1111-4111-8111-111111111111';
const USER = '22222222-2222-4222-8222-222222222222';
const AT = '2026-01-02T00:00:00.000Z';

describe('createListChecks', async () => {
  const [orgKeys, otherOrgKeys, userKeys] = await Promise.all([generateKeyPairs(), generateKeyPairs(), generateKeyPairs()]);
  const certificate: MembershipCertificate = {
    v: 1, orgId: ORG, userId: USER, userSigningKey: toBase64Url(userKeys.signingPublicKey), userEncryptionKey: toBase64Url(userKeys.encryptionPublicKey), role: 'owner', version: 1, issuedAt: '2026-01-01T00:00:00.000Z',
  };
  const signature = await signMembershipCertificate(orgKeys.signingPrivateKey, certificate);

  it('answers as the uncached checks do, and a cached answer never carries over to other inputs', async () => {
    const checks = createListChecks();
    expect(await checks.certified(orgKeys.signingPublicKey, certificate, signature, USER, ORG, AT)).toBe(true);
    expect(await checks.certified(orgKeys.signingPublicKey, certificate, signature, USER, ORG, AT)).toBe(true);
    // Another supplier key, another claimed signer or org, another certificate: each is checked anew.
    expect(await checks.certified(otherOrgKeys.signingPublicKey, certificate, signature, USER, ORG, AT)).toBe(false);
    expect(await checks.certified(orgKeys.signingPublicKey, certificate, signature, ORG, ORG, AT)).toBe(false);
    expect(await checks.certified(orgKeys.signingPublicKey, certificate, signature, USER, USER, AT)).toBe(false);
    expect(await checks.certified(orgKeys.signingPublicKey, { ...certificate, role: 'member' }, signature, USER, ORG, AT)).toBe(false);

    expect(await checks.keyId(certificate.userSigningKey)).toBe(await computeKeyId(userKeys.signingPublicKey));
    expect(await checks.keyId(toBase64Url(orgKeys.signingPublicKey))).toBe(await computeKeyId(orgKeys.signingPublicKey));
    const signing = toBase64Url(orgKeys.signingPublicKey);
    const encryption = toBase64Url(orgKeys.encryptionPublicKey);
    expect(await checks.fingerprint(ORG, signing, encryption)).toBe(await orgFingerprint(ORG, orgKeys.signingPublicKey, orgKeys.encryptionPublicKey));
    expect(await checks.fingerprint(USER, signing, encryption)).toBe(await orgFingerprint(USER, orgKeys.signingPublicKey, orgKeys.encryptionPublicKey));
  });

  it('holds a former member’s certificate for what it signed up to its removal, not for anything later, with one list’s cache', async () => {
    const checks = createListChecks();
    const former: MembershipCertificate = { ...certificate, role: 'member', version: 2, removedAt: '2026-01-03T00:00:00.000Z' };
    const formerSignature = await signMembershipCertificate(orgKeys.signingPrivateKey, former);
    expect(await checks.certified(orgKeys.signingPublicKey, former, formerSignature, USER, ORG, '2026-01-02T23:59:59.000Z')).toBe(true);
    expect(await checks.certified(orgKeys.signingPublicKey, former, formerSignature, USER, ORG, '2026-01-03T00:00:01.000Z')).toBe(false);
    expect(await checks.certified(orgKeys.signingPublicKey, former, formerSignature, USER, ORG, '2026-01-02T23:59:59.000Z')).toBe(true);
    // The removal time is signed: moved later by the server, the certificate no longer verifies.
    expect(await checks.certified(orgKeys.signingPublicKey, { ...former, removedAt: '2027-01-01T00:00:00.000Z' }, formerSignature, USER, ORG, '2026-01-03T00:00:01.000Z')).toBe(false);
  });
});

describe('createListChecks: the keyring scans', () => {
  const org = (n: number, name: string) => ({ orgId: `${n}${n}${n}${n}${n}${n}${n}${n}-1111-4111-8111-111111111111`, name, handle: `h-${n}`, signingPublicKey: `sig-${n}`, encryptionPublicKey: `enc-${n}`, keyVersion: 1 });
  const acme = org(1, 'Acme GmbH');
  const impostor = org(2, 'ACME  GmbH.');
  const other = org(3, 'Other AG');

  it('answers lookalikes and neverPaid as the keyring scans do, once per keyring and input, and anew for a changed keyring', () => {
    const checks = createListChecks();
    const keyring = genesisKeyring();
    pinOrg(keyring, acme, 'fp-1');
    const seen = { vatIds: ['DE1'], payeeNames: ['Acme GmbH'] };
    const first = checks.lookalikes(keyring, impostor, seen);
    expect(first).toEqual(findLookalikes(keyring, impostor, seen));
    expect(first).toHaveLength(1);
    expect(checks.lookalikes(keyring, impostor, seen)).toBe(first);
    // Other inputs are their own entries: another org, another name, another seen identity.
    expect(checks.lookalikes(keyring, other, seen)).toEqual(findLookalikes(keyring, other, seen));
    expect(checks.lookalikes(keyring, { ...impostor, name: 'Other AG' }, { vatIds: [], payeeNames: [] })).toEqual([]);
    expect(checks.neverPaid(keyring, acme.orgId)).toBe(true);

    // A change is a new keyring object (keys-context clones before changing): nothing carries over.
    const paid = structuredClone(keyring);
    rememberPayment(acme, 'DE89370400440532013000')(paid);
    pinOrg(paid, other, 'fp-3');
    expect(checks.neverPaid(paid, acme.orgId)).toBe(!everPaid(paid, acme.orgId));
    expect(checks.neverPaid(paid, acme.orgId)).toBe(false);
    expect(checks.neverPaid(keyring, acme.orgId)).toBe(true);
    expect(checks.lookalikes(paid, { ...impostor, name: 'Other AG' }, { vatIds: [], payeeNames: [] })).toEqual(findLookalikes(paid, { ...impostor, name: 'Other AG' }, { vatIds: [], payeeNames: [] }));
    expect(checks.lookalikes(paid, { ...impostor, name: 'Other AG' }, { vatIds: [], payeeNames: [] })).toHaveLength(1);
  });
});

describe('fetchInvoiceList', () => {
  const B32 = 'A'.repeat(43);
  const invoice = (id: string) => ({
    id, supplierOrgId: ORG, customerOrgId: ORG, signerUserId: USER, status: 'issued', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
    manifest: {
      v: 1, invoiceId: id, supplierOrgId: ORG, customerOrgId: ORG, signerUserId: USER, signerKeyId: 'A'.repeat(22), createdAt: '2026-01-01T00:00:00.000Z',
      header: { sha256: B32, size: 100 }, files: [], dekCommitment: B32, recipients: [{ orgId: ORG, keyVersion: 1 }],
    },
    manifestSignature: 'sig', sealedHeader: 'hdr', keys: [], files: [],
  });
  const good = '33333333-3333-4333-8333-333333333333';
  const bad = '44444444-4444-4444-8444-444444444444';

  it('flags one malformed invoice and org entry and keeps the rest', async () => {
    const body = {
      invoices: [invoice(good), { ...invoice(bad), manifest: { ...invoice(bad).manifest, recipients: 'all' } }, 42],
      orgs: { [ORG]: { orgId: ORG, name: 'Acme', handle: 'acme', keyVersion: 1, encryptionPublicKey: 'e', signingPublicKey: 's' }, broken: { orgId: 7 } },
      signers: {},
    };
    vi.stubGlobal('fetch', vi.fn(async () => Response.json(body)));
    const { list, malformed } = await fetchInvoiceList('/api/invoices?box=inbox');
    expect(list.invoices.map((i) => i.id)).toEqual([good]);
    expect(malformed).toEqual([bad, null]);
    expect(Object.keys(list.orgs)).toEqual([ORG]);
    vi.unstubAllGlobals();
  });

  it('refuses an answer whose envelope is not a list at all', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Response.json({ invoices: 'none' })));
    await expect(fetchInvoiceList('/api/invoices?box=inbox')).rejects.toMatchObject({ code: 'malformed_response' });
    vi.unstubAllGlobals();
  });
});

describe('openDek', async () => {
  const { computeDekCommitment, generateDek, importOrgDekWrapKey, sealDekForOrg, wrapDekFast } = await import('@/lib/crypto/envelope');
  const { CryptoError } = await import('@/lib/crypto/errors');
  const { randomBytes } = await import('@/lib/crypto/encoding');
  const { openDek } = await import('./open-invoice');
  const INVOICE = '55555555-5555-4555-8555-555555555555';
  const binding = { invoiceId: INVOICE, orgId: ORG, keyVersion: 1 };
  const org = { orgId: ORG, keyVersion: 1, keys: await generateKeyPairs(), dekWrapKey: await importOrgDekWrapKey(randomBytes(32), { orgId: ORG, version: 1 }) };
  const dek = generateDek();
  const manifest = { dekCommitment: toBase64Url(await computeDekCommitment(dek)) };
  const grant = { kind: 'grant' as const, orgId: ORG, keyVersion: 1, sealedDek: toBase64Url(await sealDekForOrg(dek, org.keys.encryptionPublicKey, binding)) };
  const served = { manifestSha256: new Uint8Array(32).fill(1), headerSha256: new Uint8Array(32).fill(2) };
  const fastOf = async (key: Uint8Array, hashes = served) => ({ kind: 'fast' as const, orgId: ORG, keyVersion: 1, sealedDek: toBase64Url(await wrapDekFast(org.dekWrapKey, key, { ...binding, ...hashes })) });

  it('uses a good fast-path copy', async () => {
    const opened = await openDek({ id: INVOICE, keys: [grant, await fastOf(dek)] }, org, manifest, undefined, served);
    expect(opened).toEqual({ dek, viaFastPath: true });
  });

  it('takes the grant when the record was made for another manifest or header, or no served hashes are given', async () => {
    // Verified once (DESIGN §6): a record binds the exact bytes a member verified; the server
    // serving another manifest or sealed header with the same invoice id gets the full path.
    const keys = [grant, await fastOf(dek)];
    expect(await openDek({ id: INVOICE, keys }, org, manifest, undefined, { ...served, manifestSha256: new Uint8Array(32).fill(9) })).toEqual({ dek, viaFastPath: false });
    expect(await openDek({ id: INVOICE, keys }, org, manifest, undefined, { ...served, headerSha256: new Uint8Array(32).fill(9) })).toEqual({ dek, viaFastPath: false });
    expect(await openDek({ id: INVOICE, keys }, org, manifest)).toEqual({ dek, viaFastPath: false });
  });

  it('falls back to the signed grant when a co-member’s fast copy holds another DEK, or does not open', async () => {
    // A fast copy is written by any member's browser; one that opens to a DEK the supplier did not commit to must not win.
    expect(await openDek({ id: INVOICE, keys: [await fastOf(generateDek()), grant] }, org, manifest, undefined, served)).toEqual({ dek, viaFastPath: false });
    const garbage = { kind: 'fast' as const, orgId: ORG, keyVersion: 1, sealedDek: toBase64Url(randomBytes(61)) };
    expect(await openDek({ id: INVOICE, keys: [garbage, grant] }, org, manifest, undefined, served)).toEqual({ dek, viaFastPath: false });
  });

  it('reports a grant that does not match the commitment, and no key at all', async () => {
    const wrongGrant = { ...grant, sealedDek: toBase64Url(await sealDekForOrg(generateDek(), org.keys.encryptionPublicKey, binding)) };
    await expect(openDek({ id: INVOICE, keys: [await fastOf(generateDek()), wrongGrant] }, org, manifest, undefined, served)).rejects.toSatisfy((e: unknown) => e instanceof CryptoError && e.code === 'bad_commitment');
    expect(await openDek({ id: INVOICE, keys: [] }, org, manifest)).toBeNull();
  });
});
