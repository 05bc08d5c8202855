import type { Metadata } from 'next';
import { getT } from '@/lib/server/i18n';
import { VerifyEmail } from './verify-email';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('verify_email.title') };
}

export default async function VerifyEmailPage() {
  const t = await getT();
  return (
    <main id="main" className="narrow">
      <h1>{t('verify_email.title')}</h1>
      <VerifyEmail />
    </main>
  );
}
