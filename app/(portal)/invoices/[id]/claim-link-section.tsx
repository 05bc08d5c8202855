'use client';

import { ClaimLinkPanel } from '@/components/claim-link-panel';
import type { UnlockedOrg } from '@/lib/client/account';
import { useProvisionalCustomers } from '@/lib/client/use-provisional-customers';

/**
 * On a sent invoice to a customer without an account: the link that opens it, to hand over now
 * (DESIGN §11). Nothing for a customer with an account, or once its link was claimed or revoked.
 */
export function ClaimLinkSection({ org, customerOrgId, invoice }: { org: UnlockedOrg; customerOrgId: string; invoice: { number: string; amount: string } }) {
  const { customers } = useProvisionalCustomers(org);
  const customer = customers?.find((c) => c.orgId === customerOrgId);
  if (!customer?.record || customer.state !== 'open') return null;
  return <ClaimLinkPanel customerName={customer.name} supplierName={org.name} link={customer.record.link} accessCode={customer.record.accessCode} expiresAt={customer.expiresAt} invoice={invoice} />;
}
