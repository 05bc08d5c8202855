import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getT } from '@/lib/server/i18n';
import { registrationMode } from '@/lib/server/invitations';
import { homeFor } from '@/lib/server/pages';
import { currentSession } from '@/lib/server/sessions';
import { SignUpForm } from './sign-up-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('signup.title') };
}

export default async function SignUpPage() {
  const session = await currentSession();
  if (session) redirect(homeFor(session));
  const t = await getT();
  return (
    <main id="main" className="narrow">
      <h1>{t('signup.title')}</h1>
      <p className="muted">{t('signup.intro')}</p>
      <SignUpForm registration={await registrationMode()} />
    </main>
  );
}
