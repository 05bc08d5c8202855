/**
 * The languages of the interface. German and English are offered to users; `pseudo` is English with
 * every translated string visibly marked (and accented), so a page shown in it exposes each string
 * that bypassed the catalog. It is chosen only by cookie, never by the browser's languages.
 */
export const LOCALES = ['en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];
export type UiLocale = Locale | 'pseudo';

export const DEFAULT_LOCALE: Locale = 'en';
/** Set by the language switch in Settings; not secret, read on the server for `<html lang>`. */
export const LOCALE_COOKIE = 'zkinvoice-locale';
export const LOCALE_COOKIE_MAX_AGE = 60 * 60 * 24 * 400;

/** Formatting regions used when the browser names only a language (or another one). */
const DEFAULT_REGION: Record<Locale, string> = { en: 'en-US', de: 'de-DE' };

export interface ResolvedLocale {
  /** Which catalog the interface uses. */
  locale: UiLocale;
  /** The BCP 47 tag for Intl (numbers, money, dates) and `<html lang>`. */
  tag: string;
}

export function isUiLocale(value: unknown): value is UiLocale {
  return value === 'en' || value === 'de' || value === 'pseudo';
}

interface Preference {
  tag: string;
  q: number;
}

/** The browser's languages from an Accept-Language header, best first. */
export function parseAcceptLanguage(header: string | null | undefined): string[] {
  if (!header) return [];
  const prefs: Preference[] = [];
  for (const part of header.split(',').slice(0, 20)) {
    const [rawTag = '', ...rawParams] = part.trim().split(';');
    const tag = rawTag.trim();
    if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) continue;
    const qParam = rawParams.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (Number.isFinite(q) && q > 0) prefs.push({ tag, q });
  }
  return prefs.sort((a, b) => b.q - a.q).map((p) => p.tag);
}

function canonicalTag(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * The interface language: the cookie from the switch if set, else the first of the browser's
 * languages we have, else English. The formatting tag keeps the browser's region where the
 * language matches (de-AT, en-GB), so dates and numbers look as the user is used to.
 */
export function resolveLocale(cookie: string | null | undefined, acceptLanguage: string | null | undefined): ResolvedLocale {
  const browser = parseAcceptLanguage(acceptLanguage).map(canonicalTag).filter((t): t is string => !!t);
  const language = (tag: string) => tag.split('-')[0]!.toLowerCase();
  const regionFor = (locale: Locale) => browser.find((t) => language(t) === locale && t.includes('-')) ?? DEFAULT_REGION[locale];
  if (cookie === 'pseudo') return { locale: 'pseudo', tag: 'en-US' };
  if (cookie === 'en' || cookie === 'de') return { locale: cookie, tag: regionFor(cookie) };
  const match = browser.map(language).find((l): l is Locale => (LOCALES as readonly string[]).includes(l));
  const locale = match ?? DEFAULT_LOCALE;
  return { locale, tag: regionFor(locale) };
}
