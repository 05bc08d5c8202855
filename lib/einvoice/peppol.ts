import { abs, add, compare, dec, isDecimal, mul, percent, round, sub, sum, ZERO, type Dec } from './decimal';
import type { AllowanceCharge, EInvoice, Severity } from './model';
import type { UblStructure } from './peppol-structure';

/** BT-24 of Peppol BIS Billing 3.0 and of the national extensions built on it. */
const PEPPOL_BIS_3 = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
const PROCESS = /^urn:fdc:peppol\.eu:2017:poacc:billing:\d\d:1\.0$/;
const SLACK = dec('0.02');

export function isPeppolBis(inv: EInvoice): boolean {
  return (inv['BT-24'] ?? '').startsWith(PEPPOL_BIS_3);
}

type Report = (rule: string, element: string | null, message: string, severity?: Severity, params?: Record<string, string>) => void;

function d(value: string | null): Dec | null {
  return value !== null && isDecimal(value) ? dec(value) : null;
}

/**
 * The Peppol BIS Billing 3.0 rules (PEPPOL-EN16931-R*), with the Schematron's arithmetic
 * (amounts to the cent, line amounts within its 0.02 slack). Most read the business terms; those
 * about the XML itself (empty elements, how many tax totals, references by type, charge
 * indicators, currencies) read the UBL structure the reader kept (peppol-structure.ts) and are
 * skipped for a model that has none (one built from the form, which the generator writes
 * without such faults).
 */
export function checkPeppol(inv: EInvoice, report: Report): void {
  if (!inv['BT-23']) report('PEPPOL-EN16931-R001', 'BT-23', 'Peppol: the business process (BT-23) MUST be provided.');
  else if (!PROCESS.test(inv['BT-23'])) report('PEPPOL-EN16931-R007', 'BT-23', `Peppol: the business process (BT-23) "${inv['BT-23'].slice(0, 80)}" MUST have the form urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0.`, 'fatal', { value: inv['BT-23'].slice(0, 80) });
  // Two German parties may exchange several notes (the XRechnung exception in the Schematron).
  const german = inv['BG-4'].address?.country === 'DE' && inv['BG-7'].address?.country === 'DE';
  if (inv['BG-1'].length > 1 && !german) report('PEPPOL-EN16931-R002', 'BT-22', 'Peppol: no more than one note (BT-22) is allowed on document level.');
  if (!inv['BT-10'] && !inv['BT-13']) report('PEPPOL-EN16931-R003', 'BT-10', 'Peppol: a buyer reference (BT-10) or purchase order reference (BT-13) MUST be provided.');
  if (inv['BT-6'] && inv['BT-6'] === inv['BT-5']) report('PEPPOL-EN16931-R005', 'BT-6', 'Peppol: the VAT accounting currency (BT-6) MUST differ from the invoice currency (BT-5) when given.');
  if (!inv['BG-7'].endpoint) report('PEPPOL-EN16931-R010', 'BT-49', 'Peppol: the buyer electronic address (BT-49) MUST be provided.');
  if (!inv['BG-4'].endpoint) report('PEPPOL-EN16931-R020', 'BT-34', 'Peppol: the seller electronic address (BT-34) MUST be provided.');
  for (const a of [...inv['BG-20'], ...inv['BG-21']]) checkAllowanceCharge(a, null, report);
  for (const means of inv['BG-16']) {
    if ((means['BT-81'] === '59' || means['BT-81'] === '49' || means['BG-19']) && !means['BG-19']?.['BT-89']) report('PEPPOL-EN16931-R061', 'BT-89', 'Peppol: the mandate reference (BT-89) MUST be provided for direct debit.');
  }
  const vat = d(inv['BG-22']['BT-110']);
  const vatInAccounting = d(inv['BG-22']['BT-111']);
  if (inv['BT-6'] && vat && vatInAccounting && vat.units !== 0n && vatInAccounting.units !== 0n && vat.units > 0n !== vatInAccounting.units > 0n) {
    report('PEPPOL-EN16931-R055', 'BT-111', 'Peppol: the invoice total VAT amount (BT-110) and the VAT amount in accounting currency (BT-111) MUST have the same sign.');
  }
  if (inv.structure) checkStructure(inv, inv.structure, report);
  const period = inv['BG-14'];
  for (const line of inv['BG-25']) {
    const id = line['BT-126'] ?? '?';
    for (const a of [...line['BG-27'], ...line['BG-28']]) checkAllowanceCharge(a, id, report);
    if (period?.start && line['BG-26']?.start && line['BG-26'].start < period.start) report('PEPPOL-EN16931-R110', 'BT-134', `Peppol: the start date of line ${id}'s period (BT-134) MUST be within the invoice period.`, 'fatal', { line: id });
    if (period?.end && line['BG-26']?.end && line['BG-26'].end > period.end) report('PEPPOL-EN16931-R111', 'BT-135', `Peppol: the end date of line ${id}'s period (BT-135) MUST be within the invoice period.`, 'fatal', { line: id });
    const baseQuantity = d(line['BT-149']) ?? dec('1');
    if (line['BT-149'] !== null && !(baseQuantity.units > 0n)) report('PEPPOL-EN16931-R121', 'BT-149', `Peppol: the base quantity (BT-149) of line ${id} MUST be a positive number above zero.`, 'fatal', { line: id });
    if (line['BT-150'] && line['BT-130'] && line['BT-150'] !== line['BT-130']) report('PEPPOL-EN16931-R130', 'BT-150', `Peppol: the unit of the base quantity (BT-150) of line ${id} MUST be the unit of the invoiced quantity (BT-130).`, 'fatal', { line: id });
    const net = d(line['BT-146']);
    const gross = d(line['BT-148']);
    if (net && gross && compare(net, sub(gross, d(line['BT-147']) ?? ZERO)) !== 0) report('PEPPOL-EN16931-R046', 'BT-146', `Peppol: the item net price (BT-146) of line ${id} MUST equal the gross price (BT-148) minus the price discount (BT-147).`, 'fatal', { line: id });
    const quantity = d(line['BT-129']);
    const stated = d(line['BT-131']);
    if (!quantity || !net || !stated || !(baseQuantity.units > 0n)) continue;
    // BT-131 = BT-129 × BT-146 / BT-149 + charges − allowances, within 0.02; multiplied out by BT-149 (positive) to stay exact.
    const adjustments = sub(sum(line['BG-28'].map((c) => d(c.amount) ?? ZERO)), sum(line['BG-27'].map((a) => d(a.amount) ?? ZERO)));
    const difference = sub(mul(stated, baseQuantity), add(mul(quantity, net), mul(adjustments, baseQuantity)));
    if (compare(abs(difference), mul(SLACK, baseQuantity)) > 0) report('PEPPOL-EN16931-R120', 'BT-131', `Peppol: the net amount (BT-131) ${line['BT-131']} of line ${id} MUST equal quantity × net price / base quantity + charges − allowances.`, 'fatal', { line: id, value: line['BT-131'] ?? '' });
  }
}

