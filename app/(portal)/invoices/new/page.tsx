import type { Metadata } from 'next';
import Link from 'next/link';
import { getT } from '@/lib/server/i18n';
import { requirePortalSession } from '@/lib/server/pages';
import { uuidSchema } from '@/lib/shared/schemas/common';
import { NewInvoice } from './new-invoice';

export async function generateMetadata({ searchParams }: { searchParams: Promise<{ creditFor?: string | string[] }> }): Promise<Metadata> {
  const credit = uuidSchema.safeParse((await searchParams).creditFor).success;
  return { title: (await getT())(credit ? 'new.title_credit' : 'new.title') };
}

export default async function NewInvoicePage({ searchParams }: { searchParams: Promise<{ creditFor?: string | string[] }> }) {
  await requirePortalSession();
  const { creditFor } = await searchParams;
  const credited = uuidSchema.safeParse(creditFor);
  const t = await getT();
  return (
    <main id="main">
      <h1>{credited.success ? t('new.title_credit') : t('new.title')}</h1>
      <p className="muted">{t('new.intro')}</p>
      {!credited.success && <p><Link href="/invoices/bulk">{t('bulk.link')}</Link></p>}
      <NewInvoice creditFor={credited.success ? credited.data : undefined} />
    </main>
  );
}
