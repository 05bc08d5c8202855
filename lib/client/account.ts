import 'client-only';

import {
  deriveRecoveryAuth,
  deriveRecoveryKek,
  derivePasskeyKek,
  generateAccountKey,
  hashRecoveryAuth,
  importAccountKey,
  RECOVERY_SLOT,
  unwrapAccountKey,
  userPrivateKeysAad,
  wrapAccountKey,
} from '@/lib/crypto/account';
import { signMembershipCertificate, type MembershipCertificate } from '@/lib/crypto/certificate';
import { fromBase64Url, randomBytes, toBase64Url, equalBytes } from '@/lib/crypto/encoding';
import { CryptoError } from '@/lib/crypto/errors';
import { importOrgDekWrapKey } from '@/lib/crypto/envelope';
import { fingerprint } from '@/lib/crypto/fingerprint';
import { openWithPrivateKey, sealToPublicKey } from '@/lib/crypto/hpke';
import { generateKeyPairs, unwrapPrivateKeys, wrapPrivateKeys, type GeneratedKeyPairs, type UnlockedKeyPairs } from '@/lib/crypto/keys';
import { importOrgProfileKey } from '@/lib/crypto/org-profile';
import { emptyChainHead, generateOrgSecret, importOrgSecret, nextLink, openOrgSecret, orgPrivateKeysAad, sealOrgSecretToMember, signCreateWithOrgKey, signLink } from '@/lib/crypto/org';
import { formatRecoveryKey, generateRecoveryKey, parseRecoveryKey } from '@/lib/crypto/recovery-key';
import { signWithContext, verifyWithContext } from '@/lib/crypto/sign';
import { sealGenesisKeyring } from './keyring';
import { checkCertificate } from './trust';
import type { OrgRole } from '@/lib/shared/roles';
import type { KeyBundle, SignUpKeys } from '@/lib/shared/schemas/auth';

export interface UnlockedOrg {
  orgId: string;
  name: string;
  handle: string;
  role: OrgRole;
  keyVersion: number;
  keys: UnlockedKeyPairs;
  /** Wraps invoice DEKs for the org's fast path (DESIGN §6). */
  dekWrapKey: CryptoKey;
  /** OS of the current epoch, in memory only like AK: an owner/admin seals it to a confirmed member. */
  orgSecret: Uint8Array;
  /** Seals the organization profile (lib/crypto/org-profile.ts). */
  profileKey: CryptoKey;
  fingerprint: string;
}

/** Keys held in memory for the signed-in user; never written to storage. */
export interface UnlockedAccount {
  userId: string;
  accountKey: Uint8Array;
  keys: UnlockedKeyPairs;
  fingerprint: string;
  orgs: UnlockedOrg[];
}

type OwnOrgKeys = NonNullable<SignUpKeys['org']>;

export interface NewAccountMaterial<Org extends OwnOrgKeys | undefined = OwnOrgKeys> {
  accountKey: Uint8Array;
  recoveryKeyText: string;
  keys: Omit<SignUpKeys, 'passkeyWrappedAccountKey' | 'org'> & { org: Org };
  /** The hash of the first keyring in `keys`, this device's first high-water mark for it. */
  keyringHash: string;
}

/** Everything a new account needs, made in the browser before the passkey ceremony. */
export async function createAccountMaterial(userId: string, orgId: string): Promise<NewAccountMaterial> {
  const material = await createUserMaterial(userId);
  return { ...material, keys: { ...material.keys, org: await createOwnOrg(userId, orgId, material.userKeys) } };
}

/**
 * A new account with no organization of its own (a sign-up from an org's join link, DESIGN §3.3):
 * its keys, recovery wrap and first keyring; the org it joins seals its secret to it on confirming.
 */
export async function createJoinerMaterial(userId: string): Promise<NewAccountMaterial<undefined>> {
  const { userKeys: _kept, ...material } = await createUserMaterial(userId);
  return { ...material, keys: { ...material.keys, org: undefined } };
}

async function createUserMaterial(userId: string): Promise<NewAccountMaterial<undefined> & { userKeys: GeneratedKeyPairs }> {
  const accountKey = generateAccountKey();
  const recoveryKey = generateRecoveryKey();
  const userKeys = await generateKeyPairs();
  const recoveryKek = await deriveRecoveryKek(recoveryKey);
  const keyring = await sealGenesisKeyring(accountKey, userId);
  const keys: NewAccountMaterial<undefined>['keys'] = {
    user: {
      encryptionPublicKey: toBase64Url(userKeys.encryptionPublicKey),
      signingPublicKey: toBase64Url(userKeys.signingPublicKey),
      wrappedPrivateKeys: toBase64Url(await wrapPrivateKeys(await importAccountKey(accountKey), userKeys, userPrivateKeysAad(userId))),
    },
    recoveryWrappedAccountKey: toBase64Url(await wrapAccountKey(recoveryKek, accountKey, { userId, slot: RECOVERY_SLOT })),
    recoveryAuthHash: toBase64Url(await hashRecoveryAuth(await deriveRecoveryAuth(recoveryKey))),
    keyring: keyring.sealed,
    org: undefined,
  };
  return { accountKey, recoveryKeyText: formatRecoveryKey(recoveryKey), keys, keyringHash: keyring.hash, userKeys };
}

