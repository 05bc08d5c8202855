import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { homeFor } from '@/lib/server/pages';
import { currentSession } from '@/lib/server/sessions';
import { SignInPanel } from './sign-in-panel';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage() {
  const session = await currentSession();
  if (session) redirect(homeFor(session));
  return (
    <main className="narrow">
      <h1>Sign in</h1>
      <SignInPanel />
    </main>
  );
}
