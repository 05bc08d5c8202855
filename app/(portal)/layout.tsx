import Link from 'next/link';
import type { ReactNode } from 'react';
import { SignOutButton } from '@/components/sign-out-button';
import { LockBadge } from './lock-badge';

export default function PortalLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <header className="topbar">
        <nav aria-label="Main">
          <Link className="brand" href="/home">zkinvoice</Link>
          <Link href="/home">Home</Link>
          <Link href="/inbox">Inbox</Link>
          <Link href="/sent">Sent</Link>
          <Link href="/invoices/new">New invoice</Link>
          <Link href="/settings">Settings</Link>
          <LockBadge />
          <SignOutButton />
        </nav>
      </header>
      {children}
    </>
  );
}
