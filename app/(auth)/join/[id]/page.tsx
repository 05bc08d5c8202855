import type { Metadata } from 'next';
import { getT } from '@/lib/server/i18n';
import { currentSession } from '@/lib/server/sessions';
import { JoinView } from './join-view';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('join.title') };
}

/** A colleague's invitation link, `/join/<id>#<secret>`: the secret never reaches this server. */
export default async function JoinPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await currentSession();
  const t = await getT();
  return (
    <main id="main" className="narrow">
      <h1>{t('join.title')}</h1>
      <JoinView inviteId={id} signedIn={!!session} />
    </main>
  );
}
