import type { Metadata } from 'next';
import { getT } from '@/lib/server/i18n';
import { currentSession } from '@/lib/server/sessions';
import { ClaimView } from './claim-view';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('guest.title') };
}

/** A supplier's link for a customer without an account, `/claim/<orgId>#<c>.<fingerprint>`: the fragment never reaches this server. */
export default async function ClaimPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await currentSession();
  const t = await getT();
  return (
    <main id="main">
      <h1>{t('guest.title')}</h1>
      <ClaimView orgId={id} signedIn={!!session && !session.isPlatformAdmin} />
    </main>
  );
}
