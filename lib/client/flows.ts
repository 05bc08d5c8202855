import 'client-only';

import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { keyBundleSchema, type KeyBundle } from '@/lib/shared/schemas/auth';
import {
  createAccountMaterial,
  createJoinerMaterial,
  createRecoveryWrap,
  recoveryAuthFor,
  unlockAccount,
  unwrapAccountKeyWithPasskey,
  unwrapAccountKeyWithRecoveryKey,
  wrapAccountKeyForPasskey,
  type UnlockedAccount,
} from './account';
import type { MessageKey } from '@/lib/shared/i18n';
import { api } from './api';
import { markGenesisKeyring } from './keyring';
import { createPasskey, getPasskeyAssertion, type PrfState } from './passkey';

/** Reports the step under way as a catalog key; the page shows it in the reader's language. */
export type Progress = (step: MessageKey) => void;
const quiet: Progress = () => {};

export function fetchKeyBundle(): Promise<KeyBundle> {
  return api('/api/account/keys', {}, keyBundleSchema);
}

/**
 * A fresh assertion in the current session (unlock, step-up, or the second ceremony that reads a
 * new passkey's PRF). When the assertion yields a PRF output and the passkey has no wrapped account
 * key yet, `accountKey` is sealed under it and stored in the same request.
 */
async function reauthenticate(options: { credentialId?: string; accountKey?: Uint8Array; userId?: string } = {}) {
  const requestOptions = await api<PublicKeyCredentialRequestOptionsJSON>('/api/auth/reauth/options', { body: { credentialId: options.credentialId } });
  const { response, prfOutput } = await getPasskeyAssertion(requestOptions);
  const wrappedAccountKey =
    prfOutput && options.accountKey && options.userId ? await wrapAccountKeyForPasskey(options.accountKey, prfOutput, options.userId, response.id) : undefined;
  const result = await api<{ credentialId: string; wrappedAccountKey: string | null }>('/api/auth/reauth/verify', { body: { response, wrappedAccountKey } });
  return { ...result, prfOutput };
}

/** After create(): wraps AK at once (PRF results), or via a second ceremony (PRF enabled only). */
async function finishPasskeyUnlock(prf: PrfState, credentialId: string, accountKey: Uint8Array, userId: string): Promise<boolean> {
  if (prf === 'unsupported') return false;
  if (prf === 'enabled') {
    const { wrappedAccountKey } = await reauthenticate({ credentialId, accountKey, userId });
    return wrappedAccountKey !== null;
  }
  return true;
}

export interface SignUpResult {
  account: UnlockedAccount;
  recoveryKeyText: string;
  passkeyCanUnlock: boolean;
}

/** Where a sign-up comes from: its own new organization, an org's join link, or a claim link. */
export type SignUpOrigin =
  | { orgName: string; joinInviteId?: undefined; claim?: undefined }
  | { orgName?: undefined; joinInviteId: string; claim?: undefined }
  | { orgName?: undefined; joinInviteId?: undefined; claim: { orgId: string; claimAuth: string } };

/**
 * `orgName`: the account's own organization; `joinInviteId` instead: a sign-up from an org's join
 * link, which creates no organization (the server refuses one) and waits for that org's confirmation;
 * `claim`: a sign-up from a claim link (its proof, never the secret), which creates none either and
 * claims the provisional organization next (DESIGN §11).
 */
export async function signUp(input: { displayName: string; email: string; passkeyName: string; invitation?: string } & SignUpOrigin, progress: Progress = quiet): Promise<SignUpResult> {
  progress('progress.preparing_account');
  const { options, userId, orgId } = await api<{ options: PublicKeyCredentialCreationOptionsJSON; userId: string; orgId: string | null }>('/api/auth/sign-up/options', {
    body: { displayName: input.displayName, email: input.email, orgName: input.orgName, joinInviteId: input.joinInviteId, claim: input.claim, invitation: input.invitation },
  });
  progress('progress.creating_keys');
  const material = input.orgName !== undefined && orgId ? await createAccountMaterial(userId, orgId) : await createJoinerMaterial(userId);
  progress('progress.waiting_passkey');
  const { response, prf, prfOutput } = await createPasskey(options);
  const passkeyWrappedAccountKey = prfOutput ? await wrapAccountKeyForPasskey(material.accountKey, prfOutput, userId, response.id) : undefined;
  progress('progress.saving_account');
  await api('/api/auth/sign-up/verify', { body: { response, passkeyName: input.passkeyName, keys: { ...material.keys, passkeyWrappedAccountKey }, invitation: input.invitation } });
  await markGenesisKeyring(userId, material.keyringHash);
  if (prf === 'enabled') progress('progress.confirm_again');
  const passkeyCanUnlock = await finishPasskeyUnlock(prf, response.id, material.accountKey, userId);
  progress('progress.opening_keys');
  const account = await unlockAccount(material.accountKey, await fetchKeyBundle());
  return { account, recoveryKeyText: material.recoveryKeyText, passkeyCanUnlock };
}

export type SignInResult =
  | { kind: 'admin' }
  | { kind: 'unlocked'; account: UnlockedAccount }
  | { kind: 'locked'; reason: 'no-prf' };

