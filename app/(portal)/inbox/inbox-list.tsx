'use client';

import { InvoiceList } from '@/components/invoice-list';
import { RequireUnlocked } from '@/components/require-unlocked';

export function InboxList() {
  return <RequireUnlocked>{(_account, org) => <InvoiceList org={org} box="inbox" />}</RequireUnlocked>;
}
