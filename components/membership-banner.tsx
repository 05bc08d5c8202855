'use client';

import Link from 'next/link';
import { useEffect, useState, type ReactNode } from 'react';
import type { UnlockedAccount, UnlockedOrg } from '@/lib/client/account';
import { useT } from '@/lib/client/i18n';
import { useKeyring } from '@/lib/client/keys-context';
import { membershipAtUnlock, type OrgProblem } from '@/lib/client/org-trust';

/**
 * Replays the active org's membership chain and audits the server's grants once per unlock, and
 * shows any blocking finding on every page (DESIGN §3.3): a member the chain does not name, an org
 * secret sealed to an outsider, a refused chain, or org keys other than the chain's.
 */
export function MembershipBanner({ account, org }: { account: UnlockedAccount; org: UnlockedOrg }) {
  const t = useT();
  const { problems } = useMembershipBlock(account, org);
  if (problems.length === 0) return null;
  return (
    <div className="alert error stack" role="alert" data-testid="membership-banner">
      <strong>{t('org.warning_heading')}</strong>
      {problems.map((p, i) => <p key={i}>{t(p.key, p.params)}</p>)}
      <p><Link href="/settings/members">{t('org.view_members')}</Link></p>
    </div>
  );
}

/**
 * The blocking findings of the active org's membership check (DESIGN §3.3, §3.4), shared by the
 * banner and the pages that must not act while one stands. `checked` is false until the check
 * answered: sending and invoice actions wait for it rather than race it.
 */
export function useMembershipBlock(account: UnlockedAccount, org: UnlockedOrg): { checked: boolean; problems: OrgProblem[] } {
  const [result, setResult] = useState<{ org: UnlockedOrg; problems: OrgProblem[] } | null>(null);
  const { current: currentKeyring, updateKeyring } = useKeyring();
  useEffect(() => {
    let current = true;
    // A failed load (offline, refused) is not a finding; the members page shows the error itself.
    membershipAtUnlock(account, org, { current: currentKeyring, updateKeyring }).then(
      (m) => current && setResult({ org, problems: m.problems.filter((p) => p.blocking) }),
      () => current && setResult({ org, problems: [] }),
    );
    return () => {
      current = false;
    };
  }, [account, org, currentKeyring, updateKeyring]);
  return result?.org === org ? { checked: true, problems: result.problems } : { checked: false, problems: [] };
}

/**
 * Content that acts for the org (sending, paying, commenting) only while no blocking membership
 * finding stands: a rolled-back or forked chain, a member or grant the chain does not name, or
 * keys other than the chain's mean this browser cannot tell who it would be acting with.
 */
export function UnlessMembershipBlocked({ account, org, children }: { account: UnlockedAccount; org: UnlockedOrg; children: ReactNode }) {
  const t = useT();
  const { checked, problems } = useMembershipBlock(account, org);
  if (!checked) return <p className="status" role="status">{t('org.checking_membership')}</p>;
  if (problems.length) return <p className="alert error" role="alert" data-testid="membership-blocks-acting">{t('org.blocked_acting', { org: org.name })}</p>;
  return <>{children}</>;
}
