import Link from 'next/link';
import type { ReactNode } from 'react';
import { SignOutButton } from '@/components/sign-out-button';
import { requireAdminSession } from '@/lib/server/pages';

// Checked here as well as in each page, so not even the admin navigation is rendered for anyone else.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdminSession();
  return (
    <>
      <header className="topbar">
        <nav aria-label="Administration">
          <Link className="brand" href="/admin">zkinvoice admin</Link>
          <Link href="/admin">Overview</Link>
          <Link href="/admin/users">Users</Link>
          <Link href="/admin/organizations">Organizations</Link>
          <Link href="/admin/audit">Audit log</Link>
          <Link href="/admin/settings">Settings</Link>
          <SignOutButton />
        </nav>
      </header>
      {children}
    </>
  );
}
