import { expect, newPerson, test, unrelatedRecoveryKey } from './fixtures';
import { setUiLocale, untranslatedText } from './i18n';

test.describe('German and English', () => {
  test('[visitor] a German browser gets German pages with lang="de-DE", and server refusals in German', async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL, locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'de-DE');
    await expect(page.getByRole('link', { name: 'Konto anlegen' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Zum Inhalt springen' })).toBeAttached();

    // A refusal the server sends as a reason is shown in German.
    await page.goto('/recover');
    await expect(page.getByRole('heading', { name: 'Konto wiederherstellen' })).toBeVisible();
    await page.getByLabel('E-Mail-Adresse').fill(newPerson('nobody').email);
    await page.getByLabel('Wiederherstellungsschlüssel').fill(unrelatedRecoveryKey());
    await page.getByRole('button', { name: 'Wiederherstellen und neuen Passkey anlegen' }).click();
    await expect(page.getByRole('main').getByRole('alert')).toHaveText('E-Mail-Adresse oder Wiederherstellungsschlüssel stimmen nicht.');

    const missing = await page.goto('/no-such-page');
    expect(missing?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Seite nicht gefunden' })).toBeVisible();
    await expect(page.getByRole('main')).toBeVisible();
    await context.close();
  });

  test('[user] switches the portal to German in Settings, and back to the browser’s language', async ({ page, auth }) => {
    await auth.signUp(newPerson('lang'));
    await expect(page.locator('html')).toHaveAttribute('lang', 'en-US');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: 'Deutsch (German)' }).check();
    const nav = page.getByRole('navigation', { name: 'Hauptmenü' });
    await expect(nav.getByRole('link', { name: 'Eingang' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Einstellungen' })).toHaveAttribute('aria-current', 'page');
    await expect(page.locator('html')).toHaveAttribute('lang', 'de-DE');
    await expect(page.getByRole('heading', { level: 1, name: 'Einstellungen' })).toBeVisible();

    // The choice is kept across loads.
    await page.reload();
    await expect(page.getByRole('radio', { name: 'Deutsch' })).toBeChecked();
    await page.getByRole('radio', { name: 'Browsereinstellung' }).check();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en-US');
  });

  test('[visitor] the pseudo-locale shows no hand-written string on the public pages', async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL });
    await setUiLocale(context, baseURL!, 'pseudo');
    const page = await context.newPage();
    const pages: [string, RegExp][] = [
      ['/', /Çŕéáţé áñ áççöúñţ/],
      ['/sign-in', /Šíĝñ íñ ŵíţĥ á þáššķéý/],
      ['/sign-up', /Çŕéáţé áççöúñţ ŵíţĥ á þáššķéý/],
      ['/recover', /Ŕéçöṽéŕ áñđ çŕéáţé á ñéŵ þáššķéý/],
      ['/setup/admin', /ţĥé öñé-ţíɱé šéţúþ ĺíñķ/],
      ['/no-such-page', /Ĝö ţö ţĥé šţáŕţ þáĝé/],
    ];
    for (const [path, ready] of pages) {
      await page.goto(path);
      await expect(page.getByText(ready).first()).toBeVisible();
      expect(await untranslatedText(page), path).toEqual([]);
    }
    await context.close();
  });
});
