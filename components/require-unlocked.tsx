'use client';

import { Fragment, useEffect, type ReactNode } from 'react';
import type { UnlockedAccount, UnlockedOrg } from '@/lib/client/account';
import { useDescribeError, useT } from '@/lib/client/i18n';
import { activeOrgOf, useKeys } from '@/lib/client/keys-context';
import { ErrorAlert } from './form-field';
import { KeyringWarning } from './keyring-warning';
import { MembershipBanner } from './membership-banner';
import { NoOrganization } from './no-organization';
import { UnlockPanel } from './unlock-panel';

/**
 * Renders its content with the unlocked account and its active organization once the keyring is
 * loaded and trusted; asks to unlock first, and shows the blocking keyring warning instead of any
 * content while the keyring is missing, rolled back or forked (DESIGN §3.4).
 * `banner`: the membership check's warnings above the content (the members page shows them itself).
 */
export function RequireUnlocked({ children, banner = true }: { children: (account: UnlockedAccount, org: UnlockedOrg) => ReactNode; banner?: boolean }) {
  const { account, activeOrgId, keyring, loadKeyring } = useKeys();
  const describeError = useDescribeError();
  const t = useT();
  useEffect(() => {
    if (account && keyring.status === 'idle') loadKeyring();
  }, [account, keyring.status, loadKeyring]);
  if (!account) return <UnlockPanel />;
  const org = activeOrgOf(account, activeOrgId);
  if (!org) return <NoOrganization />;
  if (keyring.status === 'blocked') return <KeyringWarning problem={keyring.problem} onRetry={loadKeyring} />;
  if (keyring.status === 'error') {
    return (
      <div className="stack">
        <ErrorAlert message={t('unlocked.load_failed', { reason: describeError(keyring.error) })} />
        <p><button type="button" className="secondary" onClick={loadKeyring}>{t('unlocked.try_again')}</button></p>
      </div>
    );
  }
  if (keyring.status !== 'ready') return <p className="status" role="status">{t('unlocked.checking')}</p>;
  // Keyed by org: switching organizations starts every page's state afresh.
  return (
    <Fragment key={org.orgId}>
      {banner && <MembershipBanner account={account} org={org} />}
      {children(account, org)}
    </Fragment>
  );
}
