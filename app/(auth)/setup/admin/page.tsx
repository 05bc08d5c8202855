import type { Metadata } from 'next';
import { AdminSetupForm } from './admin-setup-form';

export const metadata: Metadata = { title: 'Become a platform administrator' };

export default function AdminSetupPage() {
  return (
    <main className="narrow">
      <h1>Set up an administrator</h1>
      <p className="muted">Platform administrators run this instance: accounts, organizations and the audit log. They belong to no organization, hold no encryption keys, and can read no invoice. This page works only from a one-time link: the one the server printed at start-up (for the first administrator), or an invitation an administrator created in Settings.</p>
      <AdminSetupForm />
    </main>
  );
}
