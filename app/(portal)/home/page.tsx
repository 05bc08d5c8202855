import type { Metadata } from 'next';
import { getT } from '@/lib/server/i18n';
import { requirePortalSession } from '@/lib/server/pages';
import { AccountOverview } from './account-overview';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('home.title') };
}

/**
 * When this request rendered the page. A server component renders once per request, so this is
 * the visit's identity, not an unstable value: a click on Home while already home renders anew.
 */
function visitStamp(): number {
  return Date.now();
}

export default async function HomePage({ searchParams }: { searchParams: Promise<{ locked?: string }> }) {
  const session = await requirePortalSession();
  const t = await getT();
  const { locked } = await searchParams;
  return (
    <main id="main">
      <h1>{t('home.welcome', { name: session.displayName })}</h1>
      {/* Rendered again on every visit, also from the Home link while already home: the stamp makes
          the dashboard fetch afresh then, rather than keep what it showed before. */}
      <AccountOverview noPrf={locked === 'no-prf'} visit={visitStamp()} />
    </main>
  );
}
