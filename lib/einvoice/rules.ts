import { abs, add, compare, dec, equals, isDecimal, mul, percent, round, sub, sum, ZERO, type Dec } from './decimal';
import type { AllowanceCharge, EInvoice, Finding, Line, Severity } from './model';
import { isValidIban } from '../shared/iban';
import { checkPeppol, isPeppolBis } from './peppol';

/**
 * EN 16931 business rules (BR-*, BR-CO-*, the VAT category families, BR-DEC-*), the German
 * CIUS rules (BR-DE-*) for XRechnung and the Peppol BIS 3.0 rules the model can check (peppol.ts),
 * in TypeScript. Each finding carries the official rule id.
 * Arithmetic follows the official Schematron: totals must match to the cent after rounding, and
 * VAT amounts (BR-CO-17, BR-x-08/09) within the ±1 currency unit tolerance the Schematron allows.
 */
export function validate(inv: EInvoice): Finding[] {
  const out: Finding[] = [];
  const report: Report = (rule, element, message, severity = 'fatal', params) => out.push({ rule, severity, message, element, ...(params ? { params } : {}) });
  checkFormats(inv, report);
  checkCore(inv, report);
  checkTotals(inv, report);
  checkVatCategories(inv, report);
  checkDecimals(inv, report);
  if (isXRechnung(inv)) checkXRechnung(inv, report);
  if (isPeppolBis(inv)) checkPeppol(inv, report);
  return out;
}

/** `params` are the values the message names, for its translation (rule-messages-de.ts). */
type Report = (rule: string, element: string | null, message: string, severity?: Severity, params?: Record<string, string>) => void;

export function isXRechnung(inv: EInvoice): boolean {
  return /xrechnung/i.test(inv['BT-24'] ?? '');
}

export function fatalFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'fatal');
}

function d(value: string | null): Dec | null {
  return value !== null && isDecimal(value) ? dec(value) : null;
}

