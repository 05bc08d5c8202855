import { openBytes, sealBytes, sealBytesWithNonce } from './aead';
import { domainLabel } from './domain';
import type { Bytes } from './encoding';
import { CryptoError } from './errors';
import { hkdfAesGcmKey } from './kdf';
import type { OrgKeyBinding } from './org';

/**
 * The organization profile (the supplier's own name, address, VAT id, bank details, payment
 * terms) is sealed under a key derived from the org secret OS, so every member can read and
 * write it and the server, which never holds OS, cannot. Its own HKDF info keeps it apart from
 * every other use of OS; the key version in it means a rotated OS needs the profile sealed again.
 */
export async function importOrgProfileKey(orgSecret: Uint8Array, binding: OrgKeyBinding): Promise<CryptoKey> {
  if (orgSecret.length !== 32) throw new CryptoError('bad_key', 'org secret must be 32 bytes');
  return hkdfAesGcmKey(orgSecret, new Uint8Array(0), domainLabel('org-profile-key', binding.orgId, binding.version));
}

/** Which stored profile a ciphertext is: a copy moved to another org, key version or revision fails to open. */
export interface OrgProfileBinding {
  orgId: string;
  keyVersion: number;
  revision: number;
}

function profileAad(binding: OrgProfileBinding): string {
  return domainLabel('org-profile', binding.orgId, binding.keyVersion, binding.revision);
}

export function sealOrgProfile(key: CryptoKey, plaintext: Uint8Array, binding: OrgProfileBinding): Promise<Bytes> {
  return sealBytes(key, plaintext, profileAad(binding));
}

/** Deterministic, for golden vectors only (a repeated nonce under one key breaks AES-GCM). */
export function sealOrgProfileWithNonce(key: CryptoKey, nonce: Uint8Array, plaintext: Uint8Array, binding: OrgProfileBinding): Promise<Bytes> {
  return sealBytesWithNonce(key, nonce, plaintext, profileAad(binding));
}

export function openOrgProfile(key: CryptoKey, sealed: Uint8Array, binding: OrgProfileBinding): Promise<Bytes> {
  return openBytes(key, sealed, profileAad(binding));
}
