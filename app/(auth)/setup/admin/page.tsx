import type { Metadata } from 'next';
import { AdminSetupForm } from './admin-setup-form';

export const metadata: Metadata = { title: 'Set up the first administrator' };

export default function AdminSetupPage() {
  return (
    <main className="narrow">
      <h1>Set up the first administrator</h1>
      <p className="muted">Platform administrators run this instance: accounts, organizations and the audit log. They belong to no organization, hold no encryption keys, and can read no invoice.</p>
      <AdminSetupForm />
    </main>
  );
}
