'use client';

import Link from 'next/link';
import { NoOrganization } from '@/components/no-organization';
import { RequireUnlocked } from '@/components/require-unlocked';
import { UnlockPanel } from '@/components/unlock-panel';
import { useT } from '@/lib/client/i18n';
import { useKeys } from '@/lib/client/keys-context';
import { Dashboard } from './dashboard';

export function AccountOverview({ noPrf, visit }: { noPrf: boolean; visit: number }) {
  const t = useT();
  const { account } = useKeys();
  if (!account) return <UnlockPanel noPrf={noPrf} />;
  return (
    <>
      {account.orgs.length > 0 ? <RequireUnlocked>{(_account, org) => <Dashboard org={org} visit={visit} />}</RequireUnlocked> : <NoOrganization />}
      <p className="muted">{t('home.keys_note')} <Link href="/settings">{t('home.manage_keys')}</Link>.</p>
    </>
  );
}
