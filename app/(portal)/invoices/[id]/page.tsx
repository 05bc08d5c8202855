import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getT } from '@/lib/server/i18n';
import { requirePortalSession } from '@/lib/server/pages';
import { uuidSchema } from '@/lib/shared/schemas/common';
import { InvoiceView } from './invoice-view';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('view.invoice') };
}

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
