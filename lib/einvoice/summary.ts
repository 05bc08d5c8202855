import { dec, format, isDecimal, sum } from './decimal';
import { emptyInvoice, emptyLine, emptyParty, emptyTotals, type EInvoice, type Finding } from './model';
import { isValidIban } from '../shared/iban';

/** The flat shape the CLI prints and ERP integrations consume (issue #12). */
export interface InvoiceSummary {
  syntax: 'UBL' | 'CII';
  profile: string | null;
  typeCode: string | null;
  number: string | null;
  issueDate: string | null;
  dueDate: string | null;
  currency: string | null;
  buyerReference: string | null;
  seller: { name: string | null; vatId: string | null };
  buyer: { name: string | null; vatId: string | null };
  payment: { iban: string | null; bic: string | null; reference: string | null; payeeName: string | null };
  totals: { net: string | null; tax: string | null; gross: string | null; prepaid: string | null; payable: string | null };
  lines: { id: string | null; description: string | null; quantity: string | null; unitCode: string | null; unitPrice: string | null; netAmount: string | null; vatCategory: string | null; vatRate: string | null }[];
  vatBreakdown: { category: string | null; rate: string | null; taxableAmount: string | null; taxAmount: string | null }[];
}

export function firstCreditTransfer(inv: EInvoice) {
  for (const means of inv['BG-16']) {
    const account = means['BG-17'][0];
    if (account) return account;
  }
  return null;
}

export function paymentReference(inv: EInvoice): string | null {
  return inv['BG-16'].map((m) => m['BT-83']).find((r) => r !== null) ?? null;
}

export function summarize(inv: EInvoice): InvoiceSummary {
  const account = firstCreditTransfer(inv);
  const totals = inv['BG-22'];
  return {
    syntax: inv.syntax,
    profile: inv['BT-24'],
    typeCode: inv['BT-3'],
    number: inv['BT-1'],
    issueDate: inv['BT-2'],
    dueDate: inv['BT-9'],
    currency: inv['BT-5'],
    buyerReference: inv['BT-10'],
    seller: { name: inv['BG-4'].name, vatId: inv['BG-4'].vatId },
    buyer: { name: inv['BG-7'].name, vatId: inv['BG-7'].vatId },
    payment: { iban: account?.['BT-84'] ?? null, bic: account?.['BT-86'] ?? null, reference: paymentReference(inv), payeeName: inv['BG-10']?.['BT-59'] ?? null },
    totals: { net: totals['BT-109'], tax: totals['BT-110'], gross: totals['BT-112'], prepaid: totals['BT-113'], payable: totals['BT-115'] },
    lines: inv['BG-25'].map((l) => ({
      id: l['BT-126'],
      description: l['BT-153'],
      quantity: l['BT-129'],
      unitCode: l['BT-130'],
      unitPrice: l['BT-146'],
      netAmount: l['BT-131'],
      vatCategory: l['BT-151'],
      vatRate: l['BT-152'],
    })),
    vatBreakdown: inv['BG-23'].map((v) => ({ category: v['BT-118'], rate: v['BT-119'], taxableAmount: v['BT-116'], taxAmount: v['BT-117'] })),
  };
}

export function findingsJson(findings: readonly Finding[]): { rule: string; severity: string; message: string; element: string | null }[] {
  return findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, element: f.element }));
}

/**
 * The model for exactly what a summary says, so `generate` writes the same values back. Terms
 * the summary does not carry stay absent, except BT-106 (sum of the line net amounts, mandatory
 * and fully determined by the lines) and the payment means code (58 SEPA credit transfer for a
 * valid IBAN, 30 credit transfer for any other account, 1 when there is only a reference).
 */
export function fromSummary(s: InvoiceSummary): EInvoice {
  const inv = emptyInvoice(s.syntax);
  inv['BT-24'] = s.profile;
  inv['BT-3'] = s.typeCode;
  inv['BT-1'] = s.number;
  inv['BT-2'] = s.issueDate;
  inv['BT-9'] = s.dueDate;
  inv['BT-5'] = s.currency;
  inv['BT-10'] = s.buyerReference;
  inv['BG-4'] = { ...emptyParty(), name: s.seller.name, vatId: s.seller.vatId };
  inv['BG-7'] = { ...emptyParty(), name: s.buyer.name, vatId: s.buyer.vatId };
  const { iban, bic, reference, payeeName } = s.payment;
  if (iban || bic || reference) {
    inv['BG-16'] = [{
      'BT-81': iban ? (isValidIban(iban) ? '58' : '30') : '1',
      'BT-82': null,
      'BT-83': reference,
      'BG-17': iban || bic ? [{ 'BT-84': iban, 'BT-85': null, 'BT-86': bic }] : [],
      'BG-18': null,
      'BG-19': null,
    }];
  }
  if (payeeName) inv['BG-10'] = { 'BT-59': payeeName, 'BT-60': null, 'BT-61': null };
  const lineNets = s.lines.map((l) => l.netAmount).filter((v): v is string => v !== null && isDecimal(v));
  inv['BG-22'] = {
    ...emptyTotals(),
    'BT-106': lineNets.length > 0 ? format(sum(lineNets.map(dec)), 2) : null,
    'BT-109': s.totals.net,
    'BT-110': s.totals.tax,
    'BT-112': s.totals.gross,
    'BT-113': s.totals.prepaid,
    'BT-115': s.totals.payable,
  };
  inv['BG-25'] = s.lines.map((l) => ({
    ...emptyLine(),
    'BT-126': l.id,
    'BT-153': l.description,
    'BT-129': l.quantity,
    'BT-130': l.unitCode,
    'BT-146': l.unitPrice,
    'BT-131': l.netAmount,
    'BT-151': l.vatCategory,
    'BT-152': l.vatRate,
  }));
  inv['BG-23'] = s.vatBreakdown.map((v) => ({ 'BT-116': v.taxableAmount, 'BT-117': v.taxAmount, 'BT-118': v.category, 'BT-119': v.rate, 'BT-120': null, 'BT-121': null }));
  return inv;
}
