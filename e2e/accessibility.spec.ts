import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { newAdmin } from './admin';
import { expect, newActor, newPerson, test } from './fixtures';
import { setUiLocale } from './i18n';
import { InvoicePages } from './pages/invoice-pages';
import { pdfFile, randomIban } from './test-documents';

// WCAG 2.2 AA as axe-core checks it, on every page of the public, portal and admin areas, in both
// languages and both colour schemes. One signed-in context per role visits its pages in turn; each
// language is a test of its own, so a loaded machine runs them side by side.
// Dark mode changes only colours, so there only the colour rules run again.

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];
const LANGUAGES = ['en', 'de'] as const;

interface Visit {
  name: string;
  /** Gets there (inside the app where keys must stay unlocked) and waits until the page is complete. */
  open: (page: Page) => Promise<void>;
}

async function auditAll(page: Page, visits: readonly Visit[], language: 'en' | 'de'): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const visit of visits) {
      await visit.open(page);
      const builder = new AxeBuilder({ page }).withTags(WCAG);
      const { violations } = await (scheme === 'dark' ? builder.withRules(COLOUR_RULES) : builder).analyze();
      for (const v of violations) found.push(`${visit.name} [${language}, ${scheme}] ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
    }
  }
  return found;
}

/** A link of the top navigation, by address (its name depends on the language); on phones behind the menu. */
async function navTo(page: Page, href: string, ready: (page: Page) => Locator): Promise<void> {
  await page.locator(`header nav .menu a[href="${href}"]`).click();
  await expect(page).toHaveURL(new RegExp(`${href.replace(/\//g, '\\/')}$`));
  await expect(ready(page).first()).toBeVisible();
}

for (const language of LANGUAGES) {
  test(`[visitor] the public pages pass axe in ${language}, light and dark`, async ({ browser, baseURL }) => {
    test.setTimeout(300_000);
    const context = await browser.newContext({ baseURL });
    await setUiLocale(context, baseURL!, language);
    const page = await context.newPage();
    const visits: Visit[] = [
      ['/', 'main a.button'], ['/sign-in', 'main button'], ['/sign-up', 'main form button'], ['/recover', 'main form button'], ['/setup/admin', 'main [role=alert]'], ['/no-such-page', 'main h1'],
    ].map(([path, ready]) => ({ name: path!, open: async (p: Page) => {
      await p.goto(path!);
      await expect(p.locator(ready!).first()).toBeVisible();
    } }));
    const found = await auditAll(page, visits, language);
    expect(found).toEqual([]);
    await context.close();
  });

  test(`[supplier] and [customer] portal pages pass axe in ${language}, light and dark`, async ({ page, auth, browser, baseURL }) => {
    test.setTimeout(420_000);
    const customer = await newActor(browser, baseURL!);
    await customer.auth.signUp(newPerson('a11y-customer'));
    const handle = await new InvoicePages(customer.page).orgHandle();
    await auth.signUp(newPerson('a11y-supplier'));
    const supplier = new InvoicePages(page);
    await supplier.chooseRecipient(handle);
    await supplier.fillInvoice({ number: 'A11Y-1', net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00', iban: randomIban() });
    await supplier.attach([pdfFile('A11Y-1.pdf', 'Invoice A11Y-1')]);
    const invoiceId = await supplier.send();

    // The Settings switch refreshes the page in place, so the keys stay unlocked.
    const switchLanguage = (p: Page) => async (language: 'en' | 'de') => {
      await navTo(p, '/settings', (q) => q.locator('main table'));
      await p.locator(`input[name=language][value=${language}]`).check();
      await expect(p.locator('html')).toHaveAttribute('lang', language === 'de' ? 'de-DE' : 'en-US');
    };
    const portal: Visit[] = [
      { name: 'home', open: (p) => navTo(p, '/home', (q) => q.getByTestId('waiting')) },
      { name: 'inbox', open: (p) => navTo(p, '/inbox', (q) => q.locator('main .panel, main table')) },
      { name: 'sent', open: (p) => navTo(p, '/sent', (q) => q.getByTestId('invoice-row')) },
      { name: 'new invoice', open: (p) => navTo(p, '/invoices/new', (q) => q.locator('main form')) },
      { name: 'settings', open: (p) => navTo(p, '/settings', (q) => q.locator('main table')) },
      {
        name: 'invoice (supplier)',
        open: async (p) => {
          await navTo(p, '/sent', (q) => q.getByTestId('invoice-row'));
          await p.locator(`main a[href="/invoices/${invoiceId}"]`).click();
          await expect(p.getByTestId('verification-badge')).toBeVisible();
        },
      },
    ];
    await switchLanguage(page)(language);
    const found = await auditAll(page, portal, language);

    const customerVisits: Visit[] = [
      {
        name: 'invoice (customer)',
        open: async (p) => {
          await navTo(p, '/inbox', (q) => q.getByTestId('invoice-row'));
          await p.locator(`main a[href="/invoices/${invoiceId}"]`).click();
          await expect(p.getByTestId('verification-badge')).toBeVisible();
        },
      },
    ];
    await switchLanguage(customer.page)(language);
    found.push(...(await auditAll(customer.page, customerVisits, language)));
    expect(found).toEqual([]);
    await customer.context.close();
  });

  test(`[admin] the administration pages pass axe in ${language}, light and dark`, async ({ browser, baseURL, db }) => {
    test.setTimeout(300_000);
    const admin = await newAdmin(browser, baseURL!, db);
    await setUiLocale(admin.context, baseURL!, language);
    const page = admin.page;
    const visits: Visit[] = [
      { name: '/admin', open: async (p) => { await p.goto('/admin'); await expect(p.locator('main h1')).toBeVisible(); } },
      { name: '/admin/users', open: async (p) => { await p.goto('/admin/users'); await expect(p.locator('main table')).toBeVisible(); } },
      {
        name: '/admin/users/[id]',
        open: async (p) => {
          await p.goto('/admin/users');
          await p.locator('main table a').first().click();
          await expect(p).toHaveURL(/\/admin\/users\/[0-9a-f-]{36}$/);
          await expect(p.locator('main h1')).toBeVisible();
        },
      },
      { name: '/admin/organizations', open: async (p) => { await p.goto('/admin/organizations'); await expect(p.locator('main table')).toBeVisible(); } },
      {
        name: '/admin/organizations/[id]',
        open: async (p) => {
          await p.goto('/admin/organizations');
          const first = p.locator('main table a').first();
          if (await first.count()) {
            await first.click();
            await expect(p).toHaveURL(/\/admin\/organizations\/[0-9a-f-]{36}$/);
          }
          await expect(p.locator('main h1')).toBeVisible();
        },
      },
      { name: '/admin/audit', open: async (p) => { await p.goto('/admin/audit'); await expect(p.locator('main table')).toBeVisible(); } },
      { name: '/admin/settings', open: async (p) => { await p.goto('/admin/settings'); await expect(p.locator('main form').first()).toBeVisible(); } },
    ];
    const found = await auditAll(page, visits, language);
    expect(found).toEqual([]);
    await admin.context.close();
  });
}
