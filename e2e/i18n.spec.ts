import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { AuthPages } from './pages/auth-pages';
import { InvoicePages } from './pages/invoice-pages';
import { expect, newActor, newPerson, test, uniqueClientIp, unrelatedRecoveryKey, VirtualAuthenticator } from './fixtures';
import { setUiLocale, untranslatedText } from './i18n';
import { waitForMail } from './mail';
import { pdfFile, randomIban } from './test-documents';

async function exportCsv(page: Page): Promise<string[]> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^(Export CSV|CSV exportieren)/ }).click()]);
  return readFileSync(await download.path(), 'utf8').slice(1).split('\r\n');
}

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

  test('[user] gets e-mail in the language of the portal: English after an English sign-up, German once switched to German', async ({ page, auth, db, dbTarget }) => {
    const person = newPerson('mail-lang');
    await auth.signUp(person);
    const english = await waitForMail(dbTarget, person.email, /^Confirm your e-mail address for zkinvoice$/);
    expect(english.parsed.text).toContain(`Hello ${person.displayName},`);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: 'Deutsch (German)' }).check();
    await expect(page.locator('html')).toHaveAttribute('lang', 'de-DE');
    await page.getByRole('button', { name: 'Bestätigungslink erneut senden' }).click();
    await expect(page.getByText(`Wir haben einen Bestätigungslink an ${person.email} gesendet.`, { exact: false })).toBeVisible();
    const german = await waitForMail(dbTarget, person.email, /^Bestätigen Sie Ihre E-Mail-Adresse für zkinvoice$/);
    expect(german.parsed.text).toContain(`Hallo ${person.displayName},`);
    expect(german.parsed.text).toMatch(/Meine Adresse bestätigen: http:\/\/\S+\/verify-email#/);
    expect(german.parsed.text).toContain('Welche Benachrichtigungen Sie bekommen, wählen Sie unter Einstellungen');
    expect((await db.query<{ locale: string }>('select locale from users where email = $1', [person.email]))[0]!.locale).toBe('de');
  });

  test('[supplier in de-DE] types German amounts, sees German amounts and dates; the [customer in en-US] reads them in English; each CSV splits in its spreadsheet', async ({ browser, baseURL }) => {
    test.setTimeout(180_000);
    const customer = await newActor(browser, baseURL!);
    await customer.auth.signUp(newPerson('en-customer'));
    const handle = await new InvoicePages(customer.page).orgHandle();

    const context = await browser.newContext({ baseURL, locale: 'de-DE', extraHTTPHeaders: { 'x-forwarded-for': uniqueClientIp() } });
    const page = await context.newPage();
    await VirtualAuthenticator.attach(page);
    // Signed up in English (the page objects read English labels), then switched to German in Settings.
    await setUiLocale(context, baseURL!, 'en');
    await new AuthPages(page).signUp(newPerson('de-supplier'));
    const supplier = new InvoicePages(page);
    await supplier.nav('Settings');
    await page.getByRole('radio', { name: 'Deutsch (German)' }).check();
    await expect(page.locator('html')).toHaveAttribute('lang', 'de-DE');

    await page.locator('header nav a[href="/invoices/new"]').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Neue Rechnung' })).toBeVisible();
    await page.getByLabel('Kennung der Organisation des Kunden').fill(handle);
    await page.getByRole('button', { name: 'Suchen' }).click();
    await expect(page.getByTestId('recipient')).toContainText('Erster Kontakt');
    const form = page.getByRole('form', { name: 'Rechnungsangaben' });
    await form.getByLabel('Rechnungsnummer', { exact: true }).fill('DE-1');
    // The browser's own date field (shown in its language); the list shows the date the German way.
    await form.getByLabel('Fälligkeitsdatum', { exact: true }).fill('2026-12-31');
    await form.getByLabel('Netto', { exact: true }).fill('1.250,00');
    await form.getByLabel('Steuer', { exact: true }).fill('237,50');
    // A wrong sum is named in German.
    await form.getByLabel('Brutto', { exact: true }).fill('1.487,51');
    await form.getByLabel('Zahlbetrag', { exact: true }).fill('1.487,50');
    await form.getByLabel('IBAN', { exact: true }).fill(randomIban());
    await page.getByLabel('Dokumente hinzufügen').setInputFiles([pdfFile('DE-1.pdf', 'Rechnung DE-1')]);
    await page.getByRole('button', { name: 'Verschlüsseln und senden' }).click();
    await expect(form.getByLabel('Brutto', { exact: true })).toHaveAccessibleDescription('Brutto muss Netto plus Steuer ergeben.');
    await form.getByLabel('Brutto', { exact: true }).fill('1.487,50');
    await page.getByRole('button', { name: 'Verschlüsseln und senden' }).click();
    await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/, { timeout: 120_000 });
    // The invoice page below the payment panel speaks German too: history and actions.
    await expect(page.getByRole('heading', { level: 2, name: 'Verlauf' })).toBeVisible();
    await expect(page.getByTestId('history-event').first()).toContainText('Gestellt');
    await expect(page.getByText('Diese Rechnung stornieren')).toBeVisible();

    // Shown the German way to the supplier, the English way to the customer.
    await page.locator('header nav a[href="/sent"]').click();
    const sent = page.getByTestId('invoice-row');
    await expect(sent).toContainText('1.487,50 €');
    await expect(sent).toContainText('31.12.2026');
    await expect(sent).toContainText('Gestellt');
    const germanCsv = await exportCsv(page);
    expect(germanCsv[0]).toBe('Nummer;Kunde;Art;Rechnungsdatum;Fälligkeitsdatum;Währung;Netto;Steuer;Brutto;Zahlbetrag;Status;Überfällig;Geprüft');
    expect(germanCsv[1]).toMatch(/^DE-1;[^;]+;invoice;\d{4}-\d{2}-\d{2};2026-12-31;EUR;1250,00;237,50;1487,50;1487,50;Gestellt;nein;ja$/);
    // The other format on request.
    await page.getByRole('combobox', { name: 'CSV-Format' }).selectOption(',');
    expect((await exportCsv(page))[1]).toMatch(/^DE-1,[^,]+,invoice,\d{4}-\d{2}-\d{2},2026-12-31,EUR,1250\.00,237\.50,1487\.50,1487\.50,Gestellt,nein,ja$/);

    await new InvoicePages(customer.page).nav('Inbox');
    const inbox = customer.page.getByTestId('invoice-row');
    await expect(inbox).toContainText('€1,487.50');
    await expect(inbox).toContainText('Dec 31, 2026');
    const englishCsv = await exportCsv(customer.page);
    expect(englishCsv[0]).toBe('Number,Supplier,Type,Issue date,Due date,Currency,Net,Tax,Gross,Payable,Status,Overdue,Verified');
    expect(englishCsv[1]).toMatch(/^DE-1,[^,]+,invoice,\d{4}-\d{2}-\d{2},2026-12-31,EUR,1250\.00,237\.50,1487\.50,1487\.50,Issued,no,yes$/);
    await context.close();
    await customer.context.close();
  });

  test('[user] the pseudo-locale shows no hand-written string on the home page (locked and unlocked) and in Settings', async ({ page, auth, context, baseURL }) => {
    const person = newPerson('pseudo');
    await auth.signUp(person);
    const handle = await new InvoicePages(page).orgHandle();
    await setUiLocale(context, baseURL!, 'pseudo');
    const data = [person.displayName, person.email, person.orgName, handle];

    // A reload locks the keys: the unlock panel, then the unlocked home page.
    await page.reload();
    const unlock = page.getByRole('button', { name: /Úñĺöçķ ŵíţĥ þáššķéý/ });
    await expect(unlock).toBeVisible();
    expect(await untranslatedText(page, data), 'locked home').toEqual([]);
    await unlock.click();
    await expect(page.getByTestId('getting-started')).toBeVisible();
    expect(await untranslatedText(page, data), 'home').toEqual([]);

    await page.locator('header nav a[href="/settings"]').click();
    await expect(page.getByTestId('passkey-row')).toHaveCount(1);
    await expect(page.getByTestId('user-fingerprint')).toBeVisible();
    await expect(page.getByRole('form', { name: /Öŕĝáñížáţíöñ þŕöƒíĺé/ })).toBeVisible();
    // What the page shows as data: the passkey's name and its dates (formatted, not translated).
    const cells = await page.getByTestId('passkey-row').locator('td').evaluateAll((tds) => tds.slice(0, 3).map((td) => td.firstChild?.textContent ?? ''));
    expect(await untranslatedText(page, [...data, ...cells]), 'settings').toEqual([]);
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
