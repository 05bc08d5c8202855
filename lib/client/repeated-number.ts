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

/** What identifies an invoice already sent to one customer: its type and its number as compared above. */
export function sentInvoiceKey(type: InvoiceHeader['type'], number: string): string {
  return `${type}|${number.trim().toLocaleUpperCase('en')}`;
}

/**
 * Every verified invoice and credit note this org sent to `customerOrgId`, by `sentInvoiceKey`,
 * with its id: bulk sending skips what is already there, so a queue interrupted by a reload can be
 * dropped again and continues where it stopped.
 */
export async function sentInvoices(keyring: Keyring, org: UnlockedOrg, customerOrgId: string): Promise<Map<string, string>> {
  const { list } = await fetchInvoiceList(`/api/invoices?box=sent&orgId=${org.orgId}&counterpartyOrgId=${customerOrgId}`);
  const out = new Map<string, string>();
  if (list.invoices.length === 0) return out;
  for (const o of await openInvoiceList(list, org, keyring)) {
    if (o.header && o.problems.length === 0 && o.invoice.customerOrgId === customerOrgId) out.set(sentInvoiceKey(o.header.type, o.header.number), o.invoice.id);
  }
  return out;
}
