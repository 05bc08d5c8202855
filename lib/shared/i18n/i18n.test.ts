import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATALOGS } from './messages';
import { fromUnits, toUnits } from '@/lib/shared/decimal';
import { createFormatter } from './format';
import { createTranslate } from './index';
import { parseAcceptLanguage, resolveLocale } from './locales';
import { parseAmount, parseDate } from './parse';
import { formatMessage, parseMessage } from './translate';

const de = createTranslate({ locale: 'de', tag: 'de-DE' });
const en = createTranslate({ locale: 'en', tag: 'en-US' });

describe('catalogs', () => {
  it('have the same keys in German and English, and every message parses', () => {
    expect(Object.keys(CATALOGS.de).sort()).toEqual(Object.keys(CATALOGS.en).sort());
    for (const catalog of Object.values(CATALOGS)) for (const source of Object.values(catalog)) expect(() => parseMessage(source)).not.toThrow();
  });

  it('use the same parameters in both languages', () => {
    const names = (source: string) => [...source.matchAll(/\{(\w+)/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(CATALOGS.en) as (keyof typeof CATALOGS.en)[]) expect(names(CATALOGS.de[key]), key).toEqual(names(CATALOGS.en[key]));
  });
});

describe('formatMessage', () => {
  it('inserts parameters and picks plural forms by the locale', () => {
    const source = '{count, plural, =0 {no invoices} one {# invoice} other {# invoices}} for {name}';
    expect(formatMessage(source, { count: 0, name: 'Acme' }, { tag: 'en' })).toBe('no invoices for Acme');
    expect(formatMessage(source, { count: 1, name: 'Acme' }, { tag: 'en' })).toBe('1 invoice for Acme');
    expect(formatMessage(source, { count: 1250, name: 'Acme' }, { tag: 'de-DE' })).toBe('1.250 invoices for Acme');
  });

  it('marks pseudo-locale text but leaves parameters (data) as they are', () => {
    expect(formatMessage('Sent to {name}', { name: 'Acme' }, { tag: 'en', pseudo: true })).toBe('⟦Šéñţ ţö Acme⟧');
  });

  it('keeps a missing parameter visible', () => {
    expect(formatMessage('Part {index}', {}, { tag: 'en' })).toBe('Part {index}');
  });

  it('refuses what it does not support', () => {
    expect(() => parseMessage('{n, select, a {x} other {y}}')).toThrow();
    expect(() => parseMessage('{n, plural, one {x}}')).toThrow();
    expect(() => parseMessage('open {')).toThrow();
  });
});

describe('resolveLocale', () => {
  it('follows the browser until the cookie says otherwise', () => {
    expect(resolveLocale(null, 'de-DE,de;q=0.9,en;q=0.8')).toEqual({ locale: 'de', tag: 'de-DE' });
    expect(resolveLocale(null, 'fr-FR,de-AT;q=0.5')).toEqual({ locale: 'de', tag: 'de-AT' });
    expect(resolveLocale(null, 'fr-FR')).toEqual({ locale: 'en', tag: 'en-US' });
    expect(resolveLocale(null, 'en-GB,en;q=0.9')).toEqual({ locale: 'en', tag: 'en-GB' });
    expect(resolveLocale('en', 'de-DE')).toEqual({ locale: 'en', tag: 'en-US' });
    expect(resolveLocale('de', 'en-US')).toEqual({ locale: 'de', tag: 'de-DE' });
    expect(resolveLocale('pseudo', 'de-DE').locale).toBe('pseudo');
    expect(resolveLocale('xx', null)).toEqual({ locale: 'en', tag: 'en-US' });
  });

  it('orders Accept-Language by quality and skips junk', () => {
    expect(parseAcceptLanguage('en;q=0.5, de-DE, <script>, fr;q=0')).toEqual(['de-DE', 'en']);
  });
});

describe('parseAmount', () => {
  it('reads German amounts in de-DE', () => {
    expect(parseAmount('1.250,00', 'de-DE')).toBe('1250.00');
    expect(parseAmount('1250,5', 'de-DE')).toBe('1250.5');
    expect(parseAmount('1.250', 'de-DE')).toBe('1250');
    expect(parseAmount('1.234.567,89 €', 'de-DE')).toBe('1234567.89');
    expect(parseAmount('12.5', 'de-DE')).toBe('12.5');
    expect(parseAmount('-0,01', 'de-DE')).toBe('-0.01');
    expect(parseAmount('EUR 14.875,00', 'de-DE')).toBe('14875.00');
  });

  it('reads English amounts in en-US', () => {
    expect(parseAmount('1,250.00', 'en-US')).toBe('1250.00');
    expect(parseAmount('$1,250', 'en-US')).toBe('1250');
    expect(parseAmount('12,50', 'en-US')).toBe('12.50');
    expect(parseAmount('1250.00', 'en-US')).toBe('1250.00');
  });

  it('refuses what is ambiguous or not a number', () => {
    for (const bad of ['', 'abc', '1,2,3', '1.25,0.0', '12,5,0', '1..2', '1.2345.6', ',5', '5,', '1.2.3,4'])
      expect(parseAmount(bad, 'de-DE'), bad).toBeNull();
    expect(parseAmount('1,25.00', 'en-US')).toBeNull();
  });

  it('reads back what it formats, in both locales', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), fc.constantFrom('de-DE', 'en-US', 'de-AT', 'en-GB'), (cents, tag) => {
        const value = `${cents < 0n ? '-' : ''}${(cents < 0n ? -cents : cents) / 100n}.${String((cents < 0n ? -cents : cents) % 100n).padStart(2, '0')}`;
        const shown = new Intl.NumberFormat(tag, { minimumFractionDigits: 2 }).format(value as unknown as number);
        expect(parseAmount(shown, tag)).toBe(value.replace(/^-0\.00$/, '0.00'));
      }),
    );
  });
});

