import { dec, format, isDecimal, sub } from './decimal';
import type { Address, AllowanceCharge, EInvoice, Identifier, Party } from './model';
import { container, el, serialize, type XmlNode } from './xml-writer';
import { NS } from './xml';

/** Writes the model as UBL 2.1 (Invoice, or CreditNote for type code 381). */
export function generateUbl(inv: EInvoice): string {
  const creditNote = inv['BT-3'] === '381';
  const currency = inv['BT-5'];
  const money = (name: string, value: string | null, cur: string | null = currency) => el(name, value, { currencyID: cur });
  const T = inv['BG-22'];
  const payee = inv['BG-10'];
  const rep = inv['BG-11'];
  const delivery = inv['BG-13'];
  const vat = (category: string | null, rate: string | null, extra: (XmlNode | null)[] = []) => [el('cbc:ID', category), el('cbc:Percent', rate), ...extra, container('cac:TaxScheme', [el('cbc:ID', 'VAT')])];
  const adjustment = (a: AllowanceCharge, documentLevel: boolean) =>
    el('cac:AllowanceCharge', [
      el('cbc:ChargeIndicator', a.charge ? 'true' : 'false'),
      el('cbc:AllowanceChargeReasonCode', a.reasonCode),
      el('cbc:AllowanceChargeReason', a.reason),
      el('cbc:MultiplierFactorNumeric', a.percentage),
      money('cbc:Amount', a.amount),
      money('cbc:BaseAmount', a.baseAmount),
      documentLevel ? el('cac:TaxCategory', vat(a.vatCategory, a.vatRate)) : null,
    ]);
  const sepaCreditor = inv['BG-16'].map((m) => m['BG-19']?.['BT-90'] ?? null).find((x) => x !== null) ?? null;
  const root: XmlNode = {
    name: creditNote ? 'CreditNote' : 'Invoice',
    attrs: { xmlns: creditNote ? NS.ublCreditNote : NS.ubl, 'xmlns:cac': NS.cac, 'xmlns:cbc': NS.cbc },
    children: [
      el('cbc:CustomizationID', inv['BT-24']),
      el('cbc:ProfileID', inv['BT-23']),
      el('cbc:ID', inv['BT-1']),
      el('cbc:IssueDate', inv['BT-2']),
      creditNote ? null : el('cbc:DueDate', inv['BT-9']),
      el(creditNote ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode', inv['BT-3']),
      ...inv['BG-1'].map((n) => el('cbc:Note', n['BT-21'] ? `#${n['BT-21']}#${n['BT-22']}` : n['BT-22'])),
      el('cbc:TaxPointDate', inv['BT-7']),
      el('cbc:DocumentCurrencyCode', inv['BT-5']),
      el('cbc:TaxCurrencyCode', inv['BT-6']),
      el('cbc:AccountingCost', inv['BT-19']),
      el('cbc:BuyerReference', inv['BT-10']),
      inv['BG-14'] || inv['BT-8'] ? el('cac:InvoicePeriod', [el('cbc:StartDate', inv['BG-14']?.start), el('cbc:EndDate', inv['BG-14']?.end), el('cbc:DescriptionCode', inv['BT-8'])]) : null,
      el('cac:OrderReference', inv['BT-13'] || inv['BT-14'] ? [el('cbc:ID', inv['BT-13'] ?? 'NA'), el('cbc:SalesOrderID', inv['BT-14'])] : null),
      ...inv['BG-3'].map((r) => el('cac:BillingReference', [el('cac:InvoiceDocumentReference', [el('cbc:ID', r['BT-25']), el('cbc:IssueDate', r['BT-26'])])])),
      el('cac:DespatchDocumentReference', [el('cbc:ID', inv['BT-16'])]),
      el('cac:ReceiptDocumentReference', [el('cbc:ID', inv['BT-15'])]),
      el('cac:OriginatorDocumentReference', [el('cbc:ID', inv['BT-17'])]),
      el('cac:ContractDocumentReference', [el('cbc:ID', inv['BT-12'])]),
      ...inv['BG-24'].map((r) =>
        el('cac:AdditionalDocumentReference', [
          el('cbc:ID', r['BT-122']),
          el('cbc:DocumentDescription', r['BT-123']),
          el('cac:Attachment', [el('cac:ExternalReference', [el('cbc:URI', r['BT-124'])])]),
        ]),
      ),
      inv['BT-18'] ? el('cac:AdditionalDocumentReference', [el('cbc:ID', inv['BT-18'].id, { schemeID: inv['BT-18'].scheme }), el('cbc:DocumentTypeCode', '130')]) : null,
      el('cac:ProjectReference', [el('cbc:ID', inv['BT-11'])]),
      container('cac:AccountingSupplierParty', [party(inv['BG-4'], sepaCreditor)]),
      container('cac:AccountingCustomerParty', [party(inv['BG-7'], null)]),
      payee
        ? el('cac:PayeeParty', [
            el('cac:PartyIdentification', [id('cbc:ID', payee['BT-60'])]),
            el('cac:PartyName', [el('cbc:Name', payee['BT-59'])]),
            el('cac:PartyLegalEntity', [id('cbc:CompanyID', payee['BT-61'])]),
          ])
        : null,
      rep
        ? el('cac:TaxRepresentativeParty', [
            el('cac:PartyName', [el('cbc:Name', rep['BT-62'])]),
            address(rep['BG-12']),
            el('cac:PartyTaxScheme', rep['BT-63'] ? [el('cbc:CompanyID', rep['BT-63']), container('cac:TaxScheme', [el('cbc:ID', 'VAT')])] : null),
          ])
        : null,
      delivery
        ? el('cac:Delivery', [
            el('cbc:ActualDeliveryDate', delivery['BT-72']),
            el('cac:DeliveryLocation', [id('cbc:ID', delivery['BT-71']), address(delivery['BG-15'], 'cac:Address')]),
            el('cac:DeliveryParty', [el('cac:PartyName', [el('cbc:Name', delivery['BT-70'])])]),
          ])
        : null,
      ...inv['BG-16'].map((m, index) =>
        el('cac:PaymentMeans', [
          el('cbc:PaymentMeansCode', m['BT-81'], { name: m['BT-82'] }),
          creditNote && index === 0 ? el('cbc:PaymentDueDate', inv['BT-9']) : null,
          el('cbc:PaymentID', m['BT-83']),
          el('cac:CardAccount', m['BG-18'] ? [el('cbc:PrimaryAccountNumberID', m['BG-18']['BT-87']), el('cbc:NetworkID', 'NA'), el('cbc:HolderName', m['BG-18']['BT-88'])] : null),
          ...m['BG-17'].map((a) =>
            el('cac:PayeeFinancialAccount', [el('cbc:ID', a['BT-84']), el('cbc:Name', a['BT-85']), el('cac:FinancialInstitutionBranch', [el('cbc:ID', a['BT-86'])])]),
          ),
          el('cac:PaymentMandate', m['BG-19'] && (m['BG-19']['BT-89'] || m['BG-19']['BT-91']) ? [el('cbc:ID', m['BG-19']['BT-89']), el('cac:PayerFinancialAccount', [el('cbc:ID', m['BG-19']['BT-91'])])] : null),
        ]),
      ),
      creditNote && inv['BG-16'].length === 0 && inv['BT-9'] ? el('cac:PaymentMeans', [el('cbc:PaymentMeansCode', '1'), el('cbc:PaymentDueDate', inv['BT-9'])]) : null,
      el('cac:PaymentTerms', [el('cbc:Note', inv['BT-20'])]),
      ...inv['BG-20'].map((a) => adjustment(a, true)),
      ...inv['BG-21'].map((a) => adjustment(a, true)),
      el('cac:TaxTotal', [
        money('cbc:TaxAmount', T['BT-110']),
        ...inv['BG-23'].map((v) =>
          el('cac:TaxSubtotal', [
            money('cbc:TaxableAmount', v['BT-116']),
            money('cbc:TaxAmount', v['BT-117']),
            el('cac:TaxCategory', vat(v['BT-118'], v['BT-119'], [el('cbc:TaxExemptionReasonCode', v['BT-121']), el('cbc:TaxExemptionReason', v['BT-120'])])),
          ]),
        ),
      ]),
      el('cac:TaxTotal', [money('cbc:TaxAmount', T['BT-111'], inv['BT-6'])]),
      container('cac:LegalMonetaryTotal', [
        money('cbc:LineExtensionAmount', T['BT-106']),
        money('cbc:TaxExclusiveAmount', T['BT-109']),
        money('cbc:TaxInclusiveAmount', T['BT-112']),
        money('cbc:AllowanceTotalAmount', T['BT-107']),
        money('cbc:ChargeTotalAmount', T['BT-108']),
        money('cbc:PrepaidAmount', T['BT-113']),
        money('cbc:PayableRoundingAmount', T['BT-114']),
        money('cbc:PayableAmount', T['BT-115']),
      ]),
      ...inv['BG-25'].map((l) =>
        el(creditNote ? 'cac:CreditNoteLine' : 'cac:InvoiceLine', [
          el('cbc:ID', l['BT-126']),
          el('cbc:Note', l['BT-127']),
          el(creditNote ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity', l['BT-129'], { unitCode: l['BT-130'] }),
          money('cbc:LineExtensionAmount', l['BT-131']),
          el('cbc:AccountingCost', l['BT-133']),
          l['BG-26'] ? el('cac:InvoicePeriod', [el('cbc:StartDate', l['BG-26'].start), el('cbc:EndDate', l['BG-26'].end)]) : null,
          el('cac:OrderLineReference', [el('cbc:LineID', l['BT-132'])]),
          el('cac:DocumentReference', l['BT-128'] ? [id('cbc:ID', l['BT-128']), el('cbc:DocumentTypeCode', '130')] : null),
          ...[...l['BG-27'], ...l['BG-28']].map((a) => adjustment(a, false)),
          container('cac:Item', [
            el('cbc:Description', l['BT-154']),
            el('cbc:Name', l['BT-153']),
            el('cac:BuyersItemIdentification', [el('cbc:ID', l['BT-156'])]),
            el('cac:SellersItemIdentification', [el('cbc:ID', l['BT-155'])]),
            el('cac:StandardItemIdentification', [id('cbc:ID', l['BT-157'])]),
            el('cac:OriginCountry', [el('cbc:IdentificationCode', l['BT-159'])]),
            ...l['BT-158'].map((c) => el('cac:CommodityClassification', [el('cbc:ItemClassificationCode', c.id, { listID: c.scheme })])),
            el('cac:ClassifiedTaxCategory', vat(l['BT-151'], l['BT-152'])),
            ...l['BG-32'].map((a) => el('cac:AdditionalItemProperty', [el('cbc:Name', a.name), el('cbc:Value', a.value)])),
          ]),
          container('cac:Price', [
            money('cbc:PriceAmount', l['BT-146']),
            el('cbc:BaseQuantity', l['BT-149'], { unitCode: l['BT-150'] }),
            l['BT-147'] !== null || l['BT-148'] !== null
              ? el('cac:AllowanceCharge', [el('cbc:ChargeIndicator', 'false'), money('cbc:Amount', priceDiscount(l['BT-147'], l['BT-148'], l['BT-146'])), money('cbc:BaseAmount', l['BT-148'])])
              : null,
          ]),
        ]),
      ),
    ],
  };
  return serialize(root);
}

/** UBL requires the discount amount when a gross price is given; EN 16931 defines it as gross − net. */
function priceDiscount(discount: string | null, gross: string | null, net: string | null): string {
  if (discount !== null) return discount;
  if (gross !== null && net !== null && isDecimal(gross) && isDecimal(net)) return format(sub(dec(gross), dec(net)));
  return '0';
}

function id(name: string, value: Identifier | null): XmlNode | null {
  return value ? el(name, value.id, { schemeID: value.scheme }) : null;
}

function address(a: Address | null, name = 'cac:PostalAddress'): XmlNode | null {
  if (!a) return null;
  return el(name, [
    el('cbc:StreetName', a.line1),
    el('cbc:AdditionalStreetName', a.line2),
    el('cbc:CityName', a.city),
    el('cbc:PostalZone', a.postcode),
    el('cbc:CountrySubentity', a.subdivision),
    el('cac:AddressLine', [el('cbc:Line', a.line3)]),
    el('cac:Country', [el('cbc:IdentificationCode', a.country)]),
  ]);
}

function party(p: Party, sepaCreditor: string | null): XmlNode {
  return container('cac:Party', [
    id('cbc:EndpointID', p.endpoint),
    ...p.ids.map((i) => el('cac:PartyIdentification', [id('cbc:ID', i)])),
    sepaCreditor ? el('cac:PartyIdentification', [el('cbc:ID', sepaCreditor, { schemeID: 'SEPA' })]) : null,
    el('cac:PartyName', [el('cbc:Name', p.tradingName)]),
    address(p.address),
    el('cac:PartyTaxScheme', p.vatId ? [el('cbc:CompanyID', p.vatId), container('cac:TaxScheme', [el('cbc:ID', 'VAT')])] : null),
    el('cac:PartyTaxScheme', p.taxRegistrationId ? [el('cbc:CompanyID', p.taxRegistrationId), container('cac:TaxScheme', [el('cbc:ID', 'FC')])] : null),
    container('cac:PartyLegalEntity', [el('cbc:RegistrationName', p.name), id('cbc:CompanyID', p.legalId), el('cbc:CompanyLegalForm', p.legalInfo)]),
    p.contact ? el('cac:Contact', [el('cbc:Name', p.contact.name), el('cbc:Telephone', p.contact.phone), el('cbc:ElectronicMail', p.contact.email)]) : null,
  ]);
}
