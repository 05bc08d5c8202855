'use client';

import { InvoiceList } from '@/components/invoice-list';
import { RequireUnlocked } from '@/components/require-unlocked';

export function InboxList() {
  return <RequireUnlocked>{(account, org) => <InvoiceList account={account} org={org} box="inbox" />}</RequireUnlocked>;
}
