import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { registrationMode } from '@/lib/server/invitations';
import { homeFor } from '@/lib/server/pages';
import { currentSession } from '@/lib/server/sessions';
import { SignUpForm } from './sign-up-form';

export const metadata: Metadata = { title: 'Create an account' };

export default async function SignUpPage() {
  const session = await currentSession();
  if (session) redirect(homeFor(session));
  return (
    <main className="narrow">
      <h1>Create an account</h1>
      <p className="muted">You and your organization get encryption keys that only your browser can open. Administrators of this portal cannot recover your account, so you will also get a recovery key to keep safe.</p>
      <SignUpForm registration={await registrationMode()} />
    </main>
  );
}
