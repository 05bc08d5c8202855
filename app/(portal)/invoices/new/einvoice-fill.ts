export { formValuesFromEInvoice } from '@/lib/einvoice/header';
import type { HeaderFacts } from '@/lib/einvoice/cross-check';
import type { FormLine, InvoiceForm } from '@/lib/einvoice/form';

/** Writes values into the (uncontrolled) form's named fields. */
export function fillForm(form: HTMLFormElement, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    const field = form.elements.namedItem(name);
    if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) field.value = name === 'payeeName' ? value.replace(/\s+/g, ' ').slice(0, 70) : value.slice(0, name === 'notes' ? 2000 : 200);
  }
}

export function headerFacts(h: { number: string; dueDate: string; currency: string; amounts: { payable: string }; payment: { iban: string }; seller: { vatId: string } }): HeaderFacts {
  return { number: h.number, dueDate: h.dueDate, currency: h.currency, payable: h.amounts.payable, iban: h.payment.iban, sellerVatId: h.seller.vatId };
}

/** The generator's form model from the New-invoice form's fields and line items. */
export function invoiceFormFromData(data: FormData, lines: FormLine[], creditNote: boolean, precedingNumber: string): InvoiceForm {
  const get = (name: string) => String(data.get(name) ?? '').trim();
  const sellerName = get('sellerName');
  const payeeName = get('payeeName');
  return {
    typeCode: creditNote ? '381' : '380',
    number: get('number'),
    issueDate: get('issueDate'),
    dueDate: get('dueDate'),
    currency: get('currency').toUpperCase(),
    buyerReference: get('xBuyerReference'),
    paymentTerms: get('xPaymentTerms'),
    note: get('notes'),
    seller: { name: sellerName, vatId: get('sellerVatId'), street: get('xSellerStreet'), city: get('xSellerCity'), postcode: get('xSellerPostcode'), country: get('xSellerCountry'), email: get('xSellerEmail'), contactName: get('xSellerContact'), phone: get('xSellerPhone') },
    buyer: { name: get('buyerName'), vatId: get('buyerVatId'), street: get('xBuyerStreet'), city: get('xBuyerCity'), postcode: get('xBuyerPostcode'), country: get('xBuyerCountry'), email: '' },
    payeeName: payeeName && payeeName !== sellerName ? payeeName : '',
    iban: get('iban'),
    bic: get('bic'),
    reference: get('reference'),
    precedingNumber,
    lines,
  };
}
