import type { Metadata } from 'next';
import { requirePortalSession } from '@/lib/server/pages';
import { NewInvoice } from './new-invoice';

export const metadata: Metadata = { title: 'New invoice' };

export default async function NewInvoicePage() {
  await requirePortalSession();
  return (
    <main>
      <h1>New invoice</h1>
      <p className="muted">Everything you enter and attach is encrypted in this browser before it is sent. Only your organization and the recipient can open it.</p>
      <NewInvoice />
    </main>
  );
}
