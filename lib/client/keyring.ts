import { importAccountKey, keyringAad } from '@/lib/crypto/account';
import { openBytes, sealBytes } from '@/lib/crypto/aead';
import { fromBase64Url, toBase64Url, utf8Decode, utf8Encode } from '@/lib/crypto/encoding';
import type { UnlockedAccount } from './account';
import { api } from './api';

/** A counterparty org's keys as first seen (trust on first use, DESIGN §5). */
export interface PinnedOrg {
  name: string;
  handle: string;
  signingPublicKey: string;
  encryptionPublicKey: string;
  fingerprint: string;
  pinnedAt: string;
}

/** The user's keyring: sealed under AK in the browser, stored on the server as ciphertext. */
export interface Keyring {
  v: 1;
  orgs: Record<string, PinnedOrg>;
  /** The IBAN last paid to each supplier org, to flag a change of bank details. */
  payees: Record<string, { iban: string; paidAt: string }>;
}

export interface LoadedKeyring {
  keyring: Keyring;
  version: number;
}

const EMPTY: Keyring = { v: 1, orgs: {}, payees: {} };

export async function loadKeyring(account: UnlockedAccount): Promise<LoadedKeyring> {
  const { encryptedKeyring, version } = await api<{ encryptedKeyring: string | null; version: number }>('/api/account/keyring');
  if (!encryptedKeyring) return { keyring: structuredClone(EMPTY), version };
  const key = await importAccountKey(account.accountKey);
  const keyring = JSON.parse(utf8Decode(await openBytes(key, fromBase64Url(encryptedKeyring), keyringAad(account.userId)))) as Keyring;
  return { keyring, version };
}

/**
 * Applies a change to the newest keyring and saves it; on a concurrent write elsewhere it reloads
 * and applies the change again, so pins from two tabs are merged rather than lost.
 */
export async function updateKeyring(account: UnlockedAccount, change: (keyring: Keyring) => void): Promise<LoadedKeyring> {
  const key = await importAccountKey(account.accountKey);
  for (let attempt = 0; ; attempt++) {
    const current = await loadKeyring(account);
    change(current.keyring);
    const sealed = await sealBytes(key, utf8Encode(JSON.stringify(current.keyring)), keyringAad(account.userId));
    try {
      const { version } = await api<{ version: number }>('/api/account/keyring', { method: 'PUT', body: { encryptedKeyring: toBase64Url(sealed), expectedVersion: current.version } });
      return { keyring: current.keyring, version };
    } catch (error) {
      if (attempt >= 2 || !(error instanceof Error && 'code' in error && error.code === 'conflict')) throw error;
    }
  }
}

export type PinState = 'pinned' | 'new' | 'changed';

/**
 * The pin that speaks for this org: the one under its id, else the one for its handle. Handles never
 * change, so a known handle that now names another org id means the server moved it to another
 * organization; comparing only by id would take that impostor for a first contact.
 */
export function pinFor(keyring: Keyring, org: { orgId: string; handle: string }): { orgId: string; pin: PinnedOrg } | null {
  const byId = keyring.orgs[org.orgId];
  if (byId) return { orgId: org.orgId, pin: byId };
  const byHandle = Object.entries(keyring.orgs).find(([, pin]) => pin.handle === org.handle);
  return byHandle ? { orgId: byHandle[0], pin: byHandle[1] } : null;
}

export function pinState(keyring: Keyring, org: { orgId: string; handle: string; signingPublicKey: string; encryptionPublicKey: string }): PinState {
  const pinned = pinFor(keyring, org);
  if (!pinned) return 'new';
  const { orgId, pin } = pinned;
  return orgId === org.orgId && pin.signingPublicKey === org.signingPublicKey && pin.encryptionPublicKey === org.encryptionPublicKey ? 'pinned' : 'changed';
}

export function pinOrg(keyring: Keyring, org: { orgId: string; name: string; handle: string; signingPublicKey: string; encryptionPublicKey: string }, fingerprint: string): void {
  keyring.orgs[org.orgId] = {
    name: org.name,
    handle: org.handle,
    signingPublicKey: org.signingPublicKey,
    encryptionPublicKey: org.encryptionPublicKey,
    fingerprint,
    pinnedAt: new Date().toISOString(),
  };
}
