import { domainLabel } from '../domain';
import { randomBytes, type Bytes } from '../encoding';
import { CryptoError } from '../errors';
import { openWithPrivateKey, sealToPublicKey } from '../hpke';
import { hkdfAesGcmKey } from '../kdf';

export type OrgKeyBinding = { orgId: string; version: number };
export type OrgMemberBinding = { orgId: string; userId: string; version: number };

const ORG_SECRET_LENGTH = 32;
const EMPTY_SALT = new Uint8Array(0);

export function generateOrgSecret(): Bytes {
  return randomBytes(ORG_SECRET_LENGTH);
}

function assertOrgSecret(orgSecret: Uint8Array): void {
  if (orgSecret.length !== ORG_SECRET_LENGTH) throw new CryptoError('bad_key', 'org secret must be 32 bytes');
}

/**
 * The AES-256-GCM key OS encrypts with. The info binds org id and key version, so the key of
 * one version never opens data of another; OS itself stays a KDF input only.
 */
export async function importOrgSecret(orgSecret: Uint8Array, binding: OrgKeyBinding): Promise<CryptoKey> {
  assertOrgSecret(orgSecret);
  return hkdfAesGcmKey(orgSecret, EMPTY_SALT, domainLabel('org-secret-enc', binding.orgId, binding.version));
}

export function orgPrivateKeysAad(orgId: string, version: number): string {
  return domainLabel('org-private-keys', orgId, version);
}

/** One label serves as HPKE info and AAD: both bind the grant to org, member and key version. */
function orgSecretLabel(binding: OrgMemberBinding): string {
  return domainLabel('org-secret', binding.orgId, binding.userId, binding.version);
}

/** Seals OS to a member's X25519 key, so a grant cannot be replayed to another member or version. */
export async function sealOrgSecretToMember(
  orgSecret: Uint8Array,
  memberEncryptionPublicKey: Uint8Array,
  binding: OrgMemberBinding,
): Promise<Bytes> {
  assertOrgSecret(orgSecret);
  const label = orgSecretLabel(binding);
  return sealToPublicKey(memberEncryptionPublicKey, orgSecret, label, label);
}

export async function openOrgSecret(
  memberEncryptionPrivateKey: CryptoKey,
  memberEncryptionPublicKey: Uint8Array,
  sealed: Uint8Array,
  binding: OrgMemberBinding,
): Promise<Bytes> {
  const label = orgSecretLabel(binding);
  const orgSecret = await openWithPrivateKey(memberEncryptionPrivateKey, memberEncryptionPublicKey, sealed, label, label);
  if (orgSecret.length !== ORG_SECRET_LENGTH) throw new CryptoError('bad_format', 'org secret must be 32 bytes');
  return orgSecret;
}
