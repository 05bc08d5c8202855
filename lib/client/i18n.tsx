'use client';

import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { createTranslate, type Messages, type Translate } from '@/lib/shared/i18n';
import { createFormatter, type Formatter } from '@/lib/shared/i18n/format';
import type { ResolvedLocale } from '@/lib/shared/i18n/locales';
import { describeError } from './errors';

interface I18n {
  t: Translate;
  format: Formatter;
}

const I18nContext = createContext<I18n | null>(null);

/**
 * One translator per language for the page's life: a router refresh hands the provider new but
 * equal props, and effects that depend on `t` must not run again for that.
 */
const instances = new Map<string, I18n>();

function i18nFor(resolved: ResolvedLocale, messages: Messages): I18n {
  const key = `${resolved.locale}|${resolved.tag}`;
  let value = instances.get(key);
  if (!value) {
    const t = createTranslate(resolved, messages);
    instances.set(key, (value = { t, format: createFormatter(t) }));
  }
  return value;
}

/**
 * The interface language for client components. The root layout resolves the locale on the
 * server (cookie, else Accept-Language) and hands down only that locale's messages, so the page
 * renders the same text on the server and after hydration, and no other catalog is downloaded.
 */
export function I18nProvider({ resolved, messages, children }: { resolved: ResolvedLocale; messages: Messages; children: ReactNode }) {
  const value = i18nFor(resolved, messages);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useT and useFormat need the I18nProvider of the root layout.');
  return value;
}

export function useT(): Translate {
  return useI18n().t;
}

export function useFormat(): Formatter {
  return useI18n().format;
}

/** describeError bound to the current language, stable while the language stays. */
export function useDescribeError(): (error: unknown) => string {
  const { t } = useI18n();
  return useMemo(() => (error: unknown) => describeError(error, t), [t]);
}
