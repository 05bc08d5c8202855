import type { Metadata } from 'next';
import Link from 'next/link';
import { getT } from '@/lib/server/i18n';
import { requirePortalSession } from '@/lib/server/pages';
import { BulkSend } from './bulk-send';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('bulk.title') };
}

export default async function BulkSendPage() {
  await requirePortalSession();
  const t = await getT();
  return (
    <main id="main">
      <h1>{t('bulk.title')}</h1>
      <p className="muted">{t('bulk.intro')} {t('new.intro')}</p>
      <p><Link href="/invoices/new">{t('bulk.single_link')}</Link></p>
      <BulkSend />
    </main>
  );
}
