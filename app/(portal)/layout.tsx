import type { ReactNode } from 'react';
import { SignOutButton } from '@/components/sign-out-button';
import { SiteNav, type NavItem } from '@/components/site-nav';
import { LockBadge } from './lock-badge';

const ITEMS: readonly NavItem[] = [
  { href: '/home', label: 'shell.home' },
  { href: '/inbox', label: 'shell.inbox' },
  { href: '/sent', label: 'shell.sent' },
  { href: '/invoices/new', label: 'shell.new_invoice' },
  { href: '/settings', label: 'shell.settings' },
];

export default function PortalLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <SiteNav label="shell.nav_label" brand="zkinvoice" brandHref="/home" items={ITEMS} status={<LockBadge />}>
        <SignOutButton />
      </SiteNav>
      {children}
    </>
  );
}
