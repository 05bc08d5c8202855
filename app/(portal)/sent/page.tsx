import type { Metadata } from 'next';
import Link from 'next/link';
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
      <div className="row">
        <h1 style={{ marginRight: 'auto' }}>{t('sent.title')}</h1>
        <Link href="/customers">{t('customers.link_from_sent')}</Link>
      </div>
      <SentList />
    </main>
  );
}
