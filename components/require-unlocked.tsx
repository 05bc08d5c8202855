'use client';

import { Fragment, type ReactNode } from 'react';
import type { UnlockedAccount, UnlockedOrg } from '@/lib/client/account';
import { activeOrgOf, useKeys } from '@/lib/client/keys-context';
import { MembershipBanner } from './membership-banner';
import { UnlockPanel } from './unlock-panel';

/** Renders its content with the unlocked account and its organization, or asks to unlock first. */
/** `banner`: the membership check's warnings above the content (the members page shows them itself). */
export function RequireUnlocked({ children, banner = true }: { children: (account: UnlockedAccount, org: UnlockedOrg) => ReactNode; banner?: boolean }) {
  const { account, activeOrgId } = useKeys();
  if (!account) return <UnlockPanel />;
  const org = activeOrgOf(account, activeOrgId);
  if (!org) return <div className="alert warn" role="note">Your account belongs to no organization, so it can neither send nor receive invoices.</div>;
  // Keyed by org: switching organizations starts every page's state afresh.
  return (
    <Fragment key={org.orgId}>
      {banner && <MembershipBanner account={account} org={org} />}
      {children(account, org)}
    </Fragment>
  );
}
