import 'server-only';
import { cookies, headers } from 'next/headers';
import { cache } from 'react';
import { createTranslate, type Translate } from '@/lib/shared/i18n';
import { createFormatter, type Formatter } from '@/lib/shared/i18n/format';
import { LOCALE_COOKIE, resolveLocale, type ResolvedLocale } from '@/lib/shared/i18n/locales';

/** The reader's language for this request: the Settings switch's cookie, else Accept-Language. */
export const currentLocale = cache(async (): Promise<ResolvedLocale> => {
  const [cookieStore, headerStore] = await Promise.all([cookies(), headers()]);
  return resolveLocale(cookieStore.get(LOCALE_COOKIE)?.value, headerStore.get('accept-language'));
});

export async function getT(): Promise<Translate> {
  return createTranslate(await currentLocale());
}

export async function getFormat(): Promise<{ t: Translate; format: Formatter }> {
  const t = await getT();
  return { t, format: createFormatter(t) };
}

/** What the language switch shows as chosen: the cookie's language, or the browser's setting. */
export async function languageChoice(): Promise<'en' | 'de' | 'browser'> {
  const value = (await cookies()).get(LOCALE_COOKIE)?.value;
  return value === 'en' || value === 'de' ? value : 'browser';
}
