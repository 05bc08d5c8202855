import { all, attr, one, text, type Element } from './xml';
import { emptyInvoice, emptyLine, emptyParty, type Address, type AllowanceCharge, type EInvoice, type Identifier, type Party, type Period } from './model';

/** Reads a UN/CEFACT CII D16B CrossIndustryInvoice (XRechnung CII, Factur-X/ZUGFeRD 2.x). */
export function readCii(root: Element): EInvoice {
  const inv = emptyInvoice('CII');
  const doc = one(root, 'rsm:ExchangedDocument');
  const ctx = one(root, 'rsm:ExchangedDocumentContext');
  const S = one(root, 'rsm:SupplyChainTradeTransaction');
  const A = one(S, 'ram:ApplicableHeaderTradeAgreement');
  const D = one(S, 'ram:ApplicableHeaderTradeDelivery');
  const T = one(S, 'ram:ApplicableHeaderTradeSettlement');
  const M = one(T, 'ram:SpecifiedTradeSettlementHeaderMonetarySummation');

  inv['BT-24'] = text(ctx, 'ram:GuidelineSpecifiedDocumentContextParameter/ram:ID');
  inv['BT-23'] = text(ctx, 'ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID');
  inv['BT-1'] = text(doc, 'ram:ID');
  inv['BT-3'] = text(doc, 'ram:TypeCode');
  inv['BT-2'] = ciiDate(one(doc, 'ram:IssueDateTime/udt:DateTimeString'));
  inv['BG-1'] = all(doc, 'ram:IncludedNote').flatMap((note) => {
    const content = text(note, 'ram:Content');
    return content ? [{ 'BT-21': text(note, 'ram:SubjectCode'), 'BT-22': content }] : [];
  });

  inv['BT-10'] = text(A, 'ram:BuyerReference');
  inv['BG-4'] = readParty(one(A, 'ram:SellerTradeParty'));
  inv['BG-7'] = readParty(one(A, 'ram:BuyerTradeParty'));
  const rep = one(A, 'ram:SellerTaxRepresentativeTradeParty');
  if (rep) {
    inv['BG-11'] = {
      'BT-62': text(rep, 'ram:Name'),
      'BT-63': vatOf(rep, 'VA'),
      'BG-12': readAddress(one(rep, 'ram:PostalTradeAddress')),
    };
  }
  inv['BT-13'] = text(A, 'ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID');
  inv['BT-14'] = text(A, 'ram:SellerOrderReferencedDocument/ram:IssuerAssignedID');
  inv['BT-12'] = text(A, 'ram:ContractReferencedDocument/ram:IssuerAssignedID');
  inv['BT-11'] = text(A, 'ram:SpecifiedProcuringProject/ram:ID');
  for (const ref of all(A, 'ram:AdditionalReferencedDocument')) {
    const type = text(ref, 'ram:TypeCode');
    const id = text(ref, 'ram:IssuerAssignedID');
    if (type === '50') inv['BT-17'] = id;
    else if (type === '130') inv['BT-18'] = id ? { id, scheme: text(ref, 'ram:ReferenceTypeCode') } : null;
    else {
      const binary = one(ref, 'ram:AttachmentBinaryObject');
      inv['BG-24'].push({
        'BT-122': id,
        'BT-123': text(ref, 'ram:Name'),
        'BT-124': text(ref, 'ram:URIID'),
        mimeCode: attr(binary, 'mimeCode'),
        filename: attr(binary, 'filename'),
        hasContent: binary !== null && Boolean(binary.textContent?.trim()),
      });
    }
  }

  const shipTo = one(D, 'ram:ShipToTradeParty');
  const deliveryDate = ciiDate(one(D, 'ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString'));
  const shipToName = text(shipTo, 'ram:Name');
  const shipToId = identifier(one(shipTo, 'ram:ID') ?? one(shipTo, 'ram:GlobalID'));
  const shipToAddress = readAddress(one(shipTo, 'ram:PostalTradeAddress'));
  if (shipToName || shipToId || shipToAddress || deliveryDate) {
    inv['BG-13'] = {
      'BT-70': shipToName,
      'BT-71': shipToId,
      'BT-72': deliveryDate,
      'BG-15': shipToAddress,
    };
  }
  inv['BT-15'] = text(D, 'ram:ReceivingAdviceReferencedDocument/ram:IssuerAssignedID');
  inv['BT-16'] = text(D, 'ram:DespatchAdviceReferencedDocument/ram:IssuerAssignedID');

  inv['BT-5'] = text(T, 'ram:InvoiceCurrencyCode');
  inv['BT-6'] = text(T, 'ram:TaxCurrencyCode');
  inv['BT-19'] = text(T, 'ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID');
  const terms = all(T, 'ram:SpecifiedTradePaymentTerms');
  inv['BT-20'] = terms.map((t) => text(t, 'ram:Description')).filter((d): d is string => d !== null).join('\n') || null;
  inv['BT-9'] = terms.map((t) => ciiDate(one(t, 'ram:DueDateDateTime/udt:DateTimeString'))).find((d) => d !== null) ?? null;
  const mandate = terms.map((t) => text(t, 'ram:DirectDebitMandateID')).find((m) => m !== null) ?? null;
  const payee = one(T, 'ram:PayeeTradeParty');
  if (payee) {
    inv['BG-10'] = {
      'BT-59': text(payee, 'ram:Name'),
      'BT-60': identifier(one(payee, 'ram:ID') ?? one(payee, 'ram:GlobalID')),
      'BT-61': identifier(one(payee, 'ram:SpecifiedLegalOrganization/ram:ID')),
    };
  }
  const reference = text(T, 'ram:PaymentReference');
  const creditorId = text(T, 'ram:CreditorReferenceID');
  inv['BG-16'] = all(T, 'ram:SpecifiedTradeSettlementPaymentMeans').map((means) => {
    const card = one(means, 'ram:ApplicableTradeSettlementFinancialCard');
    const debited = text(means, 'ram:PayerPartyDebtorFinancialAccount/ram:IBANID');
    const accounts = all(means, 'ram:PayeePartyCreditorFinancialAccount');
    const bic = text(means, 'ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID');
    return {
      'BT-81': text(means, 'ram:TypeCode'),
      'BT-82': text(means, 'ram:Information'),
      'BT-83': reference,
      'BG-17': accounts.map((account) => ({
        'BT-84': text(account, 'ram:IBANID') ?? text(account, 'ram:ProprietaryID'),
        'BT-85': text(account, 'ram:AccountName'),
        'BT-86': bic,
      })),
      'BG-18': card ? { 'BT-87': text(card, 'ram:ID'), 'BT-88': text(card, 'ram:CardholderName') } : null,
      'BG-19': debited || mandate ? { 'BT-89': mandate, 'BT-90': creditorId, 'BT-91': debited } : null,
    };
  });
  if (inv['BG-16'].length === 0 && reference) {
    inv['BG-16'].push({ 'BT-81': null, 'BT-82': null, 'BT-83': reference, 'BG-17': [], 'BG-18': null, 'BG-19': null });
  }

  inv['BG-23'] = all(T, 'ram:ApplicableTradeTax').map((tax) => ({
    'BT-116': text(tax, 'ram:BasisAmount'),
    'BT-117': text(tax, 'ram:CalculatedAmount'),
    'BT-118': text(tax, 'ram:CategoryCode'),
    'BT-119': text(tax, 'ram:RateApplicablePercent'),
    'BT-120': text(tax, 'ram:ExemptionReason'),
    'BT-121': text(tax, 'ram:ExemptionReasonCode'),
  }));
  const taxDate = ciiDate(one(T, 'ram:ApplicableTradeTax/ram:TaxPointDate/udt:DateString'));
  inv['BT-7'] = taxDate;
  inv['BT-8'] = text(T, 'ram:ApplicableTradeTax/ram:DueDateTypeCode');
  inv['BG-14'] = readPeriod(one(T, 'ram:BillingSpecifiedPeriod'));
  const allowances = all(T, 'ram:SpecifiedTradeAllowanceCharge').map(readAllowanceCharge);
  inv['BG-20'] = allowances.filter((a) => !a.charge);
  inv['BG-21'] = allowances.filter((a) => a.charge);
  inv['BG-3'] = all(T, 'ram:InvoiceReferencedDocument').map((ref) => ({
    'BT-25': text(ref, 'ram:IssuerAssignedID'),
    'BT-26': ciiDate(one(ref, 'ram:FormattedIssueDateTime/qdt:DateTimeString')),
  }));

  const taxTotals = all(M, 'ram:TaxTotalAmount');
  const invoiceCurrency = inv['BT-5'];
  const inInvoiceCurrency = taxTotals.find((t) => attr(t, 'currencyID') === invoiceCurrency) ?? taxTotals.find((t) => attr(t, 'currencyID') === null) ?? null;
  const inTaxCurrency = inv['BT-6'] ? taxTotals.find((t) => attr(t, 'currencyID') === inv['BT-6'] && t !== inInvoiceCurrency) ?? null : null;
  inv['BG-22'] = {
    'BT-106': text(M, 'ram:LineTotalAmount'),
    'BT-107': text(M, 'ram:AllowanceTotalAmount'),
    'BT-108': text(M, 'ram:ChargeTotalAmount'),
    'BT-109': text(M, 'ram:TaxBasisTotalAmount'),
    'BT-110': text(inInvoiceCurrency),
    'BT-111': text(inTaxCurrency),
    'BT-112': text(M, 'ram:GrandTotalAmount'),
    'BT-113': text(M, 'ram:TotalPrepaidAmount'),
    'BT-114': text(M, 'ram:RoundingAmount'),
    'BT-115': text(M, 'ram:DuePayableAmount'),
  };

  inv['BG-25'] = all(S, 'ram:IncludedSupplyChainTradeLineItem').map(readLine);
  return inv;
}

