import type { Metadata } from 'next';
import { requirePortalSession } from '@/lib/server/pages';
import { uuidSchema } from '@/lib/shared/schemas/common';
import { NewInvoice } from './new-invoice';

export const metadata: Metadata = { title: 'New invoice' };

export default async function NewInvoicePage({ searchParams }: { searchParams: Promise<{ creditFor?: string | string[] }> }) {
  await requirePortalSession();
  const { creditFor } = await searchParams;
  const credited = uuidSchema.safeParse(creditFor);
  return (
    <main id="main">
      <h1>{credited.success ? 'New credit note' : 'New invoice'}</h1>
      <p className="muted">Everything you enter and attach is encrypted in this browser before it is sent. Only your organization and the recipient can open it.</p>
      <NewInvoice creditFor={credited.success ? credited.data : undefined} />
    </main>
  );
}
