import type { Metadata } from 'next';
import { getT } from '@/lib/server/i18n';
import { RecoverForm } from './recover-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('recover.title') };
}

export default async function RecoverPage() {
  const t = await getT();
  return (
    <main id="main" className="narrow">
      <h1>{t('recover.title')}</h1>
      <p className="muted">{t('recover.intro')}</p>
      <RecoverForm />
    </main>
  );
}
