import { formatMoney as formatDecimalMoney } from '@/lib/shared/decimal';
import type { Translate } from './index';

/**
 * Every number, amount, date and status the interface shows goes through here, in the user's
 * locale. Amounts stay exact decimal strings (lib/shared/decimal.ts) until Intl formats them.
 */
export interface Formatter {
  money(value: string, currency: string): string;
  /** A calendar date (YYYY-MM-DD, as in invoice headers) or the date of an ISO timestamp. */
  date(value: string): string;
  /** A calendar date as typed in a date field of this locale ("30.11.2026", "11/30/2026"). */
  dateInput(value: string): string;
  dateTime(value: string | Date): string;
  number(value: number): string;
  bytes(value: number): string;
  status(status: string): string;
  event(type: string): string;
  /** A member's role in an organization ("owner" → "Inhaber"). */
  role(role: string): string;
  /** An audit-log action ("account.sign_in" → "Signed in"); an action without a name stays as it is. */
  auditAction(action: string): string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD date as the instant of its UTC midnight, formatted in UTC so it never shifts a day. */
function calendarDate(value: string): { date: Date; timeZone?: string } {
  if (ISO_DATE.test(value)) return { date: new Date(`${value}T00:00:00Z`), timeZone: 'UTC' };
  return { date: new Date(value) };
}

export function createFormatter(t: Translate): Formatter {
  const tag = t.tag;
  const number = new Intl.NumberFormat(tag);
  const oneDecimal = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const valid = (d: Date) => !Number.isNaN(d.getTime());
  // Each kind of date format made once (in UTC for calendar dates, else in the local zone): making
  // an Intl.DateTimeFormat costs far more than formatting with one, and a list formats two dates
  // a row on every render of the rows on screen.
  const dateFormats = new Map<string, Intl.DateTimeFormat>();
  const dateFormat = (kind: 'date' | 'dateInput' | 'dateTime', timeZone: string | undefined): Intl.DateTimeFormat => {
    const key = `${kind}|${timeZone ?? ''}`;
    let format = dateFormats.get(key);
    if (!format) {
      const options: Intl.DateTimeFormatOptions =
        kind === 'date' ? { dateStyle: 'medium', timeZone } : kind === 'dateInput' ? { day: '2-digit', month: '2-digit', year: 'numeric', timeZone } : { dateStyle: 'medium', timeStyle: 'short' };
      dateFormats.set(key, (format = new Intl.DateTimeFormat(tag, options)));
    }
    return format;
  };
  return {
    money: (value, currency) => formatDecimalMoney(value, currency, tag),
    date(value) {
      const { date, timeZone } = calendarDate(value);
      return valid(date) ? dateFormat('date', timeZone).format(date) : value;
    },
    dateInput(value) {
      const { date, timeZone } = calendarDate(value);
      return valid(date) ? dateFormat('dateInput', timeZone).format(date) : value;
    },
    dateTime(value) {
      const date = typeof value === 'string' ? new Date(value) : value;
      return valid(date) ? dateFormat('dateTime', undefined).format(date) : String(value);
    },
    number: (value) => number.format(value),
    bytes(value) {
      if (value < 1024) return `${number.format(value)} B`;
      if (value < 1024 * 1024) return `${oneDecimal.format(value / 1024)} KiB`;
      if (value < 1024 ** 3) return `${oneDecimal.format(value / 1024 / 1024)} MiB`;
      return `${oneDecimal.format(value / 1024 ** 3)} GiB`;
    },
    status: (status) => {
      const key = `status.${status}`;
      return t.has(key) ? t(key) : status;
    },
    role: (role) => {
      const key = `role.${role}`;
      return t.has(key) ? t(key) : role;
    },
    event: (type) => {
      const key = `event.${type}`;
      return t.has(key) ? t(key) : type;
    },
    auditAction: (action) => {
      const key = `audit.${action}`;
      return t.has(key) ? t(key) : action;
    },
  };
}
