import 'client-only';

import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';
import type { UnlockedOrg } from './account';
import type { Keyring } from './keyring';
import { fetchInvoiceList, openInvoiceList } from './open-invoice';

/** An invoice this organization already sent to the customer under the same number. */
export interface EarlierInvoice {
  invoiceId: string;
  number: string;
  issueDate: string;
  payable: string;
  currency: string;
  sentAt: string;
}

/** Invoice numbers compare without surrounding space and case: "inv-7 " repeats "INV-7". */
export function sameInvoiceNumber(a: string, b: string): boolean {
  return a.trim().toLocaleUpperCase('en') === b.trim().toLocaleUpperCase('en');
}

/**
 * The verified invoices (or credit notes, by `type`) this org already sent to `customerOrgId` under
 * `number`. The server sees no numbers, so the browser opens the org's sent invoices to that one
 * customer and compares. A server that withholds one only loses the warning; one it makes up fails
 * verification and is not counted.
 */
export async function findEarlierInvoices(keyring: Keyring, org: UnlockedOrg, customerOrgId: string, number: string, type: InvoiceHeader['type']): Promise<EarlierInvoice[]> {
  const { list } = await fetchInvoiceList(`/api/invoices?box=sent&orgId=${org.orgId}&counterpartyOrgId=${customerOrgId}`);
  if (list.invoices.length === 0) return [];
  const opened = await openInvoiceList(list, org, keyring);
  return opened
    .filter((o) => o.header && o.problems.length === 0 && o.invoice.customerOrgId === customerOrgId && o.header.type === type && sameInvoiceNumber(o.header.number, number))
    .map((o) => ({ invoiceId: o.invoice.id, number: o.header!.number, issueDate: o.header!.issueDate, payable: o.header!.amounts.payable, currency: o.header!.currency, sentAt: o.invoice.createdAt }));
}
