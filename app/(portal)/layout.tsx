import type { ReactNode } from 'react';
import { OrgSwitcher } from '@/components/org-switcher';
import { SignOutButton } from '@/components/sign-out-button';
import { PortalNav } from '@/components/portal-nav';
import type { NavItem } from '@/components/site-nav';
import { sessionActiveOrg } from '@/lib/server/org-members';
import { currentSession } from '@/lib/server/sessions';
import { LockBadge } from './lock-badge';

const ITEMS: readonly NavItem[] = [
  { href: '/home', label: 'shell.home' },
  { href: '/inbox', label: 'shell.inbox' },
  { href: '/sent', label: 'shell.sent' },
  { href: '/invoices/new', label: 'shell.new_invoice' },
  { href: '/settings', label: 'shell.settings' },
];

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const session = await currentSession();
  const sessionOrgId = session ? await sessionActiveOrg(session) : null;
  return (
    <>
      <PortalNav items={ITEMS} sessionOrgId={session ? sessionOrgId : null} status={<LockBadge />}>
        <OrgSwitcher sessionOrgId={sessionOrgId} />
        <SignOutButton />
      </PortalNav>
      {children}
    </>
  );
}
