import type { Metadata } from 'next';
import { getT } from '@/lib/server/i18n';
import { requirePortalSession } from '@/lib/server/pages';
import { AccountOverview } from './account-overview';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('home.title') };
}

export default async function HomePage({ searchParams }: { searchParams: Promise<{ locked?: string }> }) {
  const session = await requirePortalSession();
  const t = await getT();
  const { locked } = await searchParams;
  return (
    <main id="main">
      <h1>{t('home.welcome', { name: session.displayName })}</h1>
      <AccountOverview noPrf={locked === 'no-prf'} />
    </main>
  );
}
