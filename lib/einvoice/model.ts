import type { UblStructure } from './peppol-structure';

/**
 * One model of an EN 16931 invoice for both syntaxes, keyed by the standard's business terms
 * (BT-n) and groups (BG-n) so rules read like the norm ("BT-115 = BT-112 − BT-113 + BT-114").
 * Amounts, quantities and rates are decimal strings exactly as written; dates are YYYY-MM-DD;
 * an absent term is null (or an empty list).
 */
export type Syntax = 'UBL' | 'CII';

export interface Identifier {
  id: string;
  scheme: string | null;
}

export interface Address {
  line1: string | null;
  line2: string | null;
  line3: string | null;
  city: string | null;
  postcode: string | null;
  subdivision: string | null;
  country: string | null;
}

export interface Contact {
  name: string | null;
  phone: string | null;
  email: string | null;
}

/** Seller (BG-4) and buyer (BG-7) share one shape; the BT numbers differ per role. */
export interface Party {
  /** BT-27 / BT-44 */
  name: string | null;
  /** BT-28 / BT-45 */
  tradingName: string | null;
  /** BT-29 / BT-46 */
  ids: Identifier[];
  /** BT-30 / BT-47 */
  legalId: Identifier | null;
  /** BT-31 / BT-48 */
  vatId: string | null;
  /** BT-32 (seller only: tax registration, scheme FC) */
  taxRegistrationId: string | null;
  /** BT-33 (seller only) */
  legalInfo: string | null;
  /** BT-34 / BT-49 */
  endpoint: Identifier | null;
  /** BG-5 / BG-8 */
  address: Address | null;
  /** BG-6 / BG-9 */
  contact: Contact | null;
}

export interface Payee {
  'BT-59': string | null;
  'BT-60': Identifier | null;
  'BT-61': Identifier | null;
}

export interface TaxRepresentative {
  'BT-62': string | null;
  'BT-63': string | null;
  'BG-12': Address | null;
}

export interface CreditTransfer {
  /** BT-84 account identifier (IBAN or proprietary) */
  'BT-84': string | null;
  'BT-85': string | null;
  'BT-86': string | null;
}

export interface PaymentInstructions {
  'BT-81': string | null;
  'BT-82': string | null;
  'BT-83': string | null;
  'BG-17': CreditTransfer[];
  /** BG-18 card: BT-87 account number (last digits), BT-88 holder */
  'BG-18': { 'BT-87': string | null; 'BT-88': string | null } | null;
  /** BG-19 direct debit: BT-89 mandate, BT-90 creditor id, BT-91 debited account */
  'BG-19': { 'BT-89': string | null; 'BT-90': string | null; 'BT-91': string | null } | null;
}

/** A document-level (BG-20/BG-21) or line-level (BG-27/BG-28) allowance or charge. */
export interface AllowanceCharge {
  charge: boolean;
  amount: string | null;
  baseAmount: string | null;
  percentage: string | null;
  /** document level only (BT-95/BT-102, BT-96/BT-103) */
  vatCategory: string | null;
  vatRate: string | null;
  reason: string | null;
  reasonCode: string | null;
}

export interface Totals {
  'BT-106': string | null;
  'BT-107': string | null;
  'BT-108': string | null;
  'BT-109': string | null;
  'BT-110': string | null;
  'BT-111': string | null;
  'BT-112': string | null;
  'BT-113': string | null;
  'BT-114': string | null;
  'BT-115': string | null;
}

export interface VatBreakdown {
  'BT-116': string | null;
  'BT-117': string | null;
  'BT-118': string | null;
  'BT-119': string | null;
  'BT-120': string | null;
  'BT-121': string | null;
}

export interface Period {
  start: string | null;
  end: string | null;
}

export interface DocumentReference {
  'BT-122': string | null;
  'BT-123': string | null;
  'BT-124': string | null;
  /** BT-125: the embedded binary's MIME type and file name; its content is not kept in the model */
  mimeCode: string | null;
  filename: string | null;
  hasContent: boolean;
}

export interface Line {
  'BT-126': string | null;
  'BT-127': string | null;
  'BT-128': Identifier | null;
  'BT-129': string | null;
  'BT-130': string | null;
  'BT-131': string | null;
  'BT-132': string | null;
  'BT-133': string | null;
  'BG-26': Period | null;
  'BG-27': AllowanceCharge[];
  'BG-28': AllowanceCharge[];
  /** BG-29 price: BT-146 net, BT-147 discount, BT-148 gross, BT-149/150 base quantity */
  'BT-146': string | null;
  'BT-147': string | null;
  'BT-148': string | null;
  'BT-149': string | null;
  'BT-150': string | null;
  /** BG-30 line VAT */
  'BT-151': string | null;
  'BT-152': string | null;
  /** BG-31 item */
  'BT-153': string | null;
  'BT-154': string | null;
  'BT-155': string | null;
  'BT-156': string | null;
  'BT-157': Identifier | null;
  'BT-158': Identifier[];
  'BT-159': string | null;
  /** BG-32 item attributes */
  'BG-32': { name: string | null; value: string | null }[];
}

