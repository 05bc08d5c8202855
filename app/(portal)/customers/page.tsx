import type { Metadata } from 'next';
import { getT } from '@/lib/server/i18n';
import { requirePortalSession } from '@/lib/server/pages';
import { CustomersView } from './customers-view';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('customers.title') };
}

export default async function CustomersPage() {
  await requirePortalSession();
  const t = await getT();
  return (
    <main id="main" className="wide">
      <h1>{t('customers.title')}</h1>
      <p className="muted">{t('customers.intro')}</p>
      <CustomersView />
    </main>
  );
}
