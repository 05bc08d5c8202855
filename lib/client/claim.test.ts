import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toBase64Url } from '@/lib/crypto/encoding';
import { generateOrgSecret, sealClaimRecord, sealPreviousEpochSecret, type ClaimRecord } from '@/lib/crypto/org';
import type { OrgEpochDto } from '@/lib/shared/schemas/org';
import { claimPath, openProvisionalRecord } from './claim';

// A supplier's note about a provisional customer stays readable after the supplier rotates its
// keys (a member removed, say): it is opened with the secret of the epoch it was sealed under,
// reached by walking the epoch chain back. What the server can do to that walk is withhold a
// link (the note is then not shown) or forge one (it does not open).

const supplierOrgId = randomUUID();
const customerOrgId = randomUUID();
const fingerprint = '123456789012345678901234567890';
const record: ClaimRecord = { v: 1, claimSecret: toBase64Url(new Uint8Array(32).fill(7)), email: 'ap@customer.example', accessCode: '1234-5678' };

async function world(epochsAfter: number) {
  const secrets = [generateOrgSecret()];
  for (let i = 0; i < epochsAfter; i++) secrets.push(generateOrgSecret());
  const epochs: OrgEpochDto[] = await Promise.all(
    secrets.map(async (secret, i) => ({
      epoch: i + 1,
      encryptionPublicKey: 'unused',
      signingPublicKey: 'unused',
      wrappedPrivateKeys: 'unused',
      wrappedPreviousSecret: i === 0 ? null : toBase64Url(await sealPreviousEpochSecret(secret, secrets[i - 1]!, { orgId: supplierOrgId, epoch: i + 1 })),
    })),
  );
  const sealed = await sealClaimRecord(secrets[0]!, { supplierOrgId, provisionalOrgId: customerOrgId, version: 1 }, record);
  const current = secrets.at(-1)!;
  return {
    epochs,
    supplier: { orgId: supplierOrgId, keyVersion: secrets.length, orgSecret: current, fingerprint },
    customer: { orgId: customerOrgId, sealedRecord: toBase64Url(sealed), recordKeyVersion: 1 },
  };
}

describe('the supplier’s note about a provisional customer', () => {
  it('opens after one rotation and after several, and the current secret is left as it was', async () => {
    for (const rotations of [1, 3]) {
      const w = await world(rotations);
      const before = w.supplier.orgSecret.slice();
      const opened = await openProvisionalRecord(w.supplier, w.customer, async () => w.epochs);
      expect(opened).toEqual({ ...record, path: claimPath(customerOrgId, new Uint8Array(32).fill(7), fingerprint, record.accessCode !== null) });
      expect(opened?.path).toMatch(/\.c$/);
      expect(w.supplier.orgSecret).toEqual(before);
    }
  });

  it('does not fetch the epochs when the note was sealed under the current one', async () => {
    const w = await world(0);
    expect(await openProvisionalRecord(w.supplier, w.customer, () => Promise.reject(new Error('not needed')))).toMatchObject({ email: 'ap@customer.example' });
  });

  it('is not shown when the server withholds an epoch of the walk, and does not open when it forges one', async () => {
    const w = await world(2);
    expect(await openProvisionalRecord(w.supplier, w.customer, async () => w.epochs.filter((e) => e.epoch !== 2))).toBeNull();
    const forged = w.epochs.map((e) => (e.epoch === 3 ? { ...e, wrappedPreviousSecret: toBase64Url(new Uint8Array(60).fill(1)) } : e));
    await expect(openProvisionalRecord(w.supplier, w.customer, async () => forged)).rejects.toThrow();
    // A version from the future, or one the walk cannot reach, is not shown either.
    expect(await openProvisionalRecord(w.supplier, { ...w.customer, recordKeyVersion: 4 }, async () => w.epochs)).toBeNull();
  });
});
