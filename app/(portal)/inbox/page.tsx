import type { Metadata } from 'next';
import { getT } from '@/lib/server/i18n';
import { requirePortalSession } from '@/lib/server/pages';
import { InboxList } from './inbox-list';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('inbox.title') };
}

export default async function InboxPage() {
  await requirePortalSession();
  const t = await getT();
  return (
    <main id="main" className="wide">
      <h1>{t('inbox.title')}</h1>
      <InboxList />
    </main>
  );
}
