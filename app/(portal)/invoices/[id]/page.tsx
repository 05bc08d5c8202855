import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requirePortalSession } from '@/lib/server/pages';
import { uuidSchema } from '@/lib/shared/schemas/common';
import { InvoiceView } from './invoice-view';

export const metadata: Metadata = { title: 'Invoice' };

export default async function InvoicePage({ params }: { params: Promise<{ id: string }> }) {
  await requirePortalSession();
  const { id } = await params;
  if (!uuidSchema.safeParse(id).success) notFound();
  return (
    <main id="main">
      <InvoiceView id={id} />
    </main>
  );
}
