import { readUblStructure } from './peppol-structure';
import { all, attr, one, text, type Element } from './xml';
import { emptyInvoice, emptyLine, emptyParty, type Address, type AllowanceCharge, type EInvoice, type Identifier, type Party, type Period } from './model';

/** Reads a UBL 2.1 Invoice or CreditNote (Peppol BIS 3.0, XRechnung UBL). */
export function readUbl(root: Element, creditNote: boolean): EInvoice {
  const inv = emptyInvoice('UBL');
  inv['BT-24'] = text(root, 'cbc:CustomizationID');
  inv['BT-23'] = text(root, 'cbc:ProfileID');
  inv['BT-1'] = text(root, 'cbc:ID');
  inv['BT-2'] = text(root, 'cbc:IssueDate');
  inv['BT-3'] = text(root, creditNote ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode');
  inv['BT-9'] = creditNote ? text(root, 'cac:PaymentMeans/cbc:PaymentDueDate') : text(root, 'cbc:DueDate');
  inv['BT-5'] = text(root, 'cbc:DocumentCurrencyCode');
  inv['BT-6'] = text(root, 'cbc:TaxCurrencyCode');
  inv['BT-7'] = text(root, 'cbc:TaxPointDate');
  inv['BT-8'] = text(root, 'cac:InvoicePeriod/cbc:DescriptionCode');
  inv['BT-10'] = text(root, 'cbc:BuyerReference');
  inv['BT-11'] = text(root, 'cac:ProjectReference/cbc:ID');
  inv['BT-12'] = text(root, 'cac:ContractDocumentReference/cbc:ID');
  inv['BT-13'] = text(root, 'cac:OrderReference/cbc:ID');
  inv['BT-14'] = text(root, 'cac:OrderReference/cbc:SalesOrderID');
  inv['BT-15'] = text(root, 'cac:ReceiptDocumentReference/cbc:ID');
  inv['BT-16'] = text(root, 'cac:DespatchDocumentReference/cbc:ID');
  inv['BT-17'] = text(root, 'cac:OriginatorDocumentReference/cbc:ID');
  inv['BT-19'] = text(root, 'cbc:AccountingCost');
  inv['BT-20'] = all(root, 'cac:PaymentTerms/cbc:Note').map((n) => text(n)).filter(Boolean).join('\n') || null;
  inv['BG-1'] = all(root, 'cbc:Note').flatMap((note) => {
    const content = text(note);
    if (!content) return [];
    // UBL carries the subject code (BT-21) as a #CODE# prefix of the note.
    const coded = /^#([A-Z]{3})#([\s\S]*)$/.exec(content);
    return [coded ? { 'BT-21': coded[1] ?? null, 'BT-22': (coded[2] ?? '').trim() } : { 'BT-21': null, 'BT-22': content }];
  });
  inv['BG-3'] = all(root, 'cac:BillingReference/cac:InvoiceDocumentReference').map((ref) => ({
    'BT-25': text(ref, 'cbc:ID'),
    'BT-26': text(ref, 'cbc:IssueDate'),
  }));
  for (const ref of all(root, 'cac:AdditionalDocumentReference')) {
    const type = text(ref, 'cbc:DocumentTypeCode');
    if (type === '130') {
      const id = one(ref, 'cbc:ID');
      inv['BT-18'] = identifier(id);
      continue;
    }
    const binary = one(ref, 'cac:Attachment/cbc:EmbeddedDocumentBinaryObject');
    inv['BG-24'].push({
      'BT-122': text(ref, 'cbc:ID'),
      'BT-123': text(ref, 'cbc:DocumentDescription'),
      'BT-124': text(ref, 'cac:Attachment/cac:ExternalReference/cbc:URI'),
      mimeCode: attr(binary, 'mimeCode'),
      filename: attr(binary, 'filename'),
      hasContent: binary !== null && Boolean(binary.textContent?.trim()),
    });
  }

  inv['BG-4'] = readParty(one(root, 'cac:AccountingSupplierParty/cac:Party'));
  inv['BG-7'] = readParty(one(root, 'cac:AccountingCustomerParty/cac:Party'));
  const payee = one(root, 'cac:PayeeParty');
  if (payee) {
    inv['BG-10'] = {
      'BT-59': text(payee, 'cac:PartyName/cbc:Name'),
      'BT-60': identifier(one(payee, 'cac:PartyIdentification/cbc:ID')),
      'BT-61': identifier(one(payee, 'cac:PartyLegalEntity/cbc:CompanyID')),
    };
  }
  const rep = one(root, 'cac:TaxRepresentativeParty');
  if (rep) {
    inv['BG-11'] = {
      'BT-62': text(rep, 'cac:PartyName/cbc:Name'),
      'BT-63': vatOf(rep),
      'BG-12': readAddress(one(rep, 'cac:PostalAddress')),
    };
  }
  const delivery = one(root, 'cac:Delivery');
  if (delivery) {
    inv['BG-13'] = orNull({
      'BT-70': text(delivery, 'cac:DeliveryParty/cac:PartyName/cbc:Name'),
      'BT-71': identifier(one(delivery, 'cac:DeliveryLocation/cbc:ID')),
      'BT-72': text(delivery, 'cbc:ActualDeliveryDate'),
      'BG-15': readAddress(one(delivery, 'cac:DeliveryLocation/cac:Address')),
    });
  }
  inv['BG-14'] = readPeriod(one(root, 'cac:InvoicePeriod'));

  const mandate = one(root, 'cac:PaymentMeans/cac:PaymentMandate');
  inv['BG-16'] = all(root, 'cac:PaymentMeans').map((means) => {
    const card = one(means, 'cac:CardAccount');
    const debit = one(means, 'cac:PaymentMandate');
    const accounts = all(means, 'cac:PayeeFinancialAccount');
    return {
      'BT-81': text(means, 'cbc:PaymentMeansCode'),
      'BT-82': attr(one(means, 'cbc:PaymentMeansCode'), 'name'),
      'BT-83': text(means, 'cbc:PaymentID'),
      'BG-17': accounts.map((account) => ({
        'BT-84': text(account, 'cbc:ID'),
        'BT-85': text(account, 'cbc:Name'),
        'BT-86': text(account, 'cac:FinancialInstitutionBranch/cbc:ID'),
      })),
      'BG-18': card ? { 'BT-87': text(card, 'cbc:PrimaryAccountNumberID'), 'BT-88': text(card, 'cbc:HolderName') } : null,
      'BG-19': debit
        ? {
            'BT-89': text(debit, 'cbc:ID'),
            'BT-90': creditorId(root),
            'BT-91': text(debit, 'cac:PayerFinancialAccount/cbc:ID'),
          }
        : null,
    };
  });
  if (!mandate && inv['BG-16'].length > 0 && creditorId(root)) {
    const first = inv['BG-16'][0];
    if (first) first['BG-19'] = { 'BT-89': null, 'BT-90': creditorId(root), 'BT-91': null };
  }

  const allowances = all(root, 'cac:AllowanceCharge').map((el) => readAllowanceCharge(el, true));
  inv['BG-20'] = allowances.filter((a) => !a.charge);
  inv['BG-21'] = allowances.filter((a) => a.charge);

  const taxTotals = all(root, 'cac:TaxTotal');
  const currency = inv['BT-5'];
  const main = taxTotals.find((t) => attr(one(t, 'cbc:TaxAmount'), 'currencyID') === currency) ?? taxTotals[0] ?? null;
  const accounting = inv['BT-6'] ? taxTotals.find((t) => t !== main && attr(one(t, 'cbc:TaxAmount'), 'currencyID') === inv['BT-6']) ?? null : null;
  inv['BG-23'] = all(main, 'cac:TaxSubtotal').map((sub) => ({
    'BT-116': text(sub, 'cbc:TaxableAmount'),
    'BT-117': text(sub, 'cbc:TaxAmount'),
    'BT-118': text(sub, 'cac:TaxCategory/cbc:ID'),
    'BT-119': text(sub, 'cac:TaxCategory/cbc:Percent'),
    'BT-120': text(sub, 'cac:TaxCategory/cbc:TaxExemptionReason'),
    'BT-121': text(sub, 'cac:TaxCategory/cbc:TaxExemptionReasonCode'),
  }));
  const M = one(root, 'cac:LegalMonetaryTotal');
  inv['BG-22'] = {
    'BT-106': text(M, 'cbc:LineExtensionAmount'),
    'BT-107': text(M, 'cbc:AllowanceTotalAmount'),
    'BT-108': text(M, 'cbc:ChargeTotalAmount'),
    'BT-109': text(M, 'cbc:TaxExclusiveAmount'),
    'BT-110': text(main, 'cbc:TaxAmount'),
    'BT-111': text(accounting, 'cbc:TaxAmount'),
    'BT-112': text(M, 'cbc:TaxInclusiveAmount'),
    'BT-113': text(M, 'cbc:PrepaidAmount'),
    'BT-114': text(M, 'cbc:PayableRoundingAmount'),
    'BT-115': text(M, 'cbc:PayableAmount'),
  };

  inv['BG-25'] = all(root, creditNote ? 'cac:CreditNoteLine' : 'cac:InvoiceLine').map((el) => readLine(el, creditNote));
  inv.structure = readUblStructure(root, creditNote);
  return inv;
}

function creditorId(root: Element): string | null {
  // BT-90 (SEPA creditor id) is a party identifier with scheme "SEPA" on the seller or payee.
  const ids = [...all(root, 'cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID'), ...all(root, 'cac:PayeeParty/cac:PartyIdentification/cbc:ID')];
  return text(ids.find((id) => attr(id, 'schemeID') === 'SEPA') ?? null);
}

function readLine(el: Element, creditNote: boolean) {
  const line = emptyLine();
  const quantity = one(el, creditNote ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity');
  const item = one(el, 'cac:Item');
  const price = one(el, 'cac:Price');
  const base = one(price, 'cbc:BaseQuantity');
  line['BT-126'] = text(el, 'cbc:ID');
  line['BT-127'] = text(el, 'cbc:Note');
  line['BT-129'] = text(quantity);
  line['BT-130'] = attr(quantity, 'unitCode');
  line['BT-131'] = text(el, 'cbc:LineExtensionAmount');
  line['BT-132'] = text(el, 'cac:OrderLineReference/cbc:LineID');
  line['BT-133'] = text(el, 'cbc:AccountingCost');
  line['BT-128'] = identifier(one(el, 'cac:DocumentReference/cbc:ID'));
  line['BG-26'] = readPeriod(one(el, 'cac:InvoicePeriod'));
  const adjustments = all(el, 'cac:AllowanceCharge').map((a) => readAllowanceCharge(a, false));
  line['BG-27'] = adjustments.filter((a) => !a.charge);
  line['BG-28'] = adjustments.filter((a) => a.charge);
  line['BT-146'] = text(price, 'cbc:PriceAmount');
  line['BT-147'] = text(price, 'cac:AllowanceCharge/cbc:Amount');
  line['BT-148'] = text(price, 'cac:AllowanceCharge/cbc:BaseAmount');
  line['BT-149'] = text(base);
  line['BT-150'] = attr(base, 'unitCode');
  line['BT-151'] = text(item, 'cac:ClassifiedTaxCategory/cbc:ID');
  line['BT-152'] = text(item, 'cac:ClassifiedTaxCategory/cbc:Percent');
  line['BT-153'] = text(item, 'cbc:Name');
  line['BT-154'] = text(item, 'cbc:Description');
  line['BT-155'] = text(item, 'cac:SellersItemIdentification/cbc:ID');
  line['BT-156'] = text(item, 'cac:BuyersItemIdentification/cbc:ID');
  line['BT-157'] = identifier(one(item, 'cac:StandardItemIdentification/cbc:ID'));
  line['BT-158'] = all(item, 'cac:CommodityClassification/cbc:ItemClassificationCode').map((c) => ({ id: text(c) ?? '', scheme: attr(c, 'listID') }));
  line['BT-159'] = text(item, 'cac:OriginCountry/cbc:IdentificationCode');
  line['BG-32'] = all(item, 'cac:AdditionalItemProperty').map((p) => ({ name: text(p, 'cbc:Name'), value: text(p, 'cbc:Value') }));
  return line;
}

function readAllowanceCharge(el: Element, documentLevel: boolean): AllowanceCharge {
  return {
    charge: text(el, 'cbc:ChargeIndicator') === 'true',
    amount: text(el, 'cbc:Amount'),
    baseAmount: text(el, 'cbc:BaseAmount'),
    percentage: text(el, 'cbc:MultiplierFactorNumeric'),
    vatCategory: documentLevel ? text(el, 'cac:TaxCategory/cbc:ID') : null,
    vatRate: documentLevel ? text(el, 'cac:TaxCategory/cbc:Percent') : null,
    reason: text(el, 'cbc:AllowanceChargeReason'),
    reasonCode: text(el, 'cbc:AllowanceChargeReasonCode'),
  };
}

function readParty(el: Element | null): Party {
  const party = emptyParty();
  if (!el) return party;
  const legal = one(el, 'cac:PartyLegalEntity');
  party.name = text(legal, 'cbc:RegistrationName');
  party.tradingName = text(el, 'cac:PartyName/cbc:Name');
  party.ids = all(el, 'cac:PartyIdentification/cbc:ID')
    .filter((id) => attr(id, 'schemeID') !== 'SEPA')
    .map((id) => ({ id: text(id) ?? '', scheme: attr(id, 'schemeID') }));
  party.legalId = identifier(one(legal, 'cbc:CompanyID'));
  party.legalInfo = text(legal, 'cbc:CompanyLegalForm');
  party.vatId = vatOf(el);
  const schemes = all(el, 'cac:PartyTaxScheme');
  party.taxRegistrationId = text(schemes.find((s) => text(s, 'cac:TaxScheme/cbc:ID') !== 'VAT') ?? null, 'cbc:CompanyID');
  party.endpoint = identifier(one(el, 'cbc:EndpointID'));
  party.address = readAddress(one(el, 'cac:PostalAddress'));
  const contact = one(el, 'cac:Contact');
  party.contact = orNull({ name: text(contact, 'cbc:Name'), phone: text(contact, 'cbc:Telephone'), email: text(contact, 'cbc:ElectronicMail') });
  return party;
}

function vatOf(party: Element): string | null {
  const scheme = all(party, 'cac:PartyTaxScheme').find((s) => text(s, 'cac:TaxScheme/cbc:ID') === 'VAT');
  return text(scheme ?? null, 'cbc:CompanyID');
}

/** A group whose terms are all absent is itself absent. */
function orNull<T extends object>(group: T): T | null {
  return Object.values(group).some((v) => v !== null) ? group : null;
}

function readAddress(el: Element | null): Address | null {
  if (!el) return null;
  return orNull({
    line1: text(el, 'cbc:StreetName'),
    line2: text(el, 'cbc:AdditionalStreetName'),
    line3: text(el, 'cac:AddressLine/cbc:Line'),
    city: text(el, 'cbc:CityName'),
    postcode: text(el, 'cbc:PostalZone'),
    subdivision: text(el, 'cbc:CountrySubentity'),
    country: text(el, 'cac:Country/cbc:IdentificationCode'),
  });
}

function readPeriod(el: Element | null): Period | null {
  if (!el) return null;
  const start = text(el, 'cbc:StartDate');
  const end = text(el, 'cbc:EndDate');
  return start || end ? { start, end } : null;
}

function identifier(el: Element | null): Identifier | null {
  const id = text(el);
  return id ? { id, scheme: attr(el, 'schemeID') } : null;
}
