import type { ReactNode } from 'react';
import { SignOutButton } from '@/components/sign-out-button';
import { SiteNav, type NavItem } from '@/components/site-nav';
import { requireAdminSession } from '@/lib/server/pages';

const ITEMS: readonly NavItem[] = [
  { href: '/admin', label: 'shell.admin_overview', exact: true },
  { href: '/admin/users', label: 'shell.admin_users' },
  { href: '/admin/organizations', label: 'shell.admin_orgs' },
  { href: '/admin/audit', label: 'shell.admin_audit' },
  { href: '/admin/settings', label: 'shell.admin_settings' },
];

// Checked here as well as in each page, so not even the admin navigation is rendered for anyone else.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdminSession();
  return (
    <>
      <SiteNav label="shell.admin_nav_label" brand="zkinvoice admin" brandHref="/admin" items={ITEMS}>
        <SignOutButton />
      </SiteNav>
      {children}
    </>
  );
}