function d0(value: string | null): Dec {
  return d(value) ?? ZERO;
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** What the XML schema would reject in the values we rely on: decimals, dates, codes. */
function checkFormats(inv: EInvoice, report: Report): void {
  const amount = (value: string | null, element: string) => {
    if (value !== null && !isDecimal(value)) report('SYNTAX-DECIMAL', element, `${element} "${value.slice(0, 40)}" is not a decimal number.`, 'fatal', { element, value: value.slice(0, 40) });
  };
  const date = (value: string | null, element: string) => {
    if (value !== null && !DATE.test(value)) report('SYNTAX-DATE', element, `${element} "${value.slice(0, 40)}" is not a calendar date (YYYY-MM-DD, in CII format 102 YYYYMMDD).`, 'fatal', { element, value: value.slice(0, 40) });
  };
  for (const key of ['BT-2', 'BT-7', 'BT-9'] as const) date(inv[key], key);
  for (const [key, value] of Object.entries(inv['BG-22'])) amount(value, key);
  for (const v of inv['BG-23']) {
    amount(v['BT-116'], 'BT-116');
    amount(v['BT-117'], 'BT-117');
    amount(v['BT-119'], 'BT-119');
  }
  for (const l of inv['BG-25']) {
    for (const key of ['BT-129', 'BT-131', 'BT-146', 'BT-147', 'BT-148', 'BT-149', 'BT-152'] as const) amount(l[key], `${key} (line ${l['BT-126'] ?? '?'})`);
  }
  for (const a of [...inv['BG-20'], ...inv['BG-21']]) amount(a.amount, a.charge ? 'BT-99' : 'BT-92');
  if (inv['BT-5'] !== null && !/^[A-Z]{3}$/.test(inv['BT-5'])) report('SYNTAX-CODE', 'BT-5', `Currency "${inv['BT-5']}" is not an ISO 4217 code.`, 'fatal', { value: inv['BT-5'] });
}

function checkCore(inv: EInvoice, report: Report): void {
  const seller = inv['BG-4'];
  const buyer = inv['BG-7'];
  if (!inv['BT-24']) report('BR-01', 'BT-24', 'An invoice shall have a specification identifier (BT-24).');
  if (!inv['BT-1']) report('BR-02', 'BT-1', 'An invoice shall have an invoice number (BT-1).');
  if (!inv['BT-2']) report('BR-03', 'BT-2', 'An invoice shall have an issue date (BT-2).');
  if (!inv['BT-3']) report('BR-04', 'BT-3', 'An invoice shall have an invoice type code (BT-3).');
  if (!inv['BT-5']) report('BR-05', 'BT-5', 'An invoice shall have a currency code (BT-5).');
  if (!seller.name) report('BR-06', 'BT-27', 'An invoice shall contain the seller name (BT-27).');
  if (!buyer.name) report('BR-07', 'BT-44', 'An invoice shall contain the buyer name (BT-44).');
  if (!seller.address) report('BR-08', 'BG-5', 'An invoice shall contain the seller postal address (BG-5).');
  else if (!seller.address.country) report('BR-09', 'BT-40', 'The seller postal address shall contain a country code (BT-40).');
  if (!buyer.address) report('BR-10', 'BG-8', 'An invoice shall contain the buyer postal address (BG-8).');
  else if (!buyer.address.country) report('BR-11', 'BT-55', 'The buyer postal address shall contain a country code (BT-55).');
  const totals = inv['BG-22'];
  if (totals['BT-106'] === null) report('BR-12', 'BT-106', 'An invoice shall have the sum of invoice line net amounts (BT-106).');
  if (totals['BT-109'] === null) report('BR-13', 'BT-109', 'An invoice shall have the invoice total amount without VAT (BT-109).');
  if (totals['BT-112'] === null) report('BR-14', 'BT-112', 'An invoice shall have the invoice total amount with VAT (BT-112).');
  if (totals['BT-115'] === null) report('BR-15', 'BT-115', 'An invoice shall have the amount due for payment (BT-115).');
  if (inv['BG-25'].length === 0) report('BR-16', 'BG-25', 'An invoice shall have at least one invoice line (BG-25).');
  if (inv['BG-10'] && !inv['BG-10']['BT-59']) report('BR-17', 'BT-59', 'The payee name (BT-59) shall be given when the payee is not the seller.');
  const rep = inv['BG-11'];
  if (rep) {
    if (!rep['BT-62']) report('BR-18', 'BT-62', 'The seller tax representative name (BT-62) shall be given.');
    if (!rep['BG-12']) report('BR-19', 'BG-12', 'The seller tax representative postal address (BG-12) shall be given.');
    else if (!rep['BG-12'].country) report('BR-20', 'BT-69', 'The tax representative postal address shall contain a country code (BT-69).');
    if (!rep['BT-63']) report('BR-56', 'BT-63', 'The seller tax representative VAT identifier (BT-63) shall be given.');
  }
  inv['BG-25'].forEach((line, index) => checkLine(line, index, report));
  const period = inv['BG-14'];
  if (period) {
    if (!period.start && !period.end) report('BR-CO-19', 'BG-14', 'An invoicing period (BG-14) needs a start date (BT-73), an end date (BT-74), or both.');
    if (period.start && period.end && period.end < period.start) report('BR-29', 'BT-74', 'The invoicing period end date (BT-74) shall be on or after its start date (BT-73).');
  }
  for (const a of inv['BG-20']) checkDocumentAdjustment(a, report);
  for (const a of inv['BG-21']) checkDocumentAdjustment(a, report);
  for (const v of inv['BG-23']) {
    if (v['BT-116'] === null) report('BR-45', 'BT-116', 'Each VAT breakdown shall have a VAT category taxable amount (BT-116).');
    if (v['BT-117'] === null) report('BR-46', 'BT-117', 'Each VAT breakdown shall have a VAT category tax amount (BT-117).');
    if (!v['BT-118']) report('BR-47', 'BT-118', 'Each VAT breakdown shall be defined through a VAT category code (BT-118).');
    if (v['BT-119'] === null && v['BT-118'] !== 'O') report('BR-48', 'BT-119', 'Each VAT breakdown shall have a VAT category rate (BT-119), except if the invoice is not subject to VAT.');
  }
  for (const means of inv['BG-16']) {
    if (!means['BT-81']) report('BR-49', 'BT-81', 'A payment instruction shall specify the payment means type code (BT-81).');
    for (const account of means['BG-17']) {
      if (!account['BT-84']) report('BR-50', 'BT-84', 'A payment account identifier (BT-84) shall be present if credit transfer (BG-17) information is provided.');
    }
    if (['30', '58'].includes(means['BT-81'] ?? '') && !means['BG-17'].some((a) => a['BT-84'])) {
      report('BR-61', 'BT-84', `Payment means ${means['BT-81']} is a credit transfer, so the payment account identifier (BT-84, the IBAN) shall be present.`, 'fatal', { code: means['BT-81'] ?? '' });
    }
    const card = means['BG-18'];
    if (card && !card['BT-87']) report('BR-51', 'BT-87', 'Card payments shall give the last 4 to 6 digits of the card number (BT-87).');
  }
  for (const ref of inv['BG-24']) {
    if (!ref['BT-122']) report('BR-52', 'BT-122', 'Each additional supporting document (BG-24) shall contain a reference (BT-122).');
  }
  if (inv['BT-6'] && inv['BT-6'] !== inv['BT-5'] && totals['BT-111'] === null) {
    report('BR-53', 'BT-111', 'When a VAT accounting currency (BT-6) is given, the VAT total in that currency (BT-111) shall be provided.');
  }
  for (const ref of inv['BG-3']) {
    if (!ref['BT-25']) report('BR-55', 'BT-25', 'Each preceding invoice reference (BG-3) shall contain the preceding invoice number (BT-25).');
  }
  const delivery = inv['BG-13'];
  if (delivery?.['BG-15'] && !delivery['BG-15'].country) report('BR-57', 'BT-80', 'Each deliver-to address (BG-15) shall contain a country code (BT-80).');
  if (seller.endpoint && !seller.endpoint.scheme) report('BR-62', 'BT-34', 'The seller electronic address (BT-34) shall have a scheme identifier.');
  if (buyer.endpoint && !buyer.endpoint.scheme) report('BR-63', 'BT-49', 'The buyer electronic address (BT-49) shall have a scheme identifier.');
  if (inv['BT-7'] && inv['BT-8']) report('BR-CO-03', 'BT-7', 'The value added tax point date (BT-7) and its code (BT-8) are mutually exclusive.');
  for (const [vat, element] of [[seller.vatId, 'BT-31'], [buyer.vatId, 'BT-48'], [rep?.['BT-63'] ?? null, 'BT-63']] as const) {
    if (vat && !/^[A-Z]{2}/.test(vat)) report('BR-CO-09', element, `The VAT identifier ${element} "${vat}" shall start with an ISO 3166-1 alpha-2 country prefix (Greece: EL).`, 'fatal', { element, value: vat });
  }
  if (inv['BG-23'].length === 0) report('BR-CO-18', 'BG-23', 'An invoice shall at least have one VAT breakdown group (BG-23).');
  const payable = d(totals['BT-115']);
  // As in the official Schematron since the 2019 hotfix, BR-CO-25 is not applied to credit notes.
  if (payable && payable.units > 0n && inv['BT-3'] !== '381' && !inv['BT-9'] && !inv['BT-20']) {
    report('BR-CO-25', 'BT-9', 'When the amount due (BT-115) is positive, either the payment due date (BT-9) or the payment terms (BT-20) shall be present.');
  }
  if (!seller.vatId && !seller.legalId && seller.ids.length === 0 && !seller.taxRegistrationId) {
    report('BR-CO-26', 'BT-29', 'The seller shall be identified by an identifier (BT-29), a legal registration identifier (BT-30) or a VAT identifier (BT-31).');
  }
}

function checkLine(line: Line, index: number, report: Report): void {
  const where = `line ${line['BT-126'] ?? index + 1}`;
  const at = { line: line['BT-126'] ?? String(index + 1) };
  if (!line['BT-126']) report('BR-21', 'BT-126', `Each invoice line shall have an identifier (BT-126) (line ${index + 1}).`, 'fatal', { line: String(index + 1) });
  if (line['BT-129'] === null) report('BR-22', 'BT-129', `Each invoice line shall have an invoiced quantity (BT-129) (${where}).`, 'fatal', at);
  if (!line['BT-130']) report('BR-23', 'BT-130', `An invoice line shall have a unit of measure code (BT-130) (${where}).`, 'fatal', at);
  if (line['BT-131'] === null) report('BR-24', 'BT-131', `Each invoice line shall have a net amount (BT-131) (${where}).`, 'fatal', at);
  if (!line['BT-153']) report('BR-25', 'BT-153', `Each invoice line shall contain the item name (BT-153) (${where}).`, 'fatal', at);
  if (line['BT-146'] === null) report('BR-26', 'BT-146', `Each invoice line shall contain the item net price (BT-146) (${where}).`, 'fatal', at);
  const net = d(line['BT-146']);
  if (net && net.units < 0n) report('BR-27', 'BT-146', `The item net price (BT-146) shall not be negative (${where}).`, 'fatal', at);
  const gross = d(line['BT-148']);
  if (gross && gross.units < 0n) report('BR-28', 'BT-148', `The item gross price (BT-148) shall not be negative (${where}).`, 'fatal', at);
  if (line['BG-26']?.start && line['BG-26'].end && line['BG-26'].end < line['BG-26'].start) report('BR-30', 'BT-135', `The line period end date shall be on or after its start date (${where}).`, 'fatal', at);
  if (line['BG-26'] && !line['BG-26'].start && !line['BG-26'].end) report('BR-CO-20', 'BG-26', `A line period needs a start or an end date (${where}).`, 'fatal', at);
  for (const a of line['BG-27']) {
    if (a.amount === null) report('BR-41', 'BT-136', `Each line allowance shall have an amount (BT-136) (${where}).`, 'fatal', at);
    if (!a.reason && !a.reasonCode) report('BR-42', 'BT-139', `Each line allowance shall have a reason (BT-139) or a reason code (BT-140) (${where}).`, 'fatal', at);
  }
  for (const c of line['BG-28']) {
    if (c.amount === null) report('BR-43', 'BT-141', `Each line charge shall have an amount (BT-141) (${where}).`, 'fatal', at);
    if (!c.reason && !c.reasonCode) report('BR-44', 'BT-144', `Each line charge shall have a reason (BT-144) or a reason code (BT-145) (${where}).`, 'fatal', at);
  }
  if (!line['BT-151']) report('BR-CO-04', 'BT-151', `Each invoice line shall be categorized with an invoiced item VAT category code (BT-151) (${where}).`, 'fatal', at);
  if (line['BT-157'] && !line['BT-157'].scheme) report('BR-64', 'BT-157', `The item standard identifier (BT-157) shall have a scheme identifier (${where}).`, 'fatal', at);
  if (line['BT-158'].some((c) => !c.scheme)) report('BR-65', 'BT-158', `The item classification identifier (BT-158) shall have a scheme identifier (${where}).`, 'fatal', at);
  for (const attribute of line['BG-32']) {
    if (!attribute.name || !attribute.value) report('BR-54', 'BG-32', `Each item attribute shall contain a name (BT-160) and a value (BT-161) (${where}).`, 'fatal', at);
  }
}

function checkDocumentAdjustment(a: AllowanceCharge, report: Report): void {
  const [amountRule, categoryRule, reasonRule, amountBt, categoryBt, reasonBt] = a.charge
    ? (['BR-36', 'BR-37', 'BR-38', 'BT-99', 'BT-102', 'BT-104'] as const)
    : (['BR-31', 'BR-32', 'BR-33', 'BT-92', 'BT-95', 'BT-97'] as const);
  const kind = a.charge ? 'document level charge' : 'document level allowance';
  if (a.amount === null) report(amountRule, amountBt, `Each ${kind} shall have an amount (${amountBt}).`);
  if (!a.vatCategory) report(categoryRule, categoryBt, `Each ${kind} shall have a VAT category code (${categoryBt}).`);
  if (!a.reason && !a.reasonCode) report(reasonRule, reasonBt, `Each ${kind} shall have a reason (${reasonBt}) or a reason code.`);
}

/** Rounds a sum the way the Schematron does before comparing it to a stated total. */
function cents(value: Dec): Dec {
  return round(value, 2);
}

function checkTotals(inv: EInvoice, report: Report): void {
  const t = inv['BG-22'];
  const lineSum = sum(inv['BG-25'].map((l) => d0(l['BT-131'])));
  const allowanceSum = sum(inv['BG-20'].map((a) => d0(a.amount)));
  const chargeSum = sum(inv['BG-21'].map((a) => d0(a.amount)));
  const stated = (key: keyof typeof t) => d(t[key]);
  const mismatch = (rule: string, element: string, label: string, expected: Dec, actual: Dec) => {
    if (!equals(cents(expected), actual)) report(rule, element, `${label}: stated ${t[element as keyof typeof t]}, but the calculation gives ${fmt(cents(expected))}.`, 'fatal', { stated: t[element as keyof typeof t] ?? '', expected: fmt(cents(expected)) });
  };
  const bt106 = stated('BT-106');
  if (bt106) mismatch('BR-CO-10', 'BT-106', 'Sum of line net amounts (BT-106) shall equal the sum of the line net amounts (BT-131)', lineSum, bt106);
  const bt107 = stated('BT-107');
  if (bt107) mismatch('BR-CO-11', 'BT-107', 'Sum of allowances (BT-107) shall equal the sum of the document level allowances (BT-92)', allowanceSum, bt107);
  else if (inv['BG-20'].length > 0) report('BR-CO-11', 'BT-107', 'Document level allowances are present, so their sum (BT-107) shall be stated.');
  const bt108 = stated('BT-108');
  if (bt108) mismatch('BR-CO-12', 'BT-108', 'Sum of charges (BT-108) shall equal the sum of the document level charges (BT-99)', chargeSum, bt108);
  else if (inv['BG-21'].length > 0) report('BR-CO-12', 'BT-108', 'Document level charges are present, so their sum (BT-108) shall be stated.');
  const bt109 = stated('BT-109');
  if (bt109 && bt106) mismatch('BR-CO-13', 'BT-109', 'Total without VAT (BT-109) shall equal BT-106 − BT-107 + BT-108', add(sub(bt106, bt107 ?? ZERO), bt108 ?? ZERO), bt109);
  const bt110 = stated('BT-110');
  if (bt110) mismatch('BR-CO-14', 'BT-110', 'VAT total (BT-110) shall equal the sum of the VAT category tax amounts (BT-117)', sum(inv['BG-23'].map((v) => d0(v['BT-117']))), bt110);
  const bt112 = stated('BT-112');
  if (bt112 && bt109) mismatch('BR-CO-15', 'BT-112', 'Total with VAT (BT-112) shall equal BT-109 + BT-110', add(bt109, bt110 ?? ZERO), bt112);
  const bt115 = stated('BT-115');
  if (bt115 && bt112) mismatch('BR-CO-16', 'BT-115', 'Amount due (BT-115) shall equal BT-112 − BT-113 + BT-114', add(sub(bt112, stated('BT-113') ?? ZERO), stated('BT-114') ?? ZERO), bt115);
  for (const v of inv['BG-23']) {
    const taxable = d(v['BT-116']);
    const tax = d(v['BT-117']);
    const rate = d(v['BT-119']);
    if (taxable && tax && rate && !withinOne(tax, mul(taxable, percent(rate)))) {
      report('BR-CO-17', 'BT-117', `VAT category tax amount (BT-117) ${v['BT-117']} shall equal the taxable amount ${v['BT-116']} × rate ${v['BT-119']} % (category ${v['BT-118'] ?? '?'}).`, 'fatal', { tax: v['BT-117'] ?? '', taxable: v['BT-116'] ?? '', rate: v['BT-119'] ?? '', code: v['BT-118'] ?? '?' });
    }
  }
}

function withinOne(stated: Dec, calculated: Dec): boolean {
  const difference = abs(sub(abs(stated), abs(cents(calculated))));
  return compare(difference, dec('1')) < 0 || (stated.units === 0n && calculated.units === 0n);
}

function fmt(value: Dec): string {
  const sign = value.units < 0n ? '-' : '';
  const digits = (value.units < 0n ? -value.units : value.units).toString().padStart(value.scale + 1, '0');
  return value.scale === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -value.scale)}.${digits.slice(-value.scale)}`;
}

interface CategoryRules {
  /** rule prefix, e.g. BR-S */
  prefix: string;
  name: string;
  /** the rate: positive, zero, or absent */
  rate: 'positive' | 'zero' | 'none';
  exemptionReason: 'forbidden' | 'required';
  /** seller (or tax representative) VAT id required when the category is used */
  sellerVat: boolean;
  /** buyer VAT id (or legal id) required */
  buyerVat: boolean;
}

const CATEGORIES: Record<string, CategoryRules> = {
  S: { prefix: 'BR-S', name: 'Standard rated', rate: 'positive', exemptionReason: 'forbidden', sellerVat: true, buyerVat: false },
  Z: { prefix: 'BR-Z', name: 'Zero rated', rate: 'zero', exemptionReason: 'forbidden', sellerVat: true, buyerVat: false },
  E: { prefix: 'BR-E', name: 'Exempt from VAT', rate: 'zero', exemptionReason: 'required', sellerVat: true, buyerVat: false },
  AE: { prefix: 'BR-AE', name: 'Reverse charge', rate: 'zero', exemptionReason: 'required', sellerVat: true, buyerVat: true },
  K: { prefix: 'BR-IC', name: 'Intra-community supply', rate: 'zero', exemptionReason: 'required', sellerVat: true, buyerVat: true },
  G: { prefix: 'BR-G', name: 'Export outside the EU', rate: 'zero', exemptionReason: 'required', sellerVat: true, buyerVat: false },
  O: { prefix: 'BR-O', name: 'Not subject to VAT', rate: 'none', exemptionReason: 'required', sellerVat: false, buyerVat: false },
  L: { prefix: 'BR-IG', name: 'IGIC (Canary Islands)', rate: 'positive', exemptionReason: 'forbidden', sellerVat: true, buyerVat: false },
  M: { prefix: 'BR-IP', name: 'IPSI (Ceuta and Melilla)', rate: 'positive', exemptionReason: 'forbidden', sellerVat: true, buyerVat: false },
};

/** The per-category rule families (BR-S-01…10, BR-Z-*, BR-E-*, BR-AE-*, BR-IC-*, BR-G-*, BR-O-*, BR-IG-*, BR-IP-*). */
function checkVatCategories(inv: EInvoice, report: Report): void {
  const seller = inv['BG-4'];
  const buyer = inv['BG-7'];
  const sellerHasVat = Boolean(seller.vatId || seller.taxRegistrationId || inv['BG-11']?.['BT-63']);
  for (const [code, rules] of Object.entries(CATEGORIES)) {
    const lines = inv['BG-25'].filter((l) => l['BT-151'] === code);
    const allowances = inv['BG-20'].filter((a) => a.vatCategory === code);
    const charges = inv['BG-21'].filter((a) => a.vatCategory === code);
    const breakdowns = inv['BG-23'].filter((v) => v['BT-118'] === code);
    const used = lines.length + allowances.length + charges.length > 0;
    const p = rules.prefix;
    if (used && breakdowns.length === 0) report(`${p}-01`, 'BG-23', `Lines, allowances or charges use VAT category ${code} (${rules.name}), so the VAT breakdown (BG-23) shall contain category ${code}.`, 'fatal', { code });
    if (used && rules.sellerVat && !sellerHasVat) report(`${p}-02`, 'BT-31', `VAT category ${code} (${rules.name}) requires the seller VAT identifier (BT-31), tax registration identifier (BT-32) or tax representative VAT identifier (BT-63).`, 'fatal', { code });
    if (used && rules.buyerVat && !buyer.vatId && !buyer.legalId) report(`${p}-02`, 'BT-48', `VAT category ${code} (${rules.name}) requires the buyer VAT identifier (BT-48) or legal registration identifier (BT-47).`, 'fatal', { code });
    const rateOk = (rate: string | null): boolean => {
      const value = d(rate);
      if (rules.rate === 'none') return rate === null;
      if (!value) return false;
      return rules.rate === 'zero' ? value.units === 0n : value.units > 0n;
    };
    const rateText = rules.rate === 'none' ? 'shall not have a VAT rate' : rules.rate === 'zero' ? 'shall have a VAT rate of 0' : 'shall have a VAT rate greater than zero';
    for (const line of lines) if (!rateOk(line['BT-152'])) report(`${p}-05`, 'BT-152', `Line ${line['BT-126'] ?? '?'} in category ${code} ${rateText} (BT-152 is ${line['BT-152'] ?? 'absent'}).`, 'fatal', { code, line: line['BT-126'] ?? '?', value: line['BT-152'] ?? '', rate: rules.rate });
    for (const a of allowances) if (!rateOk(a.vatRate)) report(`${p}-06`, 'BT-96', `A document allowance in category ${code} ${rateText}.`, 'fatal', { code, rate: rules.rate });
    for (const c of charges) if (!rateOk(c.vatRate)) report(`${p}-07`, 'BT-103', `A document charge in category ${code} ${rateText}.`, 'fatal', { code, rate: rules.rate });
    for (const v of breakdowns) {
      const rateKey = rules.rate === 'positive' ? v['BT-119'] : null;
      const matching = (rate: string | null) => rules.rate !== 'positive' || (d(rate) !== null && d(rateKey) !== null && equals(d0(rate), d0(rateKey)));
      const expected = sub(
        add(sum(lines.filter((l) => matching(l['BT-152'])).map((l) => d0(l['BT-131']))), sum(charges.filter((c) => matching(c.vatRate)).map((c) => d0(c.amount)))),
        sum(allowances.filter((a) => matching(a.vatRate)).map((a) => d0(a.amount))),
      );
      const taxable = d(v['BT-116']);
      if (taxable && !withinOne(taxable, expected)) {
        report(`${p}-08`, 'BT-116', `Taxable amount (BT-116) ${v['BT-116']} for category ${code}${rateKey ? ` at ${rateKey} %` : ''} shall equal the line net amounts plus charges minus allowances in that category (${fmt(cents(expected))}).`, 'fatal', { code, taxable: v['BT-116'] ?? '', rateKey: rateKey ?? '', expected: fmt(cents(expected)) });
      }
      const tax = d(v['BT-117']);
      if (tax && rules.rate !== 'positive' && tax.units !== 0n) report(`${p}-09`, 'BT-117', `The VAT amount (BT-117) for category ${code} (${rules.name}) shall be 0.`, 'fatal', { code });
      if (tax && taxable && rules.rate === 'positive' && d(v['BT-119']) && !withinOne(tax, mul(taxable, percent(d0(v['BT-119']))))) {
        report(`${p}-09`, 'BT-117', `VAT amount (BT-117) ${v['BT-117']} for category ${code} at ${v['BT-119']} % shall equal taxable amount × rate.`, 'fatal', { code, tax: v['BT-117'] ?? '', vatRate: v['BT-119'] ?? '' });
      }
      const hasReason = Boolean(v['BT-120'] || v['BT-121']);
      if (rules.exemptionReason === 'forbidden' && hasReason) report(`${p}-10`, 'BT-120', `A VAT breakdown in category ${code} (${rules.name}) shall not have an exemption reason (BT-120/BT-121).`, 'fatal', { code, reason: 'forbidden' });
      if (rules.exemptionReason === 'required' && !hasReason) report(`${p}-10`, 'BT-120', `A VAT breakdown in category ${code} (${rules.name}) shall have an exemption reason text (BT-120) or code (BT-121).`, 'fatal', { code, reason: 'required' });
    }
  }
}

/** BR-DEC-*: amounts carry at most two decimals. */
function checkDecimals(inv: EInvoice, report: Report): void {
  const check = (value: string | null, rule: string, element: string) => {
    if (value === null || !isDecimal(value)) return;
    const dot = value.indexOf('.');
    if (dot >= 0 && value.length - dot - 1 > 2) report(rule, element, `${element} ${value} shall have at most 2 decimals.`, 'fatal', { value });
  };
  const t = inv['BG-22'];
  check(t['BT-106'], 'BR-DEC-09', 'BT-106');
  check(t['BT-107'], 'BR-DEC-10', 'BT-107');
  check(t['BT-108'], 'BR-DEC-11', 'BT-108');
  check(t['BT-109'], 'BR-DEC-12', 'BT-109');
  check(t['BT-110'], 'BR-DEC-13', 'BT-110');
  check(t['BT-111'], 'BR-DEC-15', 'BT-111');
  check(t['BT-112'], 'BR-DEC-14', 'BT-112');
  check(t['BT-113'], 'BR-DEC-16', 'BT-113');
  check(t['BT-114'], 'BR-DEC-17', 'BT-114');
  check(t['BT-115'], 'BR-DEC-18', 'BT-115');
  for (const v of inv['BG-23']) {
    check(v['BT-116'], 'BR-DEC-19', 'BT-116');
    check(v['BT-117'], 'BR-DEC-20', 'BT-117');
  }
  for (const a of inv['BG-20']) { check(a.amount, 'BR-DEC-01', 'BT-92'); check(a.baseAmount, 'BR-DEC-02', 'BT-93'); }
  for (const c of inv['BG-21']) { check(c.amount, 'BR-DEC-05', 'BT-99'); check(c.baseAmount, 'BR-DEC-06', 'BT-100'); }
  for (const l of inv['BG-25']) {
    check(l['BT-131'], 'BR-DEC-23', 'BT-131');
    for (const a of l['BG-27']) check(a.amount, 'BR-DEC-24', 'BT-136');
    for (const c of l['BG-28']) check(c.amount, 'BR-DEC-27', 'BT-141');
  }
}

const XRECHNUNG_TYPE_CODES = ['326', '380', '384', '381', '389', '875', '876', '877'];

/** The German CIUS (XRechnung) rules that apply to what the model holds. */
function checkXRechnung(inv: EInvoice, report: Report): void {
  const seller = inv['BG-4'];
  const buyer = inv['BG-7'];
  if (inv['BG-16'].length === 0) report('BR-DE-01', 'BG-16', 'XRechnung: payment instructions (BG-16) shall be given.');
  if (!seller.contact) report('BR-DE-02', 'BG-6', 'XRechnung: the seller contact (BG-6) shall be given.');
  if (!seller.address?.city) report('BR-DE-03', 'BT-37', 'XRechnung: the seller city (BT-37) shall be given.');
  if (!seller.address?.postcode) report('BR-DE-04', 'BT-38', 'XRechnung: the seller post code (BT-38) shall be given.');
  if (seller.contact && !seller.contact.name) report('BR-DE-05', 'BT-41', 'XRechnung: the seller contact point (BT-41) shall be given.');
  if (seller.contact && !seller.contact.phone) report('BR-DE-06', 'BT-42', 'XRechnung: the seller contact telephone number (BT-42) shall be given.');
  if (seller.contact && !seller.contact.email) report('BR-DE-07', 'BT-43', 'XRechnung: the seller contact e-mail address (BT-43) shall be given.');
  if (!buyer.address?.city) report('BR-DE-08', 'BT-52', 'XRechnung: the buyer city (BT-52) shall be given.');
  if (!buyer.address?.postcode) report('BR-DE-09', 'BT-53', 'XRechnung: the buyer post code (BT-53) shall be given.');
  const deliverTo = inv['BG-13']?.['BG-15'];
  if (deliverTo && !deliverTo.city) report('BR-DE-10', 'BT-77', 'XRechnung: the deliver-to city (BT-77) shall be given.');
  if (deliverTo && !deliverTo.postcode) report('BR-DE-11', 'BT-78', 'XRechnung: the deliver-to post code (BT-78) shall be given.');
  for (const v of inv['BG-23']) {
    if (v['BT-119'] === null) report('BR-DE-14', 'BT-119', `XRechnung: the VAT category rate (BT-119) shall be given (category ${v['BT-118'] ?? '?'}).`, 'fatal', { code: v['BT-118'] ?? '?' });
  }
  if (!inv['BT-10']) report('BR-DE-15', 'BT-10', 'XRechnung: the buyer reference (BT-10, the Leitweg-ID for public buyers) shall be given.');
  const categories = new Set(inv['BG-25'].map((l) => l['BT-151']));
  if (['S', 'Z', 'E', 'AE', 'K', 'G', 'L', 'M'].some((c) => categories.has(c)) && !seller.vatId && !seller.taxRegistrationId && !inv['BG-11']) {
    report('BR-DE-16', 'BT-31', 'XRechnung: with these VAT categories the seller VAT id (BT-31), tax number (BT-32) or tax representative (BG-11) shall be given.');
  }
  if (inv['BT-3'] && !XRECHNUNG_TYPE_CODES.includes(inv['BT-3'])) report('BR-DE-17', 'BT-3', `XRechnung: invoice type code ${inv['BT-3']} is not one of ${XRECHNUNG_TYPE_CODES.join(', ')}.`, 'warning', { code: inv['BT-3'], allowed: XRECHNUNG_TYPE_CODES.join(', ') });
  for (const means of inv['BG-16']) {
    const code = means['BT-81'] ?? '';
    const groups = [means['BG-17'].length > 0, means['BG-18'] !== null, means['BG-19'] !== null].filter(Boolean).length;
    if (groups > 1) report('BR-DE-13', 'BG-16', 'XRechnung: only one of credit transfer (BG-17), card (BG-18) or direct debit (BG-19) may be given.');
    if (['30', '58'].includes(code) && means['BG-17'].length === 0) report('BR-DE-23-a', 'BG-17', `XRechnung: payment means ${code} requires credit transfer information (BG-17).`, 'fatal', { code });
    if (code === '58') {
      for (const account of means['BG-17']) {
        if (account['BT-84'] && !isValidIban(account['BT-84'])) report('BR-DE-19', 'BT-84', `XRechnung: "${account['BT-84']}" is not a valid IBAN, which SEPA credit transfer (58) requires.`, 'warning', { value: account['BT-84'] });
      }
    }
    if (['48', '54', '55'].includes(code) && !means['BG-18']) report('BR-DE-24-a', 'BG-18', `XRechnung: payment means ${code} requires card information (BG-18).`, 'fatal', { code });
    if (code === '59') {
      if (!means['BG-19']) report('BR-DE-25-a', 'BG-19', 'XRechnung: payment means 59 (SEPA direct debit) requires direct debit information (BG-19).');
      else {
        if (!means['BG-19']['BT-90']) report('BR-DE-30', 'BT-90', 'XRechnung: SEPA direct debit requires the bank assigned creditor identifier (BT-90).');
        if (!means['BG-19']['BT-91']) report('BR-DE-31', 'BT-91', 'XRechnung: SEPA direct debit requires the debited account identifier (BT-91).');
      }
    }
  }
  if (inv['BT-3'] === '384' && inv['BG-3'].length === 0) report('BR-DE-26', 'BG-3', 'XRechnung: a corrected invoice (384) should reference the preceding invoice (BG-3).', 'warning');
  const phone = seller.contact?.phone;
  if (phone && (phone.match(/\d/g) ?? []).length < 3) report('BR-DE-27', 'BT-42', 'XRechnung: the seller telephone number (BT-42) should contain at least three digits.', 'warning');
  const email = seller.contact?.email;
  if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) report('BR-DE-28', 'BT-43', 'XRechnung: the seller e-mail address (BT-43) should be a valid address.', 'warning');
  const names = inv['BG-24'].map((r) => r.filename).filter((n): n is string => Boolean(n));
  if (new Set(names).size !== names.length) report('BR-DE-22', 'BG-24', 'XRechnung: attached document file names shall be unique.');
}
