import { describe, expect, it } from 'vitest';
import { concatBytes, randomBytes, toBase64Url } from '../encoding';
import { CryptoError } from '../errors';
import { generateKeyPairs, type GeneratedKeyPairs } from '../keys';
import { expectCryptoError } from '../test-utils';
import { canonicalManifestBytes, computeKeyId, signManifest, verifyManifest, type InvoiceManifest } from './manifest';
import { parseManifest } from './manifest-parse';

const digest = (): string => toBase64Url(randomBytes(32));

async function fixture(): Promise<{ signer: GeneratedKeyPairs; manifest: InvoiceManifest; signature: string }> {
  const signer = await generateKeyPairs();
  const manifest: InvoiceManifest = {
    v: 1,
    invoiceId: 'inv-1',
    supplierOrgId: 'org-s',
    customerOrgId: 'org-c',
    signerUserId: 'user-1',
    signerKeyId: await computeKeyId(signer.signingPublicKey),
    createdAt: '2025-03-04T05:06:07.890Z',
    header: { sha256: digest(), size: 512 },
    files: [
      { fileId: 'file-1', sha256: digest(), size: 151_600, recordSize: 65_536 },
      { fileId: 'file-2', sha256: digest(), size: 17, recordSize: 65_536 },
    ],
    dekCommitment: digest(),
    recipients: [
      { orgId: 'org-s', keyVersion: 1 },
      { orgId: 'org-c', keyVersion: 2 },
    ],
  };
  return { signer, manifest, signature: await signManifest(signer.signingPrivateKey, manifest) };
}

/** One change per field, nested ones included. */
function everyFieldChanged(m: InvoiceManifest): InvoiceManifest[] {
  const [file1, file2] = m.files as [InvoiceManifest['files'][0], InvoiceManifest['files'][0]];
  const [first, second] = m.recipients as [InvoiceManifest['recipients'][0], InvoiceManifest['recipients'][0]];
  return [
    { ...m, v: 2 as 1 },
    { ...m, invoiceId: 'inv-2' },
    { ...m, supplierOrgId: 'org-x' },
    { ...m, customerOrgId: 'org-x' },
    { ...m, signerUserId: 'user-2' },
    { ...m, signerKeyId: toBase64Url(randomBytes(16)) },
    { ...m, createdAt: '2025-03-04T05:06:07.891Z' },
    { ...m, header: { ...m.header, sha256: digest() } },
    { ...m, header: { ...m.header, size: 513 } },
    { ...m, files: [{ ...file1, fileId: 'file-3' }, file2] },
    { ...m, files: [{ ...file1, sha256: digest() }, file2] },
    { ...m, files: [{ ...file1, size: 151_601 }, file2] },
    { ...m, files: [{ ...file1, recordSize: 65_537 }, file2] },
    { ...m, files: [file2, file1] },
    { ...m, files: [file1] },
    { ...m, dekCommitment: digest() },
    { ...m, recipients: [{ ...first, orgId: 'org-x' }, second] },
    { ...m, recipients: [first, { ...second, keyVersion: 3 }] },
    { ...m, recipients: [first] },
  ];
}

