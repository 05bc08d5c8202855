import { add, dec, format, isDecimal, mul, percent, round, sum, ZERO, type Dec } from './decimal';
import { XRECHNUNG_3_0, PEPPOL_BILLING_PROCESS } from './generate';
import { emptyInvoice, emptyLine, emptyParty, emptyTotals, type EInvoice } from './model';
import { isValidIban, normalizeIban } from '../shared/iban';
import type { MessageRef } from '@/lib/shared/i18n';

/** What the New-invoice form collects to produce an XRechnung; amounts are decimal strings. */
export interface FormParty {
  name: string;
  vatId: string;
  street: string;
  city: string;
  postcode: string;
  country: string;
  /** electronic address (BT-34/BT-49), e-mail scheme EM */
  email: string;
}

export interface FormLine {
  description: string;
  quantity: string;
  /** UN/ECE rec. 20 unit code */
  unit: string;
  unitPrice: string;
  vatCategory: string;
  /** percent; ignored for category O */
  vatRate: string;
}

export interface InvoiceForm {
  typeCode: '380' | '381';
  number: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  buyerReference: string;
  paymentTerms: string;
  note: string;
  seller: FormParty & { contactName: string; phone: string };
  buyer: FormParty;
  /** payee if not the seller (BG-10) */
  payeeName: string;
  iban: string;
  bic: string;
  reference: string;
  /** for a credit note: the invoice it credits (BG-3) */
  precedingNumber: string;
  lines: FormLine[];
}

export const VAT_CATEGORIES: readonly { code: string; label: string; exemption: string | null }[] = [
  { code: 'S', label: 'Standard rate', exemption: null },
  { code: 'Z', label: 'Zero rated', exemption: null },
  { code: 'E', label: 'Exempt', exemption: 'Exempt from VAT' },
  { code: 'AE', label: 'Reverse charge', exemption: 'Reverse charge' },
  { code: 'K', label: 'Intra-community supply', exemption: 'Intra-community supply' },
  { code: 'G', label: 'Export outside the EU', exemption: 'Export outside the EU' },
  { code: 'O', label: 'Not subject to VAT', exemption: 'Not subject to VAT' },
];

export interface ComputedLine {
  net: string;
}

export interface ComputedTotals {
  lines: ComputedLine[];
  breakdown: { category: string; rate: string | null; taxable: string; tax: string }[];
  net: string;
  tax: string;
  gross: string;
}

function parse(value: string): Dec | null {
  const text = value.trim().replace(',', '.');
  return text !== '' && isDecimal(text) ? dec(text) : null;
}

/** The first problem with a line, for the form to show next to it, or null. */
export function lineProblem(line: FormLine): MessageRef | null {
  if (!line.description.trim()) return { key: 'lines.problem.description' };
  const quantity = parse(line.quantity);
  if (!quantity) return { key: 'lines.problem.quantity' };
  const price = parse(line.unitPrice);
  if (!price) return { key: 'lines.problem.price' };
  if (price.units < 0n) return { key: 'lines.problem.negative_price' };
  if (price.scale > 4 || quantity.scale > 4) return { key: 'lines.problem.decimals' };
  if (line.vatCategory !== 'O') {
    const rate = parse(line.vatRate);
    if (!rate || rate.units < 0n) return { key: 'lines.problem.rate' };
    if (line.vatCategory === 'S' && rate.units === 0n) return { key: 'lines.problem.standard_zero' };
    if (line.vatCategory !== 'S' && rate.units !== 0n) return { key: 'lines.problem.category_zero', params: { category: line.vatCategory } };
  }
  return null;
}

/**
 * Line net = quantity × unit price rounded to the cent; VAT per (category, rate) group on the
 * group's taxable sum, rounded once (EN 16931's BR-CO-17 way), so totals are exact and
 * reproducible by the recipient.
 */
