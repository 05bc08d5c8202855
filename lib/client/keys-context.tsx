'use client';

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { UnlockedAccount, UnlockedOrg } from './account';

interface KeysState {
  /** Unlocked keys, in memory only: a reload or sign-out forgets them. */
  account: UnlockedAccount | null;
  /** The recovery key between sign-up and its confirmation; dropped once confirmed. */
  pendingRecoveryKey: string | null;
  setAccount(account: UnlockedAccount | null): void;
  /** The organization every page acts for (the header's switcher); null: the first one. */
  activeOrgId: string | null;
  setActiveOrgId(orgId: string | null): void;
  setPendingRecoveryKey(text: string | null): void;
  forget(): void;
}

const KeysContext = createContext<KeysState | null>(null);

export function KeysProvider({ children }: { children: ReactNode }) {
  const [account, setAccount] = useState<UnlockedAccount | null>(null);
  const [pendingRecoveryKey, setPendingRecoveryKey] = useState<string | null>(null);
  const [activeOrgId, setActiveOrgId] = useState<string | null>(null);
  const forget = useCallback(() => {
    account?.accountKey.fill(0);
    for (const org of account?.orgs ?? []) org.orgSecret.fill(0);
    setAccount(null);
    setPendingRecoveryKey(null);
  }, [account]);
  const value = useMemo(() => ({ account, pendingRecoveryKey, setAccount, setPendingRecoveryKey, activeOrgId, setActiveOrgId, forget }), [account, pendingRecoveryKey, activeOrgId, forget]);
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
