import { openBytes, sealBytes } from '../aead';
import { domainLabel } from '../domain';
import type { Bytes } from '../encoding';
import { CryptoError } from '../errors';
import { hkdfAesGcmKey } from '../kdf';

/**
 * The epoch chain (DESIGN §3.3): at each rotation the previous epoch's org secret is sealed under a
 * key derived from the new one, so whoever holds the newest OS walks back to every older epoch and
 * opens older invoices, while a removed member, who never gets the new OS, opens nothing newer.
 * The HKDF info and the AAD bind org id and both epochs, so a link cannot be moved or reordered.
 */
const EMPTY_SALT = new Uint8Array(0);

function epochLinkAad(orgId: string, epoch: number, prevEpoch: number): string {
  return domainLabel('epoch-chain', orgId, epoch, prevEpoch);
}

async function epochLinkKey(newOrgSecret: Uint8Array, orgId: string, epoch: number): Promise<CryptoKey> {
  if (newOrgSecret.length !== 32) throw new CryptoError('bad_key', 'org secret must be 32 bytes');
  return hkdfAesGcmKey(newOrgSecret, EMPTY_SALT, domainLabel('epoch-chain-key', orgId, epoch));
}

export async function sealPreviousEpochSecret(newOrgSecret: Uint8Array, previousOrgSecret: Uint8Array, binding: { orgId: string; epoch: number }): Promise<Bytes> {
  if (previousOrgSecret.length !== 32) throw new CryptoError('bad_key', 'org secret must be 32 bytes');
  return sealBytes(await epochLinkKey(newOrgSecret, binding.orgId, binding.epoch), previousOrgSecret, epochLinkAad(binding.orgId, binding.epoch, binding.epoch - 1));
}

export async function openPreviousEpochSecret(newOrgSecret: Uint8Array, sealed: Uint8Array, binding: { orgId: string; epoch: number }): Promise<Bytes> {
  const secret = await openBytes(await epochLinkKey(newOrgSecret, binding.orgId, binding.epoch), sealed, epochLinkAad(binding.orgId, binding.epoch, binding.epoch - 1));
  if (secret.length !== 32) throw new CryptoError('bad_format', 'org secret must be 32 bytes');
  return secret;
}