/** The new account's own org at epoch 1: keys, the owner's certificate and grant, the chain's `create`. */
async function createOwnOrg(userId: string, orgId: string, userKeys: GeneratedKeyPairs): Promise<OwnOrgKeys> {
  const orgKeys = await generateKeyPairs();
  const orgSecret = generateOrgSecret();
  const binding = { orgId, version: 1 };
  const certificate: MembershipCertificate = {
    v: 1,
    orgId,
    userId,
    userSigningKey: toBase64Url(userKeys.signingPublicKey),
    userEncryptionKey: toBase64Url(userKeys.encryptionPublicKey),
    role: 'owner',
    version: 1,
    issuedAt: new Date().toISOString(),
  };
  const createLink = await nextLink(emptyChainHead(orgId), 'create', {
    epoch: 1,
    encryptionPublicKey: toBase64Url(orgKeys.encryptionPublicKey),
    signingPublicKey: toBase64Url(orgKeys.signingPublicKey),
    userId,
    userSigningKey: toBase64Url(userKeys.signingPublicKey),
    userEncryptionKey: toBase64Url(userKeys.encryptionPublicKey),
  }, { userId, signingPublicKey: userKeys.signingPublicKey });
  return {
    encryptionPublicKey: toBase64Url(orgKeys.encryptionPublicKey),
    signingPublicKey: toBase64Url(orgKeys.signingPublicKey),
    wrappedPrivateKeys: toBase64Url(await wrapPrivateKeys(await importOrgSecret(orgSecret, binding), orgKeys, orgPrivateKeysAad(orgId, 1))),
    sealedOrgSecret: toBase64Url(await sealOrgSecretToMember(orgSecret, userKeys.encryptionPublicKey, { orgId, userId, version: 1 })),
    certificate,
    certificateSignature: await signMembershipCertificate(orgKeys.signingPrivateKey, certificate),
    chain: { link: createLink, signature: await signLink(userKeys.signingPrivateKey, createLink), orgSignature: await signCreateWithOrgKey(orgKeys.signingPrivateKey, createLink) },
  };
}

/** Seals the account key under a passkey's PRF output (salted with its credential id). */
export async function wrapAccountKeyForPasskey(accountKey: Uint8Array, prfOutput: Uint8Array, userId: string, credentialId: string): Promise<string> {
  const kek = await derivePasskeyKek(prfOutput, fromBase64Url(credentialId));
  return toBase64Url(await wrapAccountKey(kek, accountKey, { userId, slot: credentialId }));
}

export async function unwrapAccountKeyWithPasskey(wrapped: string, prfOutput: Uint8Array, userId: string, credentialId: string): Promise<Uint8Array> {
  const kek = await derivePasskeyKek(prfOutput, fromBase64Url(credentialId));
  return unwrapAccountKey(kek, fromBase64Url(wrapped), { userId, slot: credentialId });
}

export async function unwrapAccountKeyWithRecoveryKey(wrapped: string, recoveryKeyText: string, userId: string): Promise<Uint8Array> {
  const kek = await deriveRecoveryKek(parseRecoveryKey(recoveryKeyText));
  return unwrapAccountKey(kek, fromBase64Url(wrapped), { userId, slot: RECOVERY_SLOT });
}

/** The proof the server checks during recovery (its hash is stored), derived apart from the KEK. */
export async function recoveryAuthFor(recoveryKeyText: string): Promise<string> {
  return toBase64Url(await deriveRecoveryAuth(parseRecoveryKey(recoveryKeyText)));
}

/** A new recovery key for an unlocked account: the old recovery wrap is replaced on the server. */
export async function createRecoveryWrap(accountKey: Uint8Array, userId: string): Promise<{ recoveryKeyText: string; recoveryWrappedAccountKey: string; recoveryAuthHash: string }> {
  const recoveryKey = generateRecoveryKey();
  return {
    recoveryKeyText: formatRecoveryKey(recoveryKey),
    recoveryWrappedAccountKey: toBase64Url(await wrapAccountKey(await deriveRecoveryKek(recoveryKey), accountKey, { userId, slot: RECOVERY_SLOT })),
    recoveryAuthHash: toBase64Url(await hashRecoveryAuth(await deriveRecoveryAuth(recoveryKey))),
  };
}

