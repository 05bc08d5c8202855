import { all, attr, children, NS, one, text, type Element } from './xml';

/**
 * What the Peppol BIS Billing 3.0 rules need from a UBL document that the business-term model
 * does not keep: empty elements (R008), how many tax totals carry subtotals (R053/R054), the
 * document references by type (R006, R080, R100/R101), charge indicators (R043, R044) and the
 * currency of each amount (R051). Read once from the DOM by readUbl; absent for CII documents
 * and for models built from the New-invoice form, which the Peppol rules then check by the
 * model alone.
 */
export interface UblStructure {
  /** the first few empty elements (no child element, no text), as prefixed names, and how many there are */
  emptyElements: { names: string[]; count: number };
  taxTotals: { withSubtotals: number; withoutSubtotals: number };
  /** document-level additional document references with type code 130 (invoiced object), and with 50 (project) in a credit note */
  invoicedObjects: number;
  projectReferences: number;
  /** allowances and charges (document and line level) whose ChargeIndicator is neither true nor false */
  badChargeIndicators: number;
  /** line ids whose price carries a charge (ChargeIndicator other than false) */
  priceCharges: string[];
  /** line ids with more than one document reference, and with one whose type is not 130 */
  linesWithSeveralObjects: string[];
  linesWithOtherReferences: string[];
  /** amounts whose currencyID differs from the document currency: element name and the currency found */
  foreignAmounts: { element: string; currency: string | null }[];
}

const LIST_LIMIT = 5;

/** R051's amounts, except cbc:TaxAmount, which counts only directly below a tax total with subtotals. */
const CURRENCY_AMOUNTS = new Set(['Amount', 'BaseAmount', 'PriceAmount', 'TaxableAmount', 'LineExtensionAmount', 'TaxExclusiveAmount', 'TaxInclusiveAmount', 'AllowanceTotalAmount', 'ChargeTotalAmount', 'PrepaidAmount', 'PayableRoundingAmount', 'PayableAmount']);

function prefixed(el: Element): string {
  const prefix = Object.entries(NS).find(([, uri]) => uri === el.namespaceURI)?.[0];
  return prefix === 'cac' || prefix === 'cbc' ? `${prefix}:${el.localName}` : (el.localName ?? el.nodeName);
}

function isElementNode(node: { nodeType: number }): node is Element {
  return node.nodeType === 1;
}

export function readUblStructure(root: Element, creditNote: boolean): UblStructure {
  const currency = text(root, 'cbc:DocumentCurrencyCode');
  const empty: string[] = [];
  let emptyCount = 0;
  const foreignAmounts: UblStructure['foreignAmounts'] = [];
  // One walk over every element, iteratively (a deep document must not exhaust the stack).
  const stack: Element[] = [root];
  while (stack.length) {
    const el = stack.pop()!;
    let hasChild = false;
    for (let node = el.lastChild; node; node = node.previousSibling) {
      if (isElementNode(node)) {
        hasChild = true;
        stack.push(node);
      }
    }
    if (!hasChild && !(el.textContent ?? '').trim()) {
      emptyCount += 1;
      if (empty.length < LIST_LIMIT) empty.push(prefixed(el));
    }
    if (el.namespaceURI === NS.cbc) {
      const name = el.localName ?? '';
      const parent = el.parentNode as Element | null;
      const counts = CURRENCY_AMOUNTS.has(name) || (name === 'TaxAmount' && parent?.localName === 'TaxTotal' && parent.namespaceURI === NS.cac && children(parent, 'cac:TaxSubtotal').length > 0);
      const found = attr(el, 'currencyID');
      if (counts && found !== currency && foreignAmounts.length < LIST_LIMIT) foreignAmounts.push({ element: `cbc:${name}`, currency: found });
    }
  }
  const taxTotals = all(root, 'cac:TaxTotal');
  const references = all(root, 'cac:AdditionalDocumentReference');
  const typed = (code: string) => references.filter((ref) => text(ref, 'cbc:DocumentTypeCode') === code).length;
  const lines = all(root, creditNote ? 'cac:CreditNoteLine' : 'cac:InvoiceLine');
  const lineId = (line: Element) => text(line, 'cbc:ID') ?? '?';
  const indicators = [...all(root, 'cac:AllowanceCharge'), ...lines.flatMap((line) => all(line, 'cac:AllowanceCharge'))];
  return {
    emptyElements: { names: empty, count: emptyCount },
    taxTotals: { withSubtotals: taxTotals.filter((t) => one(t, 'cac:TaxSubtotal')).length, withoutSubtotals: taxTotals.filter((t) => !one(t, 'cac:TaxSubtotal')).length },
    invoicedObjects: typed('130'),
    // An invoice names its project in cac:ProjectReference; since the 2022 release R080 counts type 50 in credit notes only.
    projectReferences: creditNote ? typed('50') : 0,
    badChargeIndicators: indicators.filter((a) => !['true', 'false'].includes(text(a, 'cbc:ChargeIndicator') ?? '')).length,
    priceCharges: lines.filter((line) => all(line, 'cac:Price/cac:AllowanceCharge').some((a) => text(a, 'cbc:ChargeIndicator') !== 'false')).map(lineId),
    linesWithSeveralObjects: lines.filter((line) => all(line, 'cac:DocumentReference').length > 1).map(lineId),
    linesWithOtherReferences: lines.filter((line) => all(line, 'cac:DocumentReference').some((ref) => text(ref, 'cbc:DocumentTypeCode') !== '130')).map(lineId),
    foreignAmounts,
  };
}