describe('parseDate', () => {
  it('reads dates in the locale’s order and ISO always', () => {
    expect(parseDate('30.11.2026', 'de-DE')).toBe('2026-11-30');
    expect(parseDate('1.2.26', 'de-DE')).toBe('2026-02-01');
    expect(parseDate('11/30/2026', 'en-US')).toBe('2026-11-30');
    expect(parseDate('30/11/2026', 'en-GB')).toBe('2026-11-30');
    expect(parseDate('2026-11-30', 'de-DE')).toBe('2026-11-30');
  });

  it('refuses dates that do not exist or do not fit the locale', () => {
    for (const bad of ['31.11.2026', '29.02.2027', '11/30/2026', '30.11', 'morgen', '30.11.202', '1.1.12345'])
      expect(parseDate(bad, 'de-DE'), bad).toBeNull();
    expect(parseDate('30.11.2026', 'en-US')).toBeNull();
  });

  it('reads back what the formatter shows in a date field', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), fc.constantFrom(de, en), (date, t) => {
        const iso = date.toISOString().slice(0, 10);
        expect(parseDate(createFormatter(t).dateInput(iso), t.tag)).toBe(iso);
      }),
    );
  });
});

describe('createFormatter', () => {
  it('formats money, dates and statuses for the locale', () => {
    const f = createFormatter(de);
    expect(f.money('1250.5', 'EUR')).toBe('1.250,50\u00a0€');
    expect(createFormatter(en).money('1250.5', 'EUR')).toBe('€1,250.50');
    expect(f.date('2026-11-30')).toBe('30.11.2026');
    expect(createFormatter(en).date('2026-11-30')).toBe('Nov 30, 2026');
    expect(f.status('payment_announced')).toBe('Zahlung angekündigt');
    expect(createFormatter(en).status('payment_announced')).toBe('Payment announced');
    expect(f.status('unknown_state')).toBe('unknown_state');
  });

  it('formats with the kept formats as with new ones: each currency and locale its own, calendar dates in UTC, instants in the local zone', () => {
    for (const t of [de, en]) {
      const f = createFormatter(t);
      for (const [value, currency] of [['1250.5', 'EUR'], ['1250.5', 'JPY'], ['-0.125', 'BHD'], ['7', 'EUR'], ['99999.99', 'CHF']] as const) {
        const decimals = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits!;
        const fresh = new Intl.NumberFormat(t.tag, { style: 'currency', currency, minimumFractionDigits: decimals });
        // Asked twice: the second answer comes from the kept format.
        for (let i = 0; i < 2; i++) expect(f.money(value, currency)).toBe(fresh.format(fromUnits(toUnits(value), decimals) as unknown as number));
      }
      for (const value of ['2026-11-30', '2026-01-01T00:30:00.000Z', '2025-06-15T23:59:59.999Z']) {
        const calendar = /^\d{4}-\d{2}-\d{2}$/.test(value);
        const date = new Date(calendar ? `${value}T00:00:00Z` : value);
        for (let i = 0; i < 2; i++) {
          expect(f.date(value)).toBe(new Intl.DateTimeFormat(t.tag, { dateStyle: 'medium', timeZone: calendar ? 'UTC' : undefined }).format(date));
          expect(f.dateInput(value)).toBe(new Intl.DateTimeFormat(t.tag, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: calendar ? 'UTC' : undefined }).format(date));
          expect(f.dateTime(value)).toBe(new Intl.DateTimeFormat(t.tag, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value)));
        }
      }
      expect(f.date('not a date')).toBe('not a date');
    }
  });
});
