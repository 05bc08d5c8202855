'use client';

import 'client-only';

import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { UnlockedAccount, UnlockedOrg } from './account';
import { KeyringTrustError, loadKeyring as fetchKeyring, updateKeyring as saveKeyring, type Keyring, type KeyringProblem } from './keyring';

/**
 * The keyring as this tab knows it: loaded once per unlock (and again by every write, which
 * starts from the newest copy), checked against the device's high-water mark (DESIGN §3.4).
 */
export type KeyringState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; keyring: Keyring }
  | { status: 'blocked'; problem: KeyringProblem }
  | { status: 'error'; error: unknown };

interface KeysState {
  /** Unlocked keys, in memory only: a reload or sign-out forgets them. */
  account: UnlockedAccount | null;
  /** The recovery key between sign-up and its confirmation; dropped once confirmed. */
  pendingRecoveryKey: string | null;
  keyring: KeyringState;
  setAccount(account: UnlockedAccount | null): void;
  /** The organization every page acts for (the header's switcher); null: the first one. */
  activeOrgId: string | null;
  setActiveOrgId(orgId: string | null): void;
  setPendingRecoveryKey(text: string | null): void;
  /** Loads (or, after a problem, loads again) the keyring for the unlocked account. */
  loadKeyring(): void;
  /** Saves a change as the keyring's next version; a rollback found on the way blocks everything. */
  updateKeyring(change: (keyring: Keyring) => void): Promise<Keyring>;
  /** The newest verified keyring; throws before it is loaded. */
  currentKeyring(): Keyring;
  forget(): void;
}

const KeysContext = createContext<KeysState | null>(null);

export function KeysProvider({ children }: { children: ReactNode }) {
  const [account, setAccountState] = useState<UnlockedAccount | null>(null);
  const [pendingRecoveryKey, setPendingRecoveryKey] = useState<string | null>(null);
  const [activeOrgId, setActiveOrgId] = useState<string | null>(null);
  const [keyring, setKeyring] = useState<KeyringState>({ status: 'idle' });
  // Which user a keyring answer belongs to: one arriving after a sign-out or switch is dropped.
  const owner = useRef<UnlockedAccount | null>(null);
  const isOwner = (forAccount: UnlockedAccount) => owner.current?.userId === forAccount.userId;
  // The newest verified keyring, for effects that must not re-run whenever it changes.
  const latest = useRef<Keyring | null>(null);
  const ready = useCallback((forAccount: UnlockedAccount, next: Keyring) => {
    if (!isOwner(forAccount)) return;
    latest.current = next;
    setKeyring({ status: 'ready', keyring: next });
  }, []);
  const currentKeyring = useCallback((): Keyring => {
    if (!latest.current) throw new Error('The keyring is not loaded.');
    return latest.current;
  }, []);

  const setAccount = useCallback((next: UnlockedAccount | null) => {
    // The same user unlocked again (after a key rotation of one of its orgs, or a join): the
    // keyring is the user's, not the org's, so it stays loaded and the page stays as it is.
    const sameUser = !!next && owner.current?.userId === next.userId;
    owner.current = next;
    setAccountState(next);
    if (sameUser) return;
    latest.current = null;
    setKeyring({ status: 'idle' });
  }, []);

  const fail = useCallback((forAccount: UnlockedAccount, error: unknown) => {
    if (!isOwner(forAccount)) return;
    latest.current = null;
    setKeyring(error instanceof KeyringTrustError ? { status: 'blocked', problem: error.problem } : { status: 'error', error });
  }, []);

  const loadKeyring = useCallback(() => {
    if (!account) return;
    setKeyring({ status: 'loading' });
    fetchKeyring(account).then(
      (loaded) => ready(account, loaded.keyring),
      (error: unknown) => fail(account, error),
    );
  }, [account, fail, ready]);

  const updateKeyring = useCallback(
    async (change: (keyring: Keyring) => void): Promise<Keyring> => {
      if (!account) throw new Error('Unlock your keys first.');
      try {
        const saved = await saveKeyring(account, change);
        ready(account, saved.keyring);
        return saved.keyring;
      } catch (error) {
        if (error instanceof KeyringTrustError) fail(account, error);
        throw error;
      }
    },
    [account, fail, ready],
  );

  const forget = useCallback(() => {
    account?.accountKey.fill(0);
    for (const org of account?.orgs ?? []) org.orgSecret.fill(0);
    setAccount(null);
    setPendingRecoveryKey(null);
  }, [account, setAccount]);
  const value = useMemo(
    () => ({ account, pendingRecoveryKey, keyring, setAccount, setPendingRecoveryKey, activeOrgId, setActiveOrgId, loadKeyring, updateKeyring, currentKeyring, forget }),
    [account, pendingRecoveryKey, keyring, setAccount, activeOrgId, loadKeyring, updateKeyring, currentKeyring, forget],
  );
  return <KeysContext value={value}>{children}</KeysContext>;
}

export function useKeys(): KeysState {
  const state = useContext(KeysContext);
  if (!state) throw new Error('useKeys must be used inside KeysProvider');
  return state;
}

/** The unlocked organization the pages act for: the one chosen in the switcher, else the first. */
export function activeOrgOf(account: UnlockedAccount | null, activeOrgId: string | null): UnlockedOrg | undefined {
  return account?.orgs.find((o) => o.orgId === activeOrgId) ?? account?.orgs[0];
}

export function useActiveOrg(): UnlockedOrg | undefined {
  const { account, activeOrgId } = useKeys();
  return activeOrgOf(account, activeOrgId);
}

/**
 * The verified keyring, for components inside RequireUnlocked (which shows them only once it is
 * ready). `current()` reads the newest copy without making an effect depend on it.
 */
export function useKeyring(): { keyring: Keyring; current(): Keyring; updateKeyring(change: (keyring: Keyring) => void): Promise<Keyring> } {
  const { keyring, updateKeyring, currentKeyring } = useKeys();
  if (keyring.status !== 'ready') throw new Error('useKeyring needs a loaded keyring; render inside RequireUnlocked');
  return { keyring: keyring.keyring, current: currentKeyring, updateKeyring };
}
