import { orgFingerprint, type UnlockedOrg } from '@/lib/client/account';
import { fetchHistory, verifyHistory } from '@/lib/client/invoice-events';
import type { Keyring } from '@/lib/client/keyring';
import { fetchInvoiceList, openInvoice } from '@/lib/client/open-invoice';
import { LocalizedError } from '@/lib/client/errors';
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
  if (malformed.length) throw new LocalizedError('credit.malformed');
  const invoice = data.invoices[0];
  if (!invoice || invoice.supplierOrgId !== org.orgId) throw new LocalizedError('credit.not_supplier');
  const opened = await openInvoice(invoice, data, org, keyring, true);
  if (!opened.header || !opened.dek || opened.problems.length) throw new LocalizedError('credit.failed_checks');
  if (opened.header.type !== 'invoice') throw new LocalizedError('credit.credit_note');
  const history = await verifyHistory(await fetchHistory(invoiceId), { invoiceId, supplierOrgId: invoice.supplierOrgId, customerOrgId: invoice.customerOrgId, dek: opened.dek, header: opened.header }, org, keyring);
  if (!mayCredit(history.status)) throw new LocalizedError('credit.not_creditable');
  const customer = opened.customer;
  if (!customer) throw new LocalizedError('credit.unknown_customer');
  const fingerprint = await orgFingerprint(customer.orgId, fromBase64Url(customer.signingPublicKey), fromBase64Url(customer.encryptionPublicKey));
  const rotated = await followRotations(keyring, [customer]);
  if (rotated.length) keyring = await updateKeyring(applyRotations(rotated));
  const pin = counterpartyPin(keyring, customer, false);
  if (pin === 'changed') throw new LocalizedError('credit.keys_changed', { customer: customer.name });
  if (pin === 'new') await updateKeyring(pinFirstContacts([{ org: customer, fingerprint }]));
  return { credit: { invoiceId, dek: opened.dek, prevEventId: history.lastEventId }, original: opened.header, recipient: { org: customer, fingerprint } };
}
