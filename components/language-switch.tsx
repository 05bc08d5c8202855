'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useT } from '@/lib/client/i18n';
import { LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE, LOCALES, type Locale } from '@/lib/shared/i18n/locales';

export type LanguageChoice = Locale | 'browser';
type Choice = LanguageChoice;

function saveChoice(choice: Choice): void {
  const secure = location.protocol === 'https:' ? '; secure' : '';
  document.cookie = choice === 'browser'
    ? `${LOCALE_COOKIE}=; path=/; max-age=0; samesite=lax${secure}`
    : `${LOCALE_COOKIE}=${choice}; path=/; max-age=${LOCALE_COOKIE_MAX_AGE}; samesite=lax${secure}`;
}

/**
 * The language switch: a cookie the server reads for the next render (not web storage: it holds
 * nothing secret and the server needs it for `<html lang>`). "Browser setting" deletes it.
 */
export function LanguageSwitch({ initial }: { initial: LanguageChoice }) {
  const t = useT();
  const router = useRouter();
  const [current, setChoice] = useState<Choice>(initial);

  function onChange(next: Choice) {
    saveChoice(next);
    setChoice(next);
    router.refresh();
  }

  const options: Choice[] = ['browser', ...LOCALES];
  return (
    <section className="panel" aria-labelledby="language-title">
      <h2 id="language-title">{t('language.title')}</h2>
      <p className="muted">{t('language.explain')}</p>
      <fieldset className="choices">
        <legend>{t('language.label')}</legend>
        {options.map((option) => (
          <label key={option} className="choice">
            <input type="radio" name="language" value={option} checked={current === option} onChange={() => onChange(option)} />
            <span>{t(option === 'browser' ? 'language.browser' : option === 'en' ? 'language.en' : 'language.de')}</span>
          </label>
        ))}
      </fieldset>
    </section>
  );
}
