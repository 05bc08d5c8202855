import type { Metadata } from 'next';
import { RecoverForm } from './recover-form';

export const metadata: Metadata = { title: 'Recover your account' };

export default function RecoverPage() {
  return (
    <main className="narrow">
      <h1>Recover your account</h1>
      <p className="muted">Lost every passkey? Your recovery key proves the account is yours and opens your keys in this browser. You then create a new passkey. There is no reset by email: without the recovery key, nobody can open your account or your invoices.</p>
      <RecoverForm />
    </main>
  );
}
