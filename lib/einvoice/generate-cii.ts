import type { Address, AllowanceCharge, EInvoice, Identifier, Party } from './model';
import { isValidIban } from '../shared/iban';
import { container, el, serialize, type XmlNode } from './xml-writer';
import { NS } from './xml';

/** Writes the model as UN/CEFACT CII D16B (XRechnung CII / Factur-X EN 16931 profile). */
export function generateCii(inv: EInvoice): string {
  const T = inv['BG-22'];
  const payee = inv['BG-10'];
  const rep = inv['BG-11'];
  const delivery = inv['BG-13'];
  const firstMeans = inv['BG-16'][0];
  const directDebit = inv['BG-16'].map((m) => m['BG-19']).find((x) => x !== null) ?? null;
  const root: XmlNode = {
    name: 'rsm:CrossIndustryInvoice',
    attrs: { 'xmlns:rsm': NS.rsm, 'xmlns:ram': NS.ram, 'xmlns:qdt': NS.qdt, 'xmlns:udt': NS.udt },
    children: [
      container('rsm:ExchangedDocumentContext', [
        el('ram:BusinessProcessSpecifiedDocumentContextParameter', [el('ram:ID', inv['BT-23'])]),
        el('ram:GuidelineSpecifiedDocumentContextParameter', [el('ram:ID', inv['BT-24'])]),
      ]),
      container('rsm:ExchangedDocument', [
        el('ram:ID', inv['BT-1']),
        el('ram:TypeCode', inv['BT-3']),
        el('ram:IssueDateTime', [date('udt:DateTimeString', inv['BT-2'])]),
        ...inv['BG-1'].map((n) => el('ram:IncludedNote', [el('ram:Content', n['BT-22']), el('ram:SubjectCode', n['BT-21'])])),
      ]),
      container('rsm:SupplyChainTradeTransaction', [
        ...inv['BG-25'].map((l) =>
          el('ram:IncludedSupplyChainTradeLineItem', [
            el('ram:AssociatedDocumentLineDocument', [el('ram:LineID', l['BT-126']), el('ram:IncludedNote', [el('ram:Content', l['BT-127'])])]),
            el('ram:SpecifiedTradeProduct', [
              id('ram:GlobalID', l['BT-157']),
              el('ram:SellerAssignedID', l['BT-155']),
              el('ram:BuyerAssignedID', l['BT-156']),
              el('ram:Name', l['BT-153']),
              el('ram:Description', l['BT-154']),
              ...l['BG-32'].map((a) => el('ram:ApplicableProductCharacteristic', [el('ram:Description', a.name), el('ram:Value', a.value)])),
              ...l['BT-158'].map((c) => el('ram:DesignatedProductClassification', [el('ram:ClassCode', c.id, { listID: c.scheme })])),
              el('ram:OriginTradeCountry', [el('ram:ID', l['BT-159'])]),
            ]),
            container('ram:SpecifiedLineTradeAgreement', [
              el('ram:BuyerOrderReferencedDocument', [el('ram:LineID', l['BT-132'])]),
              el('ram:GrossPriceProductTradePrice', l['BT-148'] === null ? null : [
                el('ram:ChargeAmount', l['BT-148']),
                el('ram:AppliedTradeAllowanceCharge', l['BT-147'] === null ? null : [el('ram:ChargeIndicator', [el('udt:Indicator', 'false')]), el('ram:ActualAmount', l['BT-147'])]),
              ]),
              el('ram:NetPriceProductTradePrice', [el('ram:ChargeAmount', l['BT-146']), el('ram:BasisQuantity', l['BT-149'], { unitCode: l['BT-150'] })]),
            ]),
            container('ram:SpecifiedLineTradeDelivery', [el('ram:BilledQuantity', l['BT-129'], { unitCode: l['BT-130'] })]),
            container('ram:SpecifiedLineTradeSettlement', [
              el('ram:ApplicableTradeTax', [el('ram:TypeCode', 'VAT'), el('ram:CategoryCode', l['BT-151']), el('ram:RateApplicablePercent', l['BT-152'])]),
              period(l['BG-26']),
              ...[...l['BG-27'], ...l['BG-28']].map((a) => allowanceCharge(a, false)),
              container('ram:SpecifiedTradeSettlementLineMonetarySummation', [el('ram:LineTotalAmount', l['BT-131'])]),
              el('ram:AdditionalReferencedDocument', l['BT-128'] ? [el('ram:IssuerAssignedID', l['BT-128'].id), el('ram:TypeCode', '130'), el('ram:ReferenceTypeCode', l['BT-128'].scheme)] : null),
              el('ram:ReceivableSpecifiedTradeAccountingAccount', [el('ram:ID', l['BT-133'])]),
            ]),
          ]),
        ),
        container('ram:ApplicableHeaderTradeAgreement', [
          el('ram:BuyerReference', inv['BT-10']),
          party('ram:SellerTradeParty', inv['BG-4'], true),
          party('ram:BuyerTradeParty', inv['BG-7'], false),
          rep ? el('ram:SellerTaxRepresentativeTradeParty', [el('ram:Name', rep['BT-62']), address(rep['BG-12']), el('ram:SpecifiedTaxRegistration', [el('ram:ID', rep['BT-63'], { schemeID: 'VA' })])]) : null,
          el('ram:SellerOrderReferencedDocument', [el('ram:IssuerAssignedID', inv['BT-14'])]),
          el('ram:BuyerOrderReferencedDocument', [el('ram:IssuerAssignedID', inv['BT-13'])]),
          el('ram:ContractReferencedDocument', [el('ram:IssuerAssignedID', inv['BT-12'])]),
          ...inv['BG-24'].map((r) => el('ram:AdditionalReferencedDocument', [el('ram:IssuerAssignedID', r['BT-122']), el('ram:URIID', r['BT-124']), el('ram:TypeCode', '916'), el('ram:Name', r['BT-123'])])),
          el('ram:AdditionalReferencedDocument', inv['BT-17'] ? [el('ram:IssuerAssignedID', inv['BT-17']), el('ram:TypeCode', '50')] : null),
          el('ram:AdditionalReferencedDocument', inv['BT-18'] ? [el('ram:IssuerAssignedID', inv['BT-18'].id), el('ram:TypeCode', '130'), el('ram:ReferenceTypeCode', inv['BT-18'].scheme)] : null),
          el('ram:SpecifiedProcuringProject', inv['BT-11'] ? [el('ram:ID', inv['BT-11']), el('ram:Name', 'Project')] : null),
        ]),
        container('ram:ApplicableHeaderTradeDelivery', [
          delivery ? el('ram:ShipToTradeParty', [id('ram:ID', delivery['BT-71']), el('ram:Name', delivery['BT-70']), address(delivery['BG-15'])]) : null,
          el('ram:ActualDeliverySupplyChainEvent', [el('ram:OccurrenceDateTime', [date('udt:DateTimeString', delivery?.['BT-72'] ?? null)])]),
          el('ram:DespatchAdviceReferencedDocument', [el('ram:IssuerAssignedID', inv['BT-16'])]),
          el('ram:ReceivingAdviceReferencedDocument', [el('ram:IssuerAssignedID', inv['BT-15'])]),
        ]),
        container('ram:ApplicableHeaderTradeSettlement', [
          el('ram:CreditorReferenceID', directDebit?.['BT-90'] ?? null),
          el('ram:PaymentReference', firstMeans?.['BT-83'] ?? null),
          el('ram:TaxCurrencyCode', inv['BT-6']),
          el('ram:InvoiceCurrencyCode', inv['BT-5']),
          payee ? el('ram:PayeeTradeParty', [id('ram:ID', payee['BT-60']), el('ram:Name', payee['BT-59']), el('ram:SpecifiedLegalOrganization', [id('ram:ID', payee['BT-61'])])]) : null,
          ...inv['BG-16'].flatMap((m) => {
            const accounts = m['BG-17'].length > 0 ? m['BG-17'] : [null];
            return accounts.map((account) =>
              el('ram:SpecifiedTradeSettlementPaymentMeans', [
                el('ram:TypeCode', m['BT-81']),
                el('ram:Information', m['BT-82']),
                el('ram:ApplicableTradeSettlementFinancialCard', m['BG-18'] ? [el('ram:ID', m['BG-18']['BT-87']), el('ram:CardholderName', m['BG-18']['BT-88'])] : null),
                el('ram:PayerPartyDebtorFinancialAccount', [el('ram:IBANID', m['BG-19']?.['BT-91'] ?? null)]),
                account
                  ? el('ram:PayeePartyCreditorFinancialAccount', [
                      account['BT-84'] && isValidIban(account['BT-84']) ? el('ram:IBANID', account['BT-84']) : null,
                      el('ram:AccountName', account['BT-85']),
                      account['BT-84'] && !isValidIban(account['BT-84']) ? el('ram:ProprietaryID', account['BT-84']) : null,
                    ])
                  : null,
                el('ram:PayeeSpecifiedCreditorFinancialInstitution', [el('ram:BICID', account?.['BT-86'] ?? null)]),
              ]),
            );
          }),
          ...inv['BG-23'].map((v) =>
            el('ram:ApplicableTradeTax', [
              el('ram:CalculatedAmount', v['BT-117']),
              el('ram:TypeCode', 'VAT'),
              el('ram:ExemptionReason', v['BT-120']),
              el('ram:BasisAmount', v['BT-116']),
              el('ram:CategoryCode', v['BT-118']),
              el('ram:ExemptionReasonCode', v['BT-121']),
              el('ram:TaxPointDate', [date('udt:DateString', inv['BT-7'])]),
              el('ram:DueDateTypeCode', inv['BT-8']),
              el('ram:RateApplicablePercent', v['BT-119']),
            ]),
          ),
          period(inv['BG-14']),
          ...[...inv['BG-20'], ...inv['BG-21']].map((a) => allowanceCharge(a, true)),
          el('ram:SpecifiedTradePaymentTerms', [
            el('ram:Description', inv['BT-20']),
            el('ram:DueDateDateTime', [date('udt:DateTimeString', inv['BT-9'])]),
            el('ram:DirectDebitMandateID', directDebit?.['BT-89'] ?? null),
          ]),
          container('ram:SpecifiedTradeSettlementHeaderMonetarySummation', [
            el('ram:LineTotalAmount', T['BT-106']),
            el('ram:ChargeTotalAmount', T['BT-108']),
            el('ram:AllowanceTotalAmount', T['BT-107']),
            el('ram:TaxBasisTotalAmount', T['BT-109']),
            el('ram:TaxTotalAmount', T['BT-110'], { currencyID: inv['BT-5'] }),
            el('ram:TaxTotalAmount', T['BT-111'], { currencyID: inv['BT-6'] }),
            el('ram:RoundingAmount', T['BT-114']),
            el('ram:GrandTotalAmount', T['BT-112']),
            el('ram:TotalPrepaidAmount', T['BT-113']),
            el('ram:DuePayableAmount', T['BT-115']),
          ]),
          ...inv['BG-3'].map((r) => el('ram:InvoiceReferencedDocument', [el('ram:IssuerAssignedID', r['BT-25']), el('ram:FormattedIssueDateTime', [date('qdt:DateTimeString', r['BT-26'])])])),
          el('ram:ReceivableSpecifiedTradeAccountingAccount', [el('ram:ID', inv['BT-19'])]),
        ]),
      ]),
    ],
  };
  return serialize(root);
}

