import { dec, equals, isDecimal } from './decimal';
import type { EInvoice } from './model';
import { firstCreditTransfer } from './summary';

import { EINVOICE_CHECKED_FIELDS } from '../shared/schemas/invoice';

/** The header fields that must agree with every attached e-invoice (issue #12, DESIGN §13). */
export const CHECKED_FIELDS = EINVOICE_CHECKED_FIELDS;
export type CheckedField = (typeof CHECKED_FIELDS)[number];

/** What the signed header says, in the header's own terms. */
export interface HeaderFacts {
  number: string;
  dueDate: string;
  currency: string;
  payable: string;
  iban: string;
  sellerVatId: string;
}

export interface Difference {
  field: CheckedField;
  header: string;
  einvoice: string;
  /** the attached file the e-invoice came from */
  document: string;
}

const compact = (value: string) => value.replace(/\s+/g, '').toUpperCase();

function same(field: CheckedField, a: string, b: string): boolean {
  if (field === 'payable') return isDecimal(a) && isDecimal(b) ? equals(dec(a), dec(b)) : a.trim() === b.trim();
  if (field === 'iban' || field === 'sellerVatId' || field === 'currency') return compact(a) === compact(b);
  return a.trim() === b.trim();
}

/**
 * The differences between the header and one e-invoice. A term the e-invoice leaves out is not a
 * difference (many Factur-X invoices state payment terms instead of a due date, or no IBAN); a
 * term both state differently is, whatever the reason.
 */
export function crossCheck(header: HeaderFacts, inv: EInvoice, document: string): Difference[] {
  const stated: Record<CheckedField, string | null> = {
    payable: inv['BG-22']['BT-115'],
    iban: firstCreditTransfer(inv)?.['BT-84'] ?? null,
    number: inv['BT-1'],
    dueDate: inv['BT-9'],
    currency: inv['BT-5'],
    sellerVatId: inv['BG-4'].vatId,
  };
  const out: Difference[] = [];
  for (const field of CHECKED_FIELDS) {
    const theirs = stated[field];
    const ours = header[field];
    if (theirs === null || theirs === '' || ours.trim() === '') continue;
    if (!same(field, ours, theirs)) out.push({ field, header: ours.trim().slice(0, 140), einvoice: theirs.slice(0, 140), document: document.slice(0, 255) });
  }
  return out;
}
