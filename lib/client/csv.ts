/** Byte order mark: spreadsheet apps read the file as UTF-8 only when it starts with one. */
const BOM = '\uFEFF';

/** A plain number is data, not a formula, even with a leading minus: it stays a number. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma or line break, quotes doubled.
 * A cell a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) gets
 * a leading apostrophe, so a supplier-chosen invoice number cannot become `=HYPERLINK(…)` on the
 * customer's machine (OWASP "CSV injection").
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A whole file: BOM, CRLF between records (RFC 4180), no trailing line break. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return BOM + rows.map((row) => row.map(csvCell).join(',')).join('\r\n');
}