/**
 * Opens the user's private keys with AK, then each org's secret (HPKE-sealed to the user) and the
 * org's private keys; checks every membership certificate against the org signing key. Any
 * mismatch throws: a half-unlocked account is never presented as unlocked.
 */
export async function unlockAccount(accountKey: Uint8Array, bundle: KeyBundle): Promise<UnlockedAccount> {
  const userId = bundle.userId;
  const userPublic = { encryptionPublicKey: fromBase64Url(bundle.user.encryptionPublicKey), signingPublicKey: fromBase64Url(bundle.user.signingPublicKey) };
  const keys = await unwrapPrivateKeys(await importAccountKey(accountKey), fromBase64Url(bundle.user.wrappedPrivateKeys), userPrivateKeysAad(userId), userPublic);
  const orgs = await Promise.all(
    bundle.organizations.map(async (org): Promise<UnlockedOrg> => {
      const version = org.keyVersion;
      const orgPublic = { encryptionPublicKey: fromBase64Url(org.encryptionPublicKey), signingPublicKey: fromBase64Url(org.signingPublicKey) };
      const cert = org.certificate;
      const certValid = await checkCertificate(orgPublic.signingPublicKey, cert, org.certificateSignature, {
        userId,
        orgId: org.orgId,
        version,
        userSigningKey: bundle.user.signingPublicKey,
        userEncryptionKey: bundle.user.encryptionPublicKey,
      });
      if (!certValid) throw new CryptoError('bad_signature', `the membership certificate for ${org.name} is not valid`);
      const orgSecret = await openOrgSecret(keys.encryptionPrivateKey, keys.encryptionPublicKey, fromBase64Url(org.sealedOrgSecret), { orgId: org.orgId, userId, version });
      const orgKeys = await unwrapPrivateKeys(await importOrgSecret(orgSecret, { orgId: org.orgId, version }), fromBase64Url(org.wrappedPrivateKeys), orgPrivateKeysAad(org.orgId, version), orgPublic);
      return {
        orgId: org.orgId,
        name: org.name,
        handle: org.handle,
        role: org.role,
        keyVersion: version,
        keys: orgKeys,
        dekWrapKey: await importOrgDekWrapKey(orgSecret, { orgId: org.orgId, version }),
        orgSecret,
        profileKey: await importOrgProfileKey(orgSecret, { orgId: org.orgId, version }),
        fingerprint: await orgFingerprint(org.orgId, orgKeys.signingPublicKey, orgKeys.encryptionPublicKey),
      };
    }),
  );
  return {
    userId,
    accountKey,
    keys,
    fingerprint: await fingerprint({ signing: keys.signingPublicKey, encryption: keys.encryptionPublicKey }, `user:${userId}`),
    orgs,
  };
}

/** The safety number of an org's key pair; the same for everyone who looks at those keys. */
export function orgFingerprint(orgId: string, signingPublicKey: Uint8Array, encryptionPublicKey: Uint8Array): Promise<string> {
  return fingerprint({ signing: signingPublicKey, encryption: encryptionPublicKey }, `org:${orgId}`);
}

const KEY_CHECK = 'zkinvoice/v1/key-check';

/**
 * Proves the unlocked private keys belong to the public keys the server publishes right now: seals
 * a random value to each published encryption key and opens it, and signs and verifies a random
 * value against each published signing key. A server that swapped a public key fails this.
 */
export async function checkKeysAgainstServer(account: UnlockedAccount, bundle: KeyBundle): Promise<{ label: string; ok: boolean }[]> {
  const pairs = [
    { label: 'Your personal keys', keys: account.keys, published: bundle.user },
    ...account.orgs.map((org) => ({ label: `${org.name} organization keys`, keys: org.keys, published: bundle.organizations.find((o) => o.orgId === org.orgId) })),
  ];
  return Promise.all(
    pairs.map(async ({ label, keys, published }) => {
      if (!published) return { label, ok: false };
      const nonce = randomBytes(32);
      const encryptionPublicKey = fromBase64Url(published.encryptionPublicKey);
      try {
        const sealed = await sealToPublicKey(encryptionPublicKey, nonce, KEY_CHECK, KEY_CHECK);
        const opened = await openWithPrivateKey(keys.encryptionPrivateKey, encryptionPublicKey, sealed, KEY_CHECK, KEY_CHECK);
        const signature = await signWithContext(keys.signingPrivateKey, KEY_CHECK, nonce);
        const verified = await verifyWithContext(fromBase64Url(published.signingPublicKey), KEY_CHECK, nonce, signature);
        return { label, ok: equalBytes(opened, nonce) && verified };
      } catch {
        return { label, ok: false };
      }
    }),
  );
}