describe('invoice manifest signature', () => {
  it('verifies, whatever the key order of the JSON it arrives in', async () => {
    const { signer, manifest, signature } = await fixture();
    expect(await verifyManifest(signer.signingPublicKey, manifest, signature)).toBe(true);
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(manifest).reverse()))) as InvoiceManifest;
    expect(await verifyManifest(signer.signingPublicKey, parseManifest(reordered), signature)).toBe(true);
  });

  it('fails after any field change', async () => {
    const { signer, manifest, signature } = await fixture();
    for (const changed of everyFieldChanged(manifest)) {
      expect(await verifyManifest(signer.signingPublicKey, changed, signature)).toBe(false);
    }
  });

  it('fails under another key, even when the manifest names that key', async () => {
    const { manifest, signature } = await fixture();
    const other = await generateKeyPairs();
    expect(await verifyManifest(other.signingPublicKey, manifest, signature)).toBe(false);
    const claimsOther = { ...manifest, signerKeyId: await computeKeyId(other.signingPublicKey) };
    expect(await verifyManifest(other.signingPublicKey, claimsOther, signature)).toBe(false);
  });

  it('fails when the manifest names another signer key than the one it verifies under', async () => {
    const { signer, manifest } = await fixture();
    const other = await generateKeyPairs();
    const claimsOther = { ...manifest, signerKeyId: await computeKeyId(other.signingPublicKey) };
    const signature = await signManifest(signer.signingPrivateKey, claimsOther);
    expect(await verifyManifest(signer.signingPublicKey, claimsOther, signature)).toBe(false);
  });

  it('returns false for malformed signatures and keys instead of throwing', async () => {
    const { signer, manifest, signature } = await fixture();
    expect(await verifyManifest(signer.signingPublicKey, manifest, 'not base64url!')).toBe(false);
    expect(await verifyManifest(signer.signingPublicKey, manifest, signature.slice(4))).toBe(false);
    expect(await verifyManifest(signer.signingPublicKey.subarray(1), manifest, signature)).toBe(false);
  });

  it('refuses to sign a malformed manifest', async () => {
    const { signer, manifest } = await fixture();
    await expectCryptoError(signManifest(signer.signingPrivateKey, { ...manifest, invoiceId: 'a|b' }), 'bad_format');
  });

  it('verifies over the canonical bytes it is handed, when handed them', async () => {
    const { signer, manifest, signature } = await fixture();
    expect(await verifyManifest(signer.signingPublicKey, manifest, signature, canonicalManifestBytes(manifest))).toBe(true);
    const [changed] = everyFieldChanged(manifest);
    expect(await verifyManifest(signer.signingPublicKey, manifest, signature, canonicalManifestBytes(changed!))).toBe(false);
  });

  it('derives a 16-byte key id only from 32-byte keys', async () => {
    const { signer } = await fixture();
    expect(await computeKeyId(signer.signingPublicKey)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await expectCryptoError(computeKeyId(randomBytes(31)), 'bad_key');
  });

  it('gives each key its own id, the same for the same bytes however often asked (ids are kept by key)', async () => {
    const keys = Array.from({ length: 1500 }, () => randomBytes(32));
    const ids = await Promise.all(keys.map((k) => computeKeyId(k)));
    expect(new Set(ids).size).toBe(keys.length);
    // Asked again, from copies, past the number kept: the same ids, each the hash the format defines.
    expect(await Promise.all(keys.map((k) => computeKeyId(Uint8Array.from(k))))).toEqual(ids);
    const label = new TextEncoder().encode('zkinvoice/v1/key-id');
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', concatBytes(label, keys[7]!)));
    expect(ids[7]).toBe(toBase64Url(digest.subarray(0, 16)));
  });
});

describe('parseManifest', () => {
  it('accepts a valid manifest and returns only its fields', async () => {
    const { manifest } = await fixture();
    expect(parseManifest(JSON.parse(JSON.stringify(manifest)))).toEqual(manifest);
    expect(parseManifest({ ...manifest, files: [] }).files).toEqual([]);
  });

  it('rejects missing, extra and wrongly typed fields (bad_format)', async () => {
    const { manifest: m } = await fixture();
    const missing: Partial<InvoiceManifest> = { ...m };
    delete missing.invoiceId;
    const file = m.files[0]!;
    const bad: unknown[] = [
      null,
      [],
      'manifest',
      missing,
      { ...m, extra: 1 },
      { ...m, v: '1' },
      { ...m, invoiceId: 7 },
      { ...m, invoiceId: '' },
      { ...m, customerOrgId: 'org|c' },
      { ...m, signerUserId: 'u'.repeat(257) },
      { ...m, signerKeyId: toBase64Url(randomBytes(32)) },
      { ...m, createdAt: '2025-03-04' },
      { ...m, createdAt: 1_741_064_767_890 },
      { ...m, header: { sha256: digest() } },
      { ...m, header: { ...m.header, size: '512' } },
      { ...m, header: { ...m.header, size: 0 } },
      { ...m, header: { ...m.header, sha256: digest() + 'A' } },
      { ...m, header: { ...m.header, sha256: 'not base64url!' } },
      { ...m, files: {} },
      { ...m, files: [{ ...file, size: 1.5 }] },
      { ...m, files: [{ ...file, recordSize: 1024 }] },
      { ...m, files: [{ ...file, extra: true }] },
      { ...m, files: [file, file] },
      { ...m, dekCommitment: toBase64Url(randomBytes(16)) },
      { ...m, recipients: [] },
      { ...m, recipients: [{ orgId: 'org-s' }] },
      { ...m, recipients: [{ orgId: 'org-s', keyVersion: 0 }] },
      { ...m, recipients: [m.recipients[0], m.recipients[0]] },
    ];
    for (const value of bad) {
      let error: unknown;
      try {
        parseManifest(value);
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(value)?.slice(0, 80)).toBeInstanceOf(CryptoError);
      expect((error as CryptoError).code).toBe('bad_format');
    }
  });

  it('reports another numeric version as unsupported_version', async () => {
    const { manifest } = await fixture();
    expect(() => parseManifest({ ...manifest, v: 3 })).toThrow(expect.objectContaining({ code: 'unsupported_version' }));
  });
});
