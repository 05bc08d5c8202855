'use client';

import type { ReactNode } from 'react';
import type { UnlockedAccount, UnlockedOrg } from '@/lib/client/account';
import { useKeys } from '@/lib/client/keys-context';
import { UnlockPanel } from './unlock-panel';

/** Renders its content with the unlocked account and its organization, or asks to unlock first. */
export function RequireUnlocked({ children }: { children: (account: UnlockedAccount, org: UnlockedOrg) => ReactNode }) {
  const { account } = useKeys();
  if (!account) return <UnlockPanel />;
  const org = account.orgs[0];
  if (!org) return <div className="alert warn" role="note">Your account belongs to no organization, so it can neither send nor receive invoices.</div>;
  return <>{children(account, org)}</>;
}
