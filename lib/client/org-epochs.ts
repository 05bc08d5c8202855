import { fromBase64Url } from '@/lib/crypto/encoding';
import { importOrgDekWrapKey } from '@/lib/crypto/envelope/grants';
import type { UnlockedKeyPairs } from '@/lib/crypto/keys';
import { unwrapPrivateKeys } from '@/lib/crypto/keys';
import { importOrgSecret, openPreviousEpochSecret, orgPrivateKeysAad } from '@/lib/crypto/org';
import type { OrgEpochDto } from '@/lib/shared/schemas/org';
import type { UnlockedOrg } from './account';
import { api } from './api';

/** The private keys and fast-path key of one older epoch (key version) of an organization. */
export interface EpochKeys {
  keys: UnlockedKeyPairs;
  dekWrapKey: CryptoKey;
}

// Per unlocked org object (so a new unlock starts afresh), the epochs opened so far.
const opened = new WeakMap<UnlockedOrg, Promise<Map<number, EpochKeys>>>();

/**
 * Walks the epoch chain back from the org secret this member holds (DESIGN §3.3): each epoch's
 * record carries the previous epoch's secret sealed under a key derived from its own, so the
 * current secret opens every older one. Everything is authenticated by AES-GCM under the secret
 * the member already trusts: the server can withhold an epoch (the walk stops there), not
 * substitute one. Each secret yielded is zeroed when the walk moves on or ends.
 */
async function* olderSecrets(org: Pick<UnlockedOrg, 'orgId' | 'keyVersion' | 'orgSecret'>, epochs: OrgEpochDto[]): AsyncGenerator<{ version: number; secret: Uint8Array; epoch: OrgEpochDto }> {
  const byEpoch = new Map(epochs.map((e) => [e.epoch, e]));
  let secret = org.orgSecret;
  try {
    for (let epoch = org.keyVersion; epoch > 1; epoch--) {
      const record = byEpoch.get(epoch);
      const previous = byEpoch.get(epoch - 1);
      if (!record?.wrappedPreviousSecret || !previous) return;
      const older = await openPreviousEpochSecret(secret, fromBase64Url(record.wrappedPreviousSecret), { orgId: org.orgId, epoch });
      if (secret !== org.orgSecret) secret.fill(0);
      secret = older;
      yield { version: epoch - 1, secret, epoch: previous };
    }
  } finally {
    if (secret !== org.orgSecret) secret.fill(0);
  }
}

/** The private keys and fast-path key of every older epoch this member can reach; each private key is proven against its public key. */
export async function openOlderEpochs(org: UnlockedOrg, epochs: OrgEpochDto[]): Promise<Map<number, EpochKeys>> {
  const result = new Map<number, EpochKeys>();
  for await (const { version, secret, epoch } of olderSecrets(org, epochs)) {
    const keys = await unwrapPrivateKeys(await importOrgSecret(secret, { orgId: org.orgId, version }), fromBase64Url(epoch.wrappedPrivateKeys), orgPrivateKeysAad(org.orgId, version), {
      encryptionPublicKey: fromBase64Url(epoch.encryptionPublicKey),
      signingPublicKey: fromBase64Url(epoch.signingPublicKey),
    });
    result.set(version, { keys, dekWrapKey: await importOrgDekWrapKey(secret, { orgId: org.orgId, version }) });
  }
  return result;
}

/**
 * The org secret of an older epoch `version`, for what the org sealed under it (a provisional
 * customer's note, say): a copy the caller zeroes after use, or null when the chain does not
 * reach back that far (withheld by the server, or `version` not older than the current one).
 */
export async function olderEpochSecret(org: Pick<UnlockedOrg, 'orgId' | 'keyVersion' | 'orgSecret'>, version: number, epochs: OrgEpochDto[]): Promise<Uint8Array | null> {
  for await (const step of olderSecrets(org, epochs)) {
    if (step.version === version) return step.secret.slice();
  }
  return null;
}

/** The keys of `version` for this org: the current ones, or an older epoch's (fetched and opened once). */
export async function epochKeys(org: UnlockedOrg, version: number): Promise<EpochKeys | null> {
  if (version === org.keyVersion) return { keys: org.keys, dekWrapKey: org.dekWrapKey };
  if (version > org.keyVersion || version < 1) return null;
  let older = opened.get(org);
  if (!older) {
    older = api<{ epochs: OrgEpochDto[] }>(`/api/orgs/${org.orgId}/epochs`).then(({ epochs }) => openOlderEpochs(org, epochs));
    // A failure is not remembered: the next invoice tries again.
    older.catch(() => opened.delete(org));
    opened.set(org, older);
  }
  return (await older).get(version) ?? null;
}
