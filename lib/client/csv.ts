/** Byte order mark: spreadsheet apps read the file as UTF-8 only when it starts with one. */
const BOM = '\uFEFF';

/** A plain number is data, not a formula, even with a leading minus: it stays a number. */
const PLAIN_NUMBER = /^-?\d+([.,]\d+)?$/;

/**
 * How a spreadsheet of the user's locale splits a file: German Excel and LibreOffice expect `;`
 * between cells and `,` as the decimal sign; English ones `,` and `.`.
 */
export interface CsvFormat {
  separator: ',' | ';';
  decimal: '.' | ',';
}

export const CSV_INTERNATIONAL: CsvFormat = { separator: ',', decimal: '.' };
export const CSV_EUROPEAN: CsvFormat = { separator: ';', decimal: ',' };

/** The format a spreadsheet in this locale opens by default: decided by its decimal sign. */
export function csvFormatFor(tag: string): CsvFormat {
  const decimal = new Intl.NumberFormat(tag).formatToParts(1.5).find((p) => p.type === 'decimal')?.value;
  return decimal === ',' ? CSV_EUROPEAN : CSV_INTERNATIONAL;
}

/** A decimal amount ("1250.50") written with the format's decimal sign. */
export function csvAmount(value: string, format: CsvFormat): string {
  return format.decimal === ',' ? value.replace('.', ',') : value;
}

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma or line break, quotes doubled.
 * A cell a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) gets
 * a leading apostrophe, so a supplier-chosen invoice number cannot become `=HYPERLINK(…)` on the
 * customer's machine (OWASP "CSV injection").
 */
export function csvCell(value: string, separator: CsvFormat['separator'] = ','): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  const special = separator === ';' ? /[";\r\n]/ : /[",\r\n]/;
  return special.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A whole file: BOM, CRLF between records (RFC 4180), no trailing line break. */
export function toCsv(rows: readonly (readonly string[])[], separator: CsvFormat['separator'] = ','): string {
  return BOM + rows.map((row) => row.map((cell) => csvCell(cell, separator)).join(separator)).join('\r\n');
}