function readLine(item: Element) {
  const line = emptyLine();
  const docLine = one(item, 'ram:AssociatedDocumentLineDocument');
  const product = one(item, 'ram:SpecifiedTradeProduct');
  const agreement = one(item, 'ram:SpecifiedLineTradeAgreement');
  const settlement = one(item, 'ram:SpecifiedLineTradeSettlement');
  const quantity = one(item, 'ram:SpecifiedLineTradeDelivery/ram:BilledQuantity');
  const net = one(agreement, 'ram:NetPriceProductTradePrice');
  const gross = one(agreement, 'ram:GrossPriceProductTradePrice');
  line['BT-126'] = text(docLine, 'ram:LineID');
  line['BT-127'] = all(docLine, 'ram:IncludedNote/ram:Content').map((n) => text(n)).filter(Boolean).join('\n') || null;
  line['BT-129'] = text(quantity);
  line['BT-130'] = attr(quantity, 'unitCode');
  line['BT-131'] = text(settlement, 'ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount');
  line['BT-132'] = text(agreement, 'ram:BuyerOrderReferencedDocument/ram:LineID');
  line['BT-133'] = text(settlement, 'ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID');
  const objectRef = all(settlement, 'ram:AdditionalReferencedDocument').find((r) => text(r, 'ram:TypeCode') === '130');
  const objectId = text(objectRef ?? null, 'ram:IssuerAssignedID');
  line['BT-128'] = objectId ? { id: objectId, scheme: text(objectRef ?? null, 'ram:ReferenceTypeCode') } : null;
  line['BG-26'] = readPeriod(one(settlement, 'ram:BillingSpecifiedPeriod'));
  const adjustments = all(settlement, 'ram:SpecifiedTradeAllowanceCharge').map(readAllowanceCharge);
  line['BG-27'] = adjustments.filter((a) => !a.charge);
  line['BG-28'] = adjustments.filter((a) => a.charge);
  line['BT-146'] = text(net, 'ram:ChargeAmount');
  line['BT-147'] = text(gross, 'ram:AppliedTradeAllowanceCharge/ram:ActualAmount');
  line['BT-148'] = text(gross, 'ram:ChargeAmount');
  const base = one(net, 'ram:BasisQuantity') ?? one(gross, 'ram:BasisQuantity');
  line['BT-149'] = text(base);
  line['BT-150'] = attr(base, 'unitCode');
  line['BT-151'] = text(settlement, 'ram:ApplicableTradeTax/ram:CategoryCode');
  line['BT-152'] = text(settlement, 'ram:ApplicableTradeTax/ram:RateApplicablePercent');
  line['BT-153'] = text(product, 'ram:Name');
  line['BT-154'] = text(product, 'ram:Description');
  line['BT-155'] = text(product, 'ram:SellerAssignedID');
  line['BT-156'] = text(product, 'ram:BuyerAssignedID');
  line['BT-157'] = identifier(one(product, 'ram:GlobalID'));
  line['BT-158'] = all(product, 'ram:DesignatedProductClassification/ram:ClassCode').map((c) => ({ id: text(c) ?? '', scheme: attr(c, 'listID') }));
  line['BT-159'] = text(product, 'ram:OriginTradeCountry/ram:ID');
  line['BG-32'] = all(product, 'ram:ApplicableProductCharacteristic').map((c) => ({ name: text(c, 'ram:Description'), value: text(c, 'ram:Value') }));
  return line;
}