export async function signIn(progress: Progress = quiet): Promise<SignInResult> {
  const options = await api<PublicKeyCredentialRequestOptionsJSON>('/api/auth/sign-in/options', { body: {} });
  progress('progress.waiting_passkey');
  const { response, prfOutput } = await getPasskeyAssertion(options);
  progress('progress.signing_in');
  const result = await api<{ userId: string; isPlatformAdmin: boolean; credentialId: string; wrappedAccountKey: string | null }>('/api/auth/sign-in/verify', { body: { response } });
  if (result.isPlatformAdmin) return { kind: 'admin' };
  if (!prfOutput || !result.wrappedAccountKey) return { kind: 'locked', reason: 'no-prf' };
  progress('progress.opening_keys');
  const accountKey = await unwrapAccountKeyWithPasskey(result.wrappedAccountKey, prfOutput, result.userId, result.credentialId);
  return { kind: 'unlocked', account: await unlockAccount(accountKey, await fetchKeyBundle()) };
}

/** Unlocks a signed-in session (after a reload, say) with a fresh passkey assertion. */
export async function unlockWithPasskey(): Promise<UnlockedAccount | null> {
  const { credentialId, wrappedAccountKey, prfOutput } = await reauthenticate();
  if (!prfOutput || !wrappedAccountKey) return null;
  const bundle = await fetchKeyBundle();
  return unlockAccount(await unwrapAccountKeyWithPasskey(wrappedAccountKey, prfOutput, bundle.userId, credentialId), bundle);
}

export async function unlockWithRecoveryKey(recoveryKeyText: string): Promise<UnlockedAccount> {
  const bundle = await fetchKeyBundle();
  const accountKey = await unwrapAccountKeyWithRecoveryKey(bundle.recoveryWrappedAccountKey, recoveryKeyText, bundle.userId);
  return unlockAccount(accountKey, bundle);
}

/** Adds a passkey: step-up assertion, then a registration whose PRF wraps the account key. */
export async function addPasskey(account: UnlockedAccount, name: string, progress: Progress = quiet): Promise<{ canUnlock: boolean }> {
  progress('progress.confirm_existing');
  await reauthenticate();
  const options = await api<PublicKeyCredentialCreationOptionsJSON>('/api/passkeys/options', { body: {} });
  progress('progress.create_new_passkey');
  const { response, prf, prfOutput } = await createPasskey(options);
  const wrappedAccountKey = prfOutput ? await wrapAccountKeyForPasskey(account.accountKey, prfOutput, account.userId, response.id) : undefined;
  await api('/api/passkeys', { body: { response, name, wrappedAccountKey } });
  if (prf === 'enabled') progress('progress.confirm_new_again');
  return { canUnlock: await finishPasskeyUnlock(prf, response.id, account.accountKey, account.userId) };
}

/** Removing a passkey is sensitive too: it needs a fresh assertion first. */
export async function removePasskey(id: string): Promise<void> {
  await reauthenticate();
  await api(`/api/passkeys/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Issues a new recovery key for an unlocked account (needs a fresh assertion). */
export async function replaceRecoveryKey(account: UnlockedAccount): Promise<string> {
  await reauthenticate();
  const wrap = await createRecoveryWrap(account.accountKey, account.userId);
  await api('/api/account/recovery-key', { method: 'PUT', body: { recoveryWrappedAccountKey: wrap.recoveryWrappedAccountKey, recoveryAuthHash: wrap.recoveryAuthHash } });
  return wrap.recoveryKeyText;
}

/** Recovery with every passkey lost: prove the recovery key, register a new passkey, re-wrap AK. */
export async function recoverAccount(input: { email: string; recoveryKeyText: string; passkeyName: string }, progress: Progress = quiet): Promise<{ account: UnlockedAccount; passkeyCanUnlock: boolean }> {
  progress('progress.checking_recovery_key');
  const recoveryAuth = await recoveryAuthFor(input.recoveryKeyText);
  const start = await api<{ userId: string; options: PublicKeyCredentialCreationOptionsJSON; recoveryWrappedAccountKey: string }>('/api/recovery/start', {
    body: { email: input.email, recoveryAuth },
  });
  const accountKey = await unwrapAccountKeyWithRecoveryKey(start.recoveryWrappedAccountKey, input.recoveryKeyText, start.userId);
  progress('progress.create_your_new_passkey');
  const { response, prf, prfOutput } = await createPasskey(start.options);
  const wrappedAccountKey = prfOutput ? await wrapAccountKeyForPasskey(accountKey, prfOutput, start.userId, response.id) : undefined;
  await api('/api/recovery/finish', { body: { response, name: input.passkeyName, wrappedAccountKey } });
  const passkeyCanUnlock = await finishPasskeyUnlock(prf, response.id, accountKey, start.userId);
  progress('progress.opening_keys');
  return { account: await unlockAccount(accountKey, await fetchKeyBundle()), passkeyCanUnlock };
}

export async function signOut(): Promise<void> {
  await api('/api/auth/sign-out', { body: {} });
}