export interface EInvoice {
  syntax: Syntax;
  'BT-1': string | null;
  'BT-2': string | null;
  'BT-3': string | null;
  'BT-5': string | null;
  'BT-6': string | null;
  'BT-7': string | null;
  'BT-8': string | null;
  'BT-9': string | null;
  'BT-10': string | null;
  'BT-11': string | null;
  'BT-12': string | null;
  'BT-13': string | null;
  'BT-14': string | null;
  'BT-15': string | null;
  'BT-16': string | null;
  'BT-17': string | null;
  'BT-18': Identifier | null;
  'BT-19': string | null;
  'BT-20': string | null;
  'BT-23': string | null;
  'BT-24': string | null;
  /** BG-1 notes: BT-21 subject code, BT-22 text */
  'BG-1': { 'BT-21': string | null; 'BT-22': string }[];
  /** BG-3 preceding invoices: BT-25 number, BT-26 date */
  'BG-3': { 'BT-25': string | null; 'BT-26': string | null }[];
  'BG-4': Party;
  'BG-7': Party;
  'BG-10': Payee | null;
  'BG-11': TaxRepresentative | null;
  /** BG-13 delivery: BT-70 name, BT-71 location id, BT-72 date, BG-15 address */
  'BG-13': { 'BT-70': string | null; 'BT-71': Identifier | null; 'BT-72': string | null; 'BG-15': Address | null } | null;
  'BG-14': Period | null;
  'BG-16': PaymentInstructions[];
  'BG-20': AllowanceCharge[];
  'BG-21': AllowanceCharge[];
  'BG-22': Totals;
  'BG-23': VatBreakdown[];
  'BG-24': DocumentReference[];
  'BG-25': Line[];
  /** what the Peppol rules need from a UBL document beyond the business terms (peppol-structure.ts); only set by the UBL reader */
  structure?: UblStructure;
}

export type Severity = 'fatal' | 'warning';

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  /** the business term or group concerned (BT-n / BG-n), and where known the line */
  element: string | null;
  /** the values the message names, for translating it (rule-messages-de.ts); absent when it names none */
  params?: Record<string, string>;
}

export function emptyParty(): Party {
  return { name: null, tradingName: null, ids: [], legalId: null, vatId: null, taxRegistrationId: null, legalInfo: null, endpoint: null, address: null, contact: null };
}

export function emptyTotals(): Totals {
  return { 'BT-106': null, 'BT-107': null, 'BT-108': null, 'BT-109': null, 'BT-110': null, 'BT-111': null, 'BT-112': null, 'BT-113': null, 'BT-114': null, 'BT-115': null };
}

export function emptyLine(): Line {
  return {
    'BT-126': null, 'BT-127': null, 'BT-128': null, 'BT-129': null, 'BT-130': null, 'BT-131': null, 'BT-132': null, 'BT-133': null,
    'BG-26': null, 'BG-27': [], 'BG-28': [],
    'BT-146': null, 'BT-147': null, 'BT-148': null, 'BT-149': null, 'BT-150': null,
    'BT-151': null, 'BT-152': null,
    'BT-153': null, 'BT-154': null, 'BT-155': null, 'BT-156': null, 'BT-157': null, 'BT-158': [], 'BT-159': null,
    'BG-32': [],
  };
}

export function emptyInvoice(syntax: Syntax): EInvoice {
  return {
    syntax,
    'BT-1': null, 'BT-2': null, 'BT-3': null, 'BT-5': null, 'BT-6': null, 'BT-7': null, 'BT-8': null, 'BT-9': null,
    'BT-10': null, 'BT-11': null, 'BT-12': null, 'BT-13': null, 'BT-14': null, 'BT-15': null, 'BT-16': null, 'BT-17': null,
    'BT-18': null, 'BT-19': null, 'BT-20': null, 'BT-23': null, 'BT-24': null,
    'BG-1': [], 'BG-3': [], 'BG-4': emptyParty(), 'BG-7': emptyParty(), 'BG-10': null, 'BG-11': null, 'BG-13': null,
    'BG-14': null, 'BG-16': [], 'BG-20': [], 'BG-21': [], 'BG-22': emptyTotals(), 'BG-23': [], 'BG-24': [], 'BG-25': [],
  };
}
