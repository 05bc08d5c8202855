import type { Metadata } from 'next';
import { requirePortalSession } from '@/lib/server/pages';
import { SentList } from './sent-list';

export const metadata: Metadata = { title: 'Sent' };

export default async function SentPage() {
  await requirePortalSession();
  return (
    <main id="main">
      <h1>Sent</h1>
      <SentList />
    </main>
  );
}
