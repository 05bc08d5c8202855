'use client';

import type { ReactNode } from 'react';
import { useInvoiceActivity } from '@/lib/client/invoice-activity';
import { useActiveOrg } from '@/lib/client/keys-context';
import { SiteNav, type NavItem } from './site-nav';

/**
 * The portal's top bar, with the number of received invoices nobody in the organization has opened
 * yet beside Inbox (DESIGN §12). The org is the one unlocked and chosen, else the session's.
 */
export function PortalNav({ items, sessionOrgId, status, children }: { items: readonly NavItem[]; sessionOrgId: string | null; status: ReactNode; children: ReactNode }) {
  const orgId = useActiveOrg()?.orgId ?? sessionOrgId ?? undefined;
  const activity = useInvoiceActivity(orgId);
  const counts = activity ? { '/inbox': activity.inbox.unopened } : undefined;
  return (
    <SiteNav label="shell.nav_label" brand="zkinvoice" brandHref="/home" items={items} status={status} counts={counts}>
      {children}
    </SiteNav>
  );
}