function date(name: string, value: string | null): XmlNode | null {
  if (!value) return null;
  return el(name, value.replace(/-/g, ''), { format: '102' });
}

function id(name: string, value: Identifier | null): XmlNode | null {
  return value ? el(name, value.id, { schemeID: value.scheme }) : null;
}

function period(p: { start: string | null; end: string | null } | null): XmlNode | null {
  if (!p) return null;
  return el('ram:BillingSpecifiedPeriod', [el('ram:StartDateTime', [date('udt:DateTimeString', p.start)]), el('ram:EndDateTime', [date('udt:DateTimeString', p.end)])]);
}

function allowanceCharge(a: AllowanceCharge, documentLevel: boolean): XmlNode | null {
  return el('ram:SpecifiedTradeAllowanceCharge', [
    el('ram:ChargeIndicator', [el('udt:Indicator', a.charge ? 'true' : 'false')]),
    el('ram:CalculationPercent', a.percentage),
    el('ram:BasisAmount', a.baseAmount),
    el('ram:ActualAmount', a.amount),
    el('ram:ReasonCode', a.reasonCode),
    el('ram:Reason', a.reason),
    documentLevel ? el('ram:CategoryTradeTax', [el('ram:TypeCode', 'VAT'), el('ram:CategoryCode', a.vatCategory), el('ram:RateApplicablePercent', a.vatRate)]) : null,
  ]);
}

