import type { EInvoice } from './model';

/**
 * How an e-invoice names its buyer, as keys that compare across files and syntaxes: the VAT id
 * (BT-48) without spaces, dots or dashes, and the electronic address (BT-49) with its scheme,
 * case-insensitively (Peppol participant ids and e-mail addresses both are). A buyer without
 * either has no key: its name alone is too loose to send invoices on.
 */
export function buyerIdentifiers(inv: EInvoice): string[] {
  const buyer = inv['BG-7'];
  const ids: string[] = [];
  const vat = buyer.vatId?.replace(/[\s.\-]+/g, '').toUpperCase();
  if (vat) ids.push(`vat:${vat}`);
  const endpoint = buyer.endpoint?.id.replace(/\s+/g, '').toLowerCase();
  if (endpoint) ids.push(`endpoint:${(buyer.endpoint?.scheme ?? '').trim().toUpperCase()}:${endpoint}`);
  return ids;
}

/** A buyer identifier as a person reads it: "VAT id DE123456789", "electronic address 0204:…". */
export function describeBuyerIdentifier(id: string): { kind: 'vat' | 'endpoint'; value: string } {
  if (id.startsWith('vat:')) return { kind: 'vat', value: id.slice(4) };
  const [, scheme = '', ...rest] = id.split(':');
  const value = rest.join(':');
  return { kind: 'endpoint', value: scheme ? `${scheme}:${value}` : value };
}

/** The identifiers a sent header's buyer VAT id (BT-48 as typed in the form) and its e-invoices give the customer. */
export function sentBuyerIdentifiers(buyerVatId: string, invoices: readonly EInvoice[]): string[] {
  const vat = buyerVatId.replace(/[\s.\-]+/g, '').toUpperCase();
  return [...new Set([...(vat ? [`vat:${vat}`] : []), ...invoices.flatMap(buyerIdentifiers)])];
}
