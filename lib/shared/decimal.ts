/**
 * Money as decimal strings (never floats): parsed into integer minor units at a fixed scale so
 * sums are exact. The scale covers ISO 4217 currencies with up to four decimals.
 */
export const DECIMAL_PATTERN = /^-?\d{1,15}(\.\d{1,4})?$/;
const SCALE = 4;

export function toUnits(value: string): bigint {
  if (!DECIMAL_PATTERN.test(value)) throw new Error(`not a decimal amount: ${value}`);
  // The digits with the fraction padded to the scale are the units, sign included: one BigInt
  // parse (totals of 100,000 invoices run this per row).
  const dot = value.indexOf('.');
  return BigInt(dot < 0 ? `${value}${'0'.repeat(SCALE)}` : `${value.slice(0, dot)}${value.slice(dot + 1).padEnd(SCALE, '0')}`);
}

export function fromUnits(units: bigint, decimals = 2): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / 10n ** BigInt(SCALE);
  const fraction = (abs % 10n ** BigInt(SCALE)).toString().padStart(SCALE, '0');
  const shown = fraction.slice(0, Math.max(decimals, fraction.replace(/0+$/, '').length));
  return `${negative ? '-' : ''}${whole}${shown ? `.${shown}` : ''}`;
}

export function formatMoney(value: string, currency: string, locale?: string): string {
  const { decimals, format } = moneyFormat(currency, locale);
  const units = toUnits(value);
  // Intl formats from a string without float rounding (ES2023 "exact decimal" strings).
  return format.format(fromUnits(units, decimals) as unknown as number);
}

// Made once per locale and currency: a list formats an amount a row on every render of the rows
// on screen, and making an Intl.NumberFormat costs far more than formatting with one.
const MONEY_FORMATS = new Map<string, { decimals: number; format: Intl.NumberFormat }>();
const MONEY_FORMATS_KEPT = 256;

function moneyFormat(currency: string, locale: string | undefined): { decimals: number; format: Intl.NumberFormat } {
  const key = `${locale ?? ''}|${currency}`;
  let kept = MONEY_FORMATS.get(key);
  if (!kept) {
    const decimals = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    kept = { decimals, format: new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: decimals }) };
    if (MONEY_FORMATS.size >= MONEY_FORMATS_KEPT) MONEY_FORMATS.clear();
    MONEY_FORMATS.set(key, kept);
  }
  return kept;
}
