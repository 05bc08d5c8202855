import { DECIMAL_PATTERN } from '@/lib/shared/decimal';

/**
 * Reading what people type: amounts and dates in the way of their locale. Both return the
 * machine form the rest of the code uses (a decimal string, YYYY-MM-DD) or null when the input
 * cannot be read unambiguously; they never guess silently between readings that differ.
 */

interface Separators {
  group: string;
  decimal: string;
}

function separators(tag: string): Separators {
  const parts = new Intl.NumberFormat(tag).formatToParts(12345.6);
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  // Thin and no-break spaces (fr, de-CH uses ’) are typed as ordinary spaces.
  return { group: /\s/.test(group) ? ' ' : group, decimal };
}

/** The decimal sign of a locale, for hints and CSV. */
export function decimalSeparator(tag: string): string {
  return separators(tag).decimal;
}

function isGrouped(whole: string, group: string): boolean {
  const groups = whole.split(group);
  return groups.length > 1 && /^\d{1,3}$/.test(groups[0]!) && groups.slice(1).every((g) => /^\d{3}$/.test(g));
}

/**
 * An amount as typed in the locale `tag`: "1.250,00" and "1250,5" in de-DE, "1,250.00" in en-US.
 * The other convention's decimal sign is accepted where it cannot be a group separator (a single
 * one followed by 1, 2 or 4 digits: "12.5" in de-DE, "12,50" in en-US); "1.250" in de-DE is
 * one thousand two hundred fifty. Currency signs and spaces are ignored.
 * Returns an exact decimal string ("1250.00" → "1250.00") or null.
 */
export function parseAmount(input: string, tag: string): string | null {
  const { group, decimal } = separators(tag);
  // Currency signs and codes around the number are ignored ("€ 1.250,00", "1,250.00 EUR").
  let text = input.normalize('NFKC').replace(/\p{Sc}|\b[A-Z]{3}\b/gu, '').trim();
  text = group === ' ' ? text.replace(/\s+/g, ' ') : text.replace(/\s+/g, '');
  const negative = /^[-−]/.test(text);
  text = text.replace(/^[-−+]/, '');
  if (!/^[\d.,' ’]+$/.test(text) || !/^\d/.test(text) || !/\d$/.test(text)) return null;

  const other = decimal === ',' ? '.' : ',';
  let whole: string;
  let fraction = '';
  const lastDecimal = text.lastIndexOf(decimal);
  if (lastDecimal !== -1 && text.indexOf(decimal) === lastDecimal) {
    whole = text.slice(0, lastDecimal);
    fraction = text.slice(lastDecimal + 1);
    if (!/^\d+$/.test(fraction)) return null;
  } else if (lastDecimal !== -1) {
    return null;
  } else {
    whole = text;
  }
  if (!/^\d+$/.test(whole)) {
    if (isGrouped(whole, group)) whole = whole.split(group).join('');
    else if (!fraction && whole.split(other).length === 2 && /^\d+$/.test(whole.replace(other, '')) && /^\d{1,2}$|^\d{4}$/.test(whole.split(other)[1]!)) {
      // "12.5" in de-DE: the other convention's decimal point (never a valid group of three).
      [whole, fraction] = whole.split(other) as [string, string];
    } else return null;
  }
  const value = `${negative ? '-' : ''}${whole.replace(/^0+(?=\d)/, '')}${fraction ? `.${fraction}` : ''}`;
  return DECIMAL_PATTERN.test(value) ? value : null;
}

type Field = 'day' | 'month' | 'year';

function dateOrder(tag: string): Field[] {
  return new Intl.DateTimeFormat(tag, { day: '2-digit', month: '2-digit', year: 'numeric' })
    .formatToParts(new Date(Date.UTC(2026, 10, 30)))
    .map((p) => p.type)
    .filter((t): t is Field => t === 'day' || t === 'month' || t === 'year');
}

function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A date as typed in the locale `tag` ("30.11.2026" or "30.11.26" in de-DE, "11/30/2026" in
 * en-US, "30/11/2026" in en-GB) or in ISO form ("2026-11-30", always accepted). Two-digit years
 * are 2000–2099. Returns YYYY-MM-DD or null for anything that is not a real calendar date.
 */
export function parseDate(input: string, tag: string): string | null {
  const text = input.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (iso) return isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const parts = text.split(/\s*[./\-]\s*|\s+/).filter(Boolean);
  if (parts.length !== 3 || !parts.every((p) => /^\d+$/.test(p))) return null;
  const order = dateOrder(tag);
  if (order.length !== 3) return null;
  const value: Partial<Record<Field, string>> = {};
  order.forEach((field, i) => (value[field] = parts[i]));
  const yearText = value.year!;
  if (!(yearText.length === 2 || yearText.length === 4) || value.day!.length > 2 || value.month!.length > 2) return null;
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  return isoDate(year, Number(value.month), Number(value.day));
}

/** The way a date is typed in this locale, as a hint: "TT.MM.JJJJ" comes from the catalog; this is the example. */
export function dateInputExample(tag: string): string {
  return new Intl.DateTimeFormat(tag, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 11, 31)));
}
