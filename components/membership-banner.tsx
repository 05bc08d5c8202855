'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
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
  const [problems, setProblems] = useState<OrgProblem[]>([]);
  const { current: currentKeyring, updateKeyring } = useKeyring();
  useEffect(() => {
    let current = true;
    // A failed load (offline, refused) is not a finding; the members page shows the error itself.
    membershipAtUnlock(account, org, { current: currentKeyring, updateKeyring }).then((m) => current && setProblems(m.problems.filter((p) => p.blocking)), () => {});
    return () => {
      current = false;
    };
  }, [account, org, currentKeyring, updateKeyring]);
  if (problems.length === 0) return null;
  return (
    <div className="alert error stack" role="alert" data-testid="membership-banner">
      <strong>{t('org.warning_heading')}</strong>
      {problems.map((p, i) => <p key={i}>{t(p.key, p.params)}</p>)}
      <p><Link href="/settings/members">{t('org.view_members')}</Link></p>
    </div>
  );
}
