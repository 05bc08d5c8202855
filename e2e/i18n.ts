import type { BrowserContext, Page } from '@playwright/test';

/** The cookie the Settings language switch sets (lib/shared/i18n/locales.ts). */
export const LOCALE_COOKIE = 'zkinvoice-locale';

/** What Intl writes in en-US: "Nov 30, 2026", "Nov 30, 2026, 10:22 PM", "1.2 KiB". */
const INTL_DATA = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}(, \d{1,2}:\d{2}\s?[AP]M)?|\d[\d,.]*\s(B|KiB|MiB|GiB)\b/g;

export async function setUiLocale(context: BrowserContext, baseURL: string, locale: 'en' | 'de' | 'pseudo'): Promise<void> {
  await context.addCookies([{ name: LOCALE_COOKIE, value: locale, url: baseURL }]);
}

/**
 * Text on the page that did not come from the catalog, while the pseudo-locale is on: every
 * catalog string is shown as ⟦áççéñţéđ⟧, so whatever letters remain outside the brackets were
 * written into a component by hand. `data` lists values the test itself put there (names, emails,
 * invoice numbers), which are shown as they are in every language; `dataSelector` names elements
 * that hold only data (a safety number, a key id, a QR code's contents). Dates, times and sizes
 * that Intl formats for the pseudo-locale's en-US are data too.
 */
export async function untranslatedText(page: Page, data: readonly string[] = [], dataSelector = ''): Promise<string[]> {
  const found = await page.evaluate((skip) => {
    const texts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('script, style, template, [hidden], [aria-hidden="true"], next-route-announcer')) continue;
      if (skip && parent.closest(skip)) continue;
      const style = getComputedStyle(parent);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      texts.push(node.textContent ?? '');
    }
    // Text only the accessibility tree and the tab show.
    for (const element of document.querySelectorAll('[aria-label], [placeholder], [title], img[alt]')) {
      if (skip && element.closest(skip)) continue;
      for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
        const value = element.getAttribute(name);
        if (value) texts.push(value);
      }
    }
    texts.push(document.title);
    return texts;
  }, dataSelector);
  const strip = (text: string) => {
    let rest = text.replace(/⟦[^⟧]*⟧/g, ' ');
    for (const value of [...data, 'zkinvoice']) rest = rest.split(value).join(' ');
    return rest.replace(INTL_DATA, ' ');
  };
  return found.map(strip).filter((rest) => /[A-Za-z]{2,}/.test(rest)).map((rest) => rest.trim());
}
