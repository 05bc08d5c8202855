import type { Metadata } from 'next';
import { VerifyEmail } from './verify-email';

export const metadata: Metadata = { title: 'Confirm your e-mail address' };

export default function VerifyEmailPage() {
  return (
    <main className="narrow">
      <h1>Confirm your e-mail address</h1>
      <VerifyEmail />
    </main>
  );
}
