import { orgFingerprint, type UnlockedOrg } from '@/lib/client/account';
import { fetchHistory, verifyHistory } from '@/lib/client/invoice-events';
import type { Keyring } from '@/lib/client/keyring';
import { fetchInvoiceList, openInvoice, PROBLEM_TEXT } from '@/lib/client/open-invoice';
import { applyRotations, counterpartyPin, followRotations, pinFirstContacts } from '@/lib/client/trust';
import type { CreditedInvoice } from '@/lib/client/send-invoice';
import { fromBase64Url } from '@/lib/crypto/encoding';
import { mayCredit } from '@/lib/shared/lifecycle';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';
import type { Recipient } from './recipient-picker';

export interface CreditSource {
  credit: CreditedInvoice;
  original: InvoiceHeader;
  recipient: Recipient;
}

/**
 * Opens and verifies the invoice a credit note is for, in this browser: it must be this org's own
 * signed invoice, its history must verify and allow crediting, and the customer's keys must match
 * the pin (a changed key blocks, as for any invoice sent).
 */
export async function loadCreditSource(
  org: UnlockedOrg,
  invoiceId: string,
  keyring: Keyring,
  updateKeyring: (change: (keyring: Keyring) => void) => Promise<Keyring>,
): Promise<CreditSource> {
  const { list: data, malformed } = await fetchInvoiceList(`/api/invoices/${invoiceId}`);
  if (malformed.length) throw new Error('The server sent the invoice to credit in a malformed form.');
  const invoice = data.invoices[0];
  if (!invoice || invoice.supplierOrgId !== org.orgId) throw new Error('Only the organization that sent an invoice can credit it.');
  const opened = await openInvoice(invoice, data, org, keyring, true);
  if (!opened.header || !opened.dek || opened.problems.length) throw new Error(`The invoice to credit failed its checks: ${opened.problems.map((p) => PROBLEM_TEXT[p]).join(' ')}`);
  if (opened.header.type !== 'invoice') throw new Error('A credit note cannot itself be credited.');
  const history = await verifyHistory(await fetchHistory(invoiceId), { invoiceId, supplierOrgId: invoice.supplierOrgId, customerOrgId: invoice.customerOrgId, dek: opened.dek, header: opened.header }, org, keyring);
  if (!mayCredit(history.status)) throw new Error(`An invoice that is ${history.status.replace('_', ' ')} cannot be credited.`);
  const customer = opened.customer;
  if (!customer) throw new Error('The customer organization of this invoice is unknown.');
  const fingerprint = await orgFingerprint(customer.orgId, fromBase64Url(customer.signingPublicKey), fromBase64Url(customer.encryptionPublicKey));
  const rotated = await followRotations(keyring, [customer]);
  if (rotated.length) keyring = await updateKeyring(applyRotations(rotated));
  const pin = counterpartyPin(keyring, customer, false);
  if (pin === 'changed') throw new Error(`The keys of ${customer.name} have changed. Look the customer up under New invoice and verify the new safety number first.`);
  if (pin === 'new') await updateKeyring(pinFirstContacts([{ org: customer, fingerprint }]));
  return { credit: { invoiceId, dek: opened.dek, prevEventId: history.lastEventId }, original: opened.header, recipient: { org: customer, fingerprint } };
}