export function computeTotals(lines: readonly FormLine[]): ComputedTotals {
  const nets = lines.map((l) => round(mul(parse(l.quantity) ?? ZERO, parse(l.unitPrice) ?? ZERO), 2));
  const groups = new Map<string, { category: string; rate: Dec | null; taxable: Dec }>();
  lines.forEach((line, index) => {
    const rate = line.vatCategory === 'O' ? null : parse(line.vatRate) ?? ZERO;
    const key = `${line.vatCategory}|${rate ? format(rate) : ''}`;
    const group = groups.get(key) ?? { category: line.vatCategory, rate, taxable: ZERO };
    group.taxable = add(group.taxable, nets[index] ?? ZERO);
    groups.set(key, group);
  });
  const breakdown = [...groups.values()].map((g) => ({
    category: g.category,
    rate: g.rate ? format(g.rate, 2) : null,
    taxable: format(g.taxable, 2),
    tax: format(g.rate ? round(mul(g.taxable, percent(g.rate)), 2) : ZERO, 2),
  }));
  const net = sum(nets);
  const tax = sum(breakdown.map((b) => dec(b.tax)));
  return { lines: nets.map((n) => ({ net: format(n, 2) })), breakdown, net: format(net, 2), tax: format(tax, 2), gross: format(add(net, tax), 2) };
}

function orNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** Builds the EN 16931 model (XRechnung 3.0 profile) from the form. */
export function invoiceFromForm(form: InvoiceForm): EInvoice {
  const inv = emptyInvoice('CII');
  const totals = computeTotals(form.lines);
  inv['BT-24'] = XRECHNUNG_3_0;
  inv['BT-23'] = PEPPOL_BILLING_PROCESS;
  inv['BT-1'] = orNull(form.number);
  inv['BT-2'] = orNull(form.issueDate);
  inv['BT-3'] = form.typeCode;
  inv['BT-5'] = orNull(form.currency)?.toUpperCase() ?? null;
  inv['BT-9'] = orNull(form.dueDate);
  inv['BT-10'] = orNull(form.buyerReference);
  inv['BT-20'] = orNull(form.paymentTerms);
  if (orNull(form.note)) inv['BG-1'] = [{ 'BT-21': null, 'BT-22': form.note.trim() }];
  if (orNull(form.precedingNumber)) inv['BG-3'] = [{ 'BT-25': form.precedingNumber.trim(), 'BT-26': null }];
  const party = (p: FormParty) => ({
    ...emptyParty(),
    name: orNull(p.name),
    vatId: orNull(p.vatId)?.replace(/\s+/g, '').toUpperCase() ?? null,
    endpoint: orNull(p.email) ? { id: p.email.trim(), scheme: 'EM' } : null,
    address: { line1: orNull(p.street), line2: null, line3: null, city: orNull(p.city), postcode: orNull(p.postcode), subdivision: null, country: orNull(p.country)?.toUpperCase() ?? null },
  });
  const contact = { name: orNull(form.seller.contactName), phone: orNull(form.seller.phone), email: orNull(form.seller.email) };
  inv['BG-4'] = { ...party(form.seller), contact: contact.name || contact.phone || contact.email ? contact : null };
  inv['BG-7'] = party(form.buyer);
  if (orNull(form.payeeName)) inv['BG-10'] = { 'BT-59': form.payeeName.trim(), 'BT-60': null, 'BT-61': null };
  const iban = orNull(form.iban) ? normalizeIban(form.iban) : null;
  inv['BG-16'] = [{
    'BT-81': iban && isValidIban(iban) ? '58' : '30',
    'BT-82': null,
    'BT-83': orNull(form.reference),
    'BG-17': iban ? [{ 'BT-84': iban, 'BT-85': null, 'BT-86': orNull(form.bic)?.toUpperCase() ?? null }] : [],
    'BG-18': null,
    'BG-19': null,
  }];
  inv['BG-25'] = form.lines.map((line, index) => ({
    ...emptyLine(),
    'BT-126': String(index + 1),
    'BT-153': orNull(line.description),
    'BT-129': format(parse(line.quantity) ?? ZERO),
    'BT-130': orNull(line.unit) ?? 'C62',
    'BT-146': format(parse(line.unitPrice) ?? ZERO, 2),
    'BT-131': totals.lines[index]?.net ?? '0.00',
    'BT-151': line.vatCategory,
    'BT-152': line.vatCategory === 'O' ? null : format(parse(line.vatRate) ?? ZERO, 2),
  }));
  inv['BG-23'] = totals.breakdown.map((b) => ({
    'BT-116': b.taxable,
    'BT-117': b.tax,
    'BT-118': b.category,
    'BT-119': b.rate,
    'BT-120': VAT_CATEGORIES.find((c) => c.code === b.category)?.exemption ?? null,
    'BT-121': null,
  }));
  inv['BG-22'] = { ...emptyTotals(), 'BT-106': totals.net, 'BT-109': totals.net, 'BT-110': totals.tax, 'BT-112': totals.gross, 'BT-115': totals.gross };
  return inv;
}