function readAllowanceCharge(el: Element): AllowanceCharge {
  return {
    charge: text(el, 'ram:ChargeIndicator/udt:Indicator') === 'true',
    amount: text(el, 'ram:ActualAmount'),
    baseAmount: text(el, 'ram:BasisAmount'),
    percentage: text(el, 'ram:CalculationPercent'),
    vatCategory: text(el, 'ram:CategoryTradeTax/ram:CategoryCode'),
    vatRate: text(el, 'ram:CategoryTradeTax/ram:RateApplicablePercent'),
    reason: text(el, 'ram:Reason'),
    reasonCode: text(el, 'ram:ReasonCode'),
  };
}

function readParty(el: Element | null): Party {
  const party = emptyParty();
  if (!el) return party;
  party.name = text(el, 'ram:Name');
  party.ids = [...all(el, 'ram:ID'), ...all(el, 'ram:GlobalID')].map((id) => ({ id: text(id) ?? '', scheme: attr(id, 'schemeID') }));
  const legal = one(el, 'ram:SpecifiedLegalOrganization');
  party.legalId = identifier(one(legal, 'ram:ID'));
  party.tradingName = text(legal, 'ram:TradingBusinessName');
  party.legalInfo = text(el, 'ram:Description');
  party.vatId = vatOf(el, 'VA');
  party.taxRegistrationId = vatOf(el, 'FC');
  party.endpoint = identifier(one(el, 'ram:URIUniversalCommunication/ram:URIID'));
  party.address = readAddress(one(el, 'ram:PostalTradeAddress'));
  const contact = one(el, 'ram:DefinedTradeContact');
  party.contact = orNull({
    name: text(contact, 'ram:PersonName') ?? text(contact, 'ram:DepartmentName'),
    phone: text(contact, 'ram:TelephoneUniversalCommunication/ram:CompleteNumber'),
    email: text(contact, 'ram:EmailURIUniversalCommunication/ram:URIID'),
  });
  return party;
}

