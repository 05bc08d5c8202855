import type { Metadata } from 'next';
import { requirePortalSession } from '@/lib/server/pages';
import { InboxList } from './inbox-list';

export const metadata: Metadata = { title: 'Inbox' };

export default async function InboxPage() {
  await requirePortalSession();
  return (
    <main id="main">
      <h1>Inbox</h1>
      <InboxList />
    </main>
  );
}
