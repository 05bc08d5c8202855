import type { Metadata } from 'next';
import { requirePortalSession } from '@/lib/server/pages';
import { AccountOverview } from './account-overview';

export const metadata: Metadata = { title: 'Home' };

export default async function HomePage({ searchParams }: { searchParams: Promise<{ locked?: string }> }) {
  const session = await requirePortalSession();
  const { locked } = await searchParams;
  return (
    <main id="main">
      <h1>Welcome, {session.displayName}</h1>
      <AccountOverview noPrf={locked === 'no-prf'} />
    </main>
  );
}