function vatOf(party: Element, scheme: 'VA' | 'FC'): string | null {
  const registration = all(party, 'ram:SpecifiedTaxRegistration/ram:ID').find((id) => attr(id, 'schemeID') === scheme);
  return text(registration ?? null);
}

/** A group whose terms are all absent is itself absent. */
function orNull<T extends object>(group: T): T | null {
  return Object.values(group).some((v) => v !== null) ? group : null;
}

function readAddress(el: Element | null): Address | null {
  if (!el) return null;
  return orNull({
    line1: text(el, 'ram:LineOne'),
    line2: text(el, 'ram:LineTwo'),
    line3: text(el, 'ram:LineThree'),
    city: text(el, 'ram:CityName'),
    postcode: text(el, 'ram:PostcodeCode'),
    subdivision: text(el, 'ram:CountrySubDivisionName'),
    country: text(el, 'ram:CountryID'),
  });
}

function readPeriod(el: Element | null): Period | null {
  if (!el) return null;
  return {
    start: ciiDate(one(el, 'ram:StartDateTime/udt:DateTimeString')),
    end: ciiDate(one(el, 'ram:EndDateTime/udt:DateTimeString')),
  };
}

function identifier(el: Element | null): Identifier | null {
  const id = text(el);
  return id ? { id, scheme: attr(el, 'schemeID') } : null;
}

/** Format 102 (YYYYMMDD) becomes YYYY-MM-DD; anything else is kept as written for the rules to flag. */
function ciiDate(el: Element | null): string | null {
  const value = text(el);
  if (!value) return null;
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : value;
}
