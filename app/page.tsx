import Link from 'next/link';
import { redirect } from 'next/navigation';
import { homeFor } from '@/lib/server/pages';
import { currentSession } from '@/lib/server/sessions';

export default async function LandingPage() {
  const session = await currentSession();
  if (session) redirect(homeFor(session));
  return (
    <main>
      <h1>zkinvoice</h1>
      <p>Send and receive invoices between businesses, encrypted end to end. Your browser encrypts every invoice before it leaves your computer; this server stores only ciphertext and cannot read a single invoice, amount or bank account.</p>
      <div className="row">
        <Link className="button" href="/sign-up">Create an account</Link>
        <Link className="button secondary" href="/sign-in">Sign in</Link>
      </div>
      <section className="panel">
        <h2>How your keys work</h2>
        <p>You sign in with a <strong>passkey</strong> (your device’s fingerprint, face or PIN). The passkey also unlocks your encryption keys, in your browser only.</p>
        <p>At sign-up you get a <strong>recovery key</strong>. It is the only way back in if you lose every passkey: administrators cannot reset your account or read your invoices.</p>
      </section>
    </main>
  );
}
