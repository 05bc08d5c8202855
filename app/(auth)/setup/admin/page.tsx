import type { Metadata } from 'next';
import { getT } from '@/lib/server/i18n';
import { AdminSetupForm } from './admin-setup-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('setup.meta_title') };
}

export default async function AdminSetupPage() {
  const t = await getT();
  return (
    <main id="main" className="narrow">
      <h1>{t('setup.title')}</h1>
      <p className="muted">{t('setup.intro')}</p>
      <AdminSetupForm />
    </main>
  );
}
