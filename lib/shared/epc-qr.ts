import qrcode from 'qrcode-generator';
import { DECIMAL_PATTERN, toUnits } from './decimal';
import { normalizeIban } from './iban';
import type { MessageKey, MessageRef } from './i18n';

/**
 * The EPC QR code ("GiroCode", EPC069-12 version 002): a SEPA credit transfer a banking app can
 * scan. Built only from the supplier-signed header; anything the format cannot carry faithfully
 * is refused rather than shortened, so the code never pays a different amount or reference than
 * the invoice shows.
 */
export interface EpcTransfer {
  currency: string;
  /** Decimal string, as in the invoice header. */
  amount: string;
  beneficiaryName: string;
  iban: string;
  /** Optional in version 002. */
  bic?: string;
  /** The remittance reference: an ISO 11649 creditor reference (RF…) goes in the structured field. */
  reference?: string;
  /** Four-letter ISO 20022 purpose code, optional. */
  purpose?: string;
  /** Shown to the payer by the banking app, not sent with the transfer (≤ 70). */
  note?: string;
}

/** Refused with a catalog message (epc.*), worded in the payer's language where it is shown. */
export type EpcPayload = { ok: true; payload: string } | { ok: false; reason: MessageRef };

const MAX_BYTES = 331;
const MAX_UNITS = toUnits('999999999.99');
// decimal.ts keeps four decimals; EUR has two.
const CENT_UNITS = 100n;

/** ISO 11649 creditor reference: RF, two check digits, 1–21 letters or digits, mod 97 = 1. */
export function isCreditorReference(input: string): boolean {
  const ref = input.replace(/\s+/g, '').toUpperCase();
  if (!/^RF\d{2}[A-Z0-9]{1,21}$/.test(ref)) return false;
  let remainder = 0;
  for (const char of ref.slice(4) + ref.slice(0, 4)) {
    const digits = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1;
}

/** "EUR" and the amount with at most two decimals, no leading or trailing zeros (EPC069-12: EUR12.3). */
function formatEpcAmount(units: bigint): string {
  const cents = units / CENT_UNITS;
  const whole = cents / 100n;
  const fraction = (cents % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return `EUR${whole}${fraction ? `.${fraction}` : ''}`;
}

function tooLong(field: 'payee' | 'iban' | 'creditor_reference' | 'remittance' | 'note', value: string, max: number): MessageRef | null {
  return [...value].length > max ? { key: `epc.too_long.${field}`, params: { max } } : null;
}

/**
 * The EPC069-12 v002 payload: BCD, 002, 1 (UTF-8), SCT, BIC, name, IBAN, amount, purpose,
 * structured reference, unstructured remittance, note; LF between lines, and nothing after the
 * last populated line. The reason when refused is meant for the payer.
 */
export function buildEpcPayload(transfer: EpcTransfer): EpcPayload {
  const refuse = (reason: MessageRef | MessageKey): EpcPayload => ({ ok: false, reason: typeof reason === 'string' ? { key: reason } : reason });
  if (transfer.currency !== 'EUR') return refuse({ key: 'epc.not_euro', params: { currency: transfer.currency } });
  if (!DECIMAL_PATTERN.test(transfer.amount)) return refuse('epc.not_decimal');
  const units = toUnits(transfer.amount);
  if (units <= 0n) return refuse('epc.nothing_to_pay');
  if (units % CENT_UNITS !== 0n) return refuse('epc.fraction_of_cent');
  if (units > MAX_UNITS) return refuse('epc.too_large');

  const name = transfer.beneficiaryName.trim();
  const iban = normalizeIban(transfer.iban);
  const bic = (transfer.bic ?? '').trim().toUpperCase();
  const purpose = (transfer.purpose ?? '').trim().toUpperCase();
  const reference = (transfer.reference ?? '').trim();
  const note = (transfer.note ?? '').trim();
  const structured = isCreditorReference(reference) ? reference.replace(/\s+/g, '').toUpperCase() : '';
  const unstructured = structured ? '' : reference;

  if (!name) return refuse('epc.no_payee');
  if ([name, iban, bic, purpose, reference, note].some((v) => /[\r\n]/.test(v))) return refuse('epc.line_break');
  if (bic && !/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic)) return refuse('epc.bad_bic');
  if (purpose && !/^[A-Z0-9]{1,4}$/.test(purpose)) return refuse('epc.bad_purpose');
  const problem =
    tooLong('payee', name, 70) ??
    tooLong('iban', iban, 34) ??
    tooLong('creditor_reference', structured, 35) ??
    tooLong('remittance', unstructured, 140) ??
    tooLong('note', note, 70);
  if (problem) return refuse(problem);

  const lines = ['BCD', '002', '1', 'SCT', bic, name, iban, formatEpcAmount(units), purpose, structured, unstructured, note];
  while (lines.at(-1) === '') lines.pop();
  const payload = lines.join('\n');
  if (new TextEncoder().encode(payload).byteLength > MAX_BYTES) return refuse({ key: 'epc.too_many_bytes', params: { max: MAX_BYTES } });
  return { ok: true, payload };
}

/**
 * The QR symbol for a payload as a square of dark (true) and light modules, without the quiet
 * zone. Byte mode over the payload's UTF-8 bytes (character set 1) and error correction level M,
 * as EPC069-12 requires. The library maps each char code to one byte, so it gets the UTF-8 bytes
 * one per char.
 */
export function encodeQrMatrix(payload: string): boolean[][] {
  const bytes = new TextEncoder().encode(payload);
  const code = qrcode(0, 'M');
  code.addData(String.fromCharCode(...bytes), 'Byte');
  code.make();
  const size = code.getModuleCount();
  return Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, col) => code.isDark(row, col)));
}