/** R040-R042: a percentage and a base amount come together, and the amount is their product. */
function checkAllowanceCharge(a: AllowanceCharge, line: string | null, report: Report): void {
  const where = line === null ? 'document level' : `line ${line}`;
  const params = { kind: a.charge ? 'charge' : 'allowance', line: line ?? '' };
  const base = d(a.baseAmount);
  const rate = d(a.percentage);
  const amount = d(a.amount);
  if (rate && !base) report('PEPPOL-EN16931-R041', a.charge ? 'BT-100' : 'BT-93', `Peppol: a ${params.kind} with a percentage (${where}) MUST give its base amount.`, 'fatal', params);
  if (base && !rate) report('PEPPOL-EN16931-R042', a.charge ? 'BT-101' : 'BT-94', `Peppol: a ${params.kind} with a base amount (${where}) MUST give its percentage.`, 'fatal', params);
  if (base && rate && amount && compare(round(amount, 2), round(mul(base, percent(rate)), 2)) !== 0) {
    report('PEPPOL-EN16931-R040', a.charge ? 'BT-99' : 'BT-92', `Peppol: the ${params.kind} amount ${a.amount} (${where}) MUST equal the base amount × percentage / 100.`, 'fatal', { ...params, value: a.amount ?? '' });
  }
}

/** The rules about the UBL document itself (see UblStructure). */
function checkStructure(inv: EInvoice, s: UblStructure, report: Report): void {
  if (s.emptyElements.count > 0) {
    const names = s.emptyElements.names.join(', ') + (s.emptyElements.count > s.emptyElements.names.length ? ', …' : '');
    report('PEPPOL-EN16931-R008', null, `Peppol: the document MUST not contain empty elements; ${s.emptyElements.count} found (${names}).`, 'fatal', { count: String(s.emptyElements.count), names });
  }
  if (s.invoicedObjects > 1) report('PEPPOL-EN16931-R006', 'BT-18', 'Peppol: only one invoiced object (BT-18) is allowed on document level.');
  if (s.projectReferences > 1) report('PEPPOL-EN16931-R080', 'BT-11', 'Peppol: only one project reference (BT-11) is allowed on document level.');
  if (s.badChargeIndicators > 0) report('PEPPOL-EN16931-R043', null, 'Peppol: an allowance or charge indicator MUST be "true" or "false".');
  for (const line of s.priceCharges) report('PEPPOL-EN16931-R044', 'BT-147', `Peppol: a charge on the item price of line ${line} is NOT allowed; only price discounts (indicator false).`, 'fatal', { line });
  if (s.taxTotals.withSubtotals !== 1) report('PEPPOL-EN16931-R053', 'BG-23', `Peppol: exactly one tax total with tax subtotals MUST be provided; found ${s.taxTotals.withSubtotals}.`, 'fatal', { count: String(s.taxTotals.withSubtotals) });
  const withoutExpected = inv['BT-6'] ? 1 : 0;
  if (s.taxTotals.withoutSubtotals !== withoutExpected) {
    report('PEPPOL-EN16931-R054', 'BT-111', inv['BT-6'] ? `Peppol: exactly one tax total without subtotals (BT-111) MUST be provided when a VAT accounting currency (BT-6) is given; found ${s.taxTotals.withoutSubtotals}.` : `Peppol: a tax total without subtotals is allowed only with a VAT accounting currency (BT-6); found ${s.taxTotals.withoutSubtotals}.`, 'fatal', { count: String(s.taxTotals.withoutSubtotals), accounting: inv['BT-6'] ? 'yes' : '' });
  }
  for (const line of s.linesWithSeveralObjects) report('PEPPOL-EN16931-R100', 'BT-128', `Peppol: only one invoiced object (BT-128) is allowed on line ${line}.`, 'fatal', { line });
  for (const line of s.linesWithOtherReferences) report('PEPPOL-EN16931-R101', 'BT-128', `Peppol: a document reference on line ${line} can only be its invoiced object (type code 130).`, 'fatal', { line });
  for (const amount of s.foreignAmounts) {
    report('PEPPOL-EN16931-R051', amount.element, `Peppol: the currency of ${amount.element} (${amount.currency ?? 'none'}) MUST be the invoice currency (BT-5), except for the VAT total in accounting currency (BT-111).`, 'fatal', { element: amount.element, value: amount.currency ?? '' });
  }
}
