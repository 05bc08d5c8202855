import { invoiceHeaderSchema, type InvoiceHeader } from '../shared/schemas/invoice';
import type { EInvoice } from './model';
import { firstCreditTransfer, paymentReference } from './summary';

/** Form field name → value, for every header field an e-invoice states. */
export function formValuesFromEInvoice(inv: EInvoice): Record<string, string> {
  const account = firstCreditTransfer(inv);
  const notes = [...inv['BG-1'].map((n) => n['BT-22']), inv['BT-20'] ? `Payment terms: ${inv['BT-20']}` : null].filter(Boolean).join('\n\n');
  const values: Record<string, string | null> = {
    number: inv['BT-1'],
    issueDate: inv['BT-2'],
    dueDate: inv['BT-9'],
    currency: inv['BT-5'],
    net: inv['BG-22']['BT-109'],
    tax: inv['BG-22']['BT-110'],
    gross: inv['BG-22']['BT-112'],
    payable: inv['BG-22']['BT-115'],
    sellerName: inv['BG-4'].name,
    sellerVatId: inv['BG-4'].vatId,
    buyerName: inv['BG-7'].name,
    buyerVatId: inv['BG-7'].vatId,
    payeeName: inv['BG-10']?.['BT-59'] ?? account?.['BT-85'] ?? inv['BG-4'].name,
    iban: account?.['BT-84'] ?? null,
    bic: account?.['BT-86'] ?? null,
    reference: paymentReference(inv),
    notes: notes ? notes.slice(0, 2000) : null,
  };
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => e[1] !== null && e[1] !== ''));
}

/** Credit notes in UNCL1001 as EN 16931 uses them (BT-3); every other code is sent as an invoice. */
const CREDIT_NOTE_CODES = new Set(['381', '396', '532']);

/**
 * The header a bulk-sent e-invoice is signed with: exactly what the e-invoice says, as the
 * New-invoice form would be filled from it, so the cross-check finds nothing to confirm. An
 * e-invoice without a due date (payment terms only) gets the organization's usual terms from
 * `dueDateFor`. What the header schema refuses (no IBAN, say) comes back as its issues.
 */
export function headerFromEInvoice(inv: EInvoice, dueDateFor: (issueDate: string) => string): { ok: true; header: Omit<InvoiceHeader, 'documents'> } | { ok: false; issues: string[] } {
  const v = formValuesFromEInvoice(inv);
  const issueDate = v.issueDate ?? '';
  const parsed = invoiceHeaderSchema.safeParse({
    v: 1,
    type: CREDIT_NOTE_CODES.has(inv['BT-3'] ?? '') ? 'credit-note' : 'invoice',
    number: v.number ?? '',
    issueDate,
    dueDate: v.dueDate ?? (issueDate ? dueDateFor(issueDate) : ''),
    currency: (v.currency ?? '').toUpperCase(),
    amounts: { net: v.net ?? '', tax: v.tax ?? '', gross: v.gross ?? '', payable: v.payable ?? '' },
    seller: { name: v.sellerName ?? '', vatId: v.sellerVatId ?? '' },
    buyer: { name: v.buyerName ?? '', vatId: v.buyerVatId ?? '' },
    payment: { payeeName: (v.payeeName ?? '').replace(/\s+/g, ' ').trim().slice(0, 70), iban: v.iban ?? '', bic: v.bic ?? '', reference: v.reference ?? '', url: '' },
    notes: v.notes ?? '',
    documents: [],
  });
  if (!parsed.success) return { ok: false, issues: [...new Set(parsed.error.issues.map((i) => i.message))] };
  const { documents: _none, ...header } = parsed.data;
  return { ok: true, header };
}