function address(a: Address | null): XmlNode | null {
  if (!a) return null;
  return el('ram:PostalTradeAddress', [
    el('ram:PostcodeCode', a.postcode),
    el('ram:LineOne', a.line1),
    el('ram:LineTwo', a.line2),
    el('ram:LineThree', a.line3),
    el('ram:CityName', a.city),
    el('ram:CountryID', a.country),
    el('ram:CountrySubDivisionName', a.subdivision),
  ]);
}

function party(name: string, p: Party, seller: boolean): XmlNode {
  return container(name, [
    ...p.ids.filter((i) => !i.scheme).map((i) => el('ram:ID', i.id)),
    ...p.ids.filter((i) => i.scheme).map((i) => el('ram:GlobalID', i.id, { schemeID: i.scheme })),
    el('ram:Name', p.name),
    seller ? el('ram:Description', p.legalInfo) : null,
    el('ram:SpecifiedLegalOrganization', p.legalId || p.tradingName ? [id('ram:ID', p.legalId), el('ram:TradingBusinessName', p.tradingName)] : null),
    p.contact
      ? el('ram:DefinedTradeContact', [
          el('ram:PersonName', p.contact.name),
          el('ram:TelephoneUniversalCommunication', [el('ram:CompleteNumber', p.contact.phone)]),
          el('ram:EmailURIUniversalCommunication', [el('ram:URIID', p.contact.email)]),
        ])
      : null,
    address(p.address),
    el('ram:URIUniversalCommunication', p.endpoint ? [el('ram:URIID', p.endpoint.id, { schemeID: p.endpoint.scheme })] : null),
    el('ram:SpecifiedTaxRegistration', [el('ram:ID', p.vatId, { schemeID: 'VA' })]),
    seller ? el('ram:SpecifiedTaxRegistration', [el('ram:ID', p.taxRegistrationId, { schemeID: 'FC' })]) : null,
  ]);
}
