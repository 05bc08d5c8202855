import type { Metadata } from 'next';
import Link from 'next/link';
import { getT } from '@/lib/server/i18n';
import { requirePortalSession } from '@/lib/server/pages';
import { MembersView } from './members-view';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('members.title') };
}

export default async function MembersPage() {
  await requirePortalSession();
  const t = await getT();
  return (
    <main id="main">
      <p className="muted"><Link href="/settings">{t('settings.title')}</Link> › {t('members.title')}</p>
      <h1>{t('members.title')}</h1>
      <MembersView />
    </main>
  );
}
