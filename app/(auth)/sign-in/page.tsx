import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getT } from '@/lib/server/i18n';
import { homeFor } from '@/lib/server/pages';
import { currentSession } from '@/lib/server/sessions';
import { SignInPanel } from './sign-in-panel';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('signin.title') };
}

export default async function SignInPage() {
  const session = await currentSession();
  if (session) redirect(homeFor(session));
  const t = await getT();
  return (
    <main id="main" className="narrow">
      <h1>{t('signin.title')}</h1>
      <SignInPanel />
    </main>
  );
}
