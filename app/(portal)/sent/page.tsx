import type { Metadata } from 'next';
import { getT } from '@/lib/server/i18n';
import { requirePortalSession } from '@/lib/server/pages';
import { SentList } from './sent-list';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('sent.title') };
}

export default async function SentPage() {
  await requirePortalSession();
  const t = await getT();
  return (
    <main id="main" className="wide">
      <h1>{t('sent.title')}</h1>
      <SentList />
    </main>
  );
}
