'use client';

import Link from 'next/link';
import { UnlockPanel } from '@/components/unlock-panel';
import { useKeys } from '@/lib/client/keys-context';

export function AccountOverview({ noPrf }: { noPrf: boolean }) {
  const { account } = useKeys();
  if (!account) return <UnlockPanel noPrf={noPrf} />;
  return (
    <>
      <div className="alert ok" role="status">Your keys are unlocked in this tab. They stay in memory only and are forgotten when you sign out or close the tab.</div>
      {account.orgs.map((org) => (
        <section className="panel" key={org.orgId} aria-label={`Organization ${org.name}`}>
          <h2>{org.name}</h2>
          <dl>
            <dt>Your role</dt>
            <dd>{org.role}</dd>
            <dt>Handle</dt>
            <dd><code>{org.handle}</code> <span className="muted">— share it with suppliers so they can send you invoices.</span></dd>
            <dt>Safety number</dt>
            <dd className="fingerprint" data-testid="org-fingerprint">{org.fingerprint}</dd>
          </dl>
        </section>
      ))}
      <p className="muted">Invoices arrive here once suppliers send them. Compare safety numbers with your business partners to be sure no one swapped your keys. <Link href="/settings">Manage passkeys and keys</Link>.</p>
    </>
  );
}
