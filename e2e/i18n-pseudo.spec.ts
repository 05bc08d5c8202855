import type { Page } from '@playwright/test';
import { formatIban } from '@/lib/shared/iban';
import { newAdmin } from './admin';
import { expect, newActor, newPerson, test } from './fixtures';
import { setUiLocale, untranslatedText } from './i18n';
import { emptyKeyring, snapshotKeyring } from './malicious-server';
import { InvoicePages } from './pages/invoice-pages';
import { LifecyclePage } from './pages/lifecycle-page';
import { pdfFile, randomIban } from './test-documents';

// Issue #14: a pseudo-locale run that shows any string left untranslated. With the pseudo-locale
// every catalog message reads ⟦Ţĥúš⟧; a page that still shows plain letters outside the brackets
// (other than the data the test names) has text that bypassed the catalog.

/** Elements whose text is data in every language: codes, safety numbers, XML and QR contents. */
const DATA_ELEMENTS = 'code, pre, .fingerprint';

const UNLOCK = /Úñĺöçķ ŵíţĥ þáššķéý/;

/** Opens every disclosure (actions, previews, e-invoice details), so their content is checked too. */
async function openEverything(page: Page): Promise<void> {
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
}

async function reloadUnlocked(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.getByRole('button', { name: UNLOCK }).click();
}

test.describe('pseudo-locale', () => {
  test('[supplier and customer] no hand-written string on the invoice page (history and every action open), the new-invoice form and the keyring warning', async ({ browser, baseURL, db }) => {
    test.setTimeout(240_000);
    const customerPerson = newPerson('pseudo-customer');
    const customer = await newActor(browser, baseURL!);
    await customer.auth.signUp(customerPerson);
    const customerPages = new InvoicePages(customer.page);
    const customerHandle = await customerPages.orgHandle();
    const supplierPerson = newPerson('pseudo-supplier');
    const supplier = await newActor(browser, baseURL!);
    await supplier.auth.signUp(supplierPerson);
    const supplierPages = new InvoicePages(supplier.page);
    const supplierHandle = await supplierPages.orgHandle();

    // Sent, opened and partly paid in English, so the history has events with details.
    const iban = randomIban();
    await supplierPages.chooseRecipient(customerHandle);
    await supplierPages.fillInvoice({ number: 'PSEUDO-1', net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00', iban, bic: 'COBADEFFXXX', reference: 'Ref PSEUDO-1' });
    await supplierPages.attach([pdfFile('PSEUDO-1.pdf', 'Invoice PSEUDO-1')]);
    const invoiceId = await supplierPages.send();
    await customerPages.openFromInbox('PSEUDO-1');
    await new LifecyclePage(customer.page).announcePayment('50.00', 'Ref PSEUDO-1');
    await expect(customer.page.getByTestId('action-notice')).toBeVisible();

    const data = [
      customerPerson.displayName, customerPerson.email, customerPerson.orgName, customerHandle,
      supplierPerson.displayName, supplierPerson.email, supplierPerson.orgName, supplierHandle,
      'PSEUDO-1.pdf', 'PSEUDO-1', 'Ref', formatIban(iban), iban, 'COBADEFFXXX', 'EUR',
      // The payment link field's placeholder: a URL scheme, the same in every language.
      'https://',
    ];
    const check = async (page: Page, what: string) => expect(await untranslatedText(page, data, DATA_ELEMENTS), what).toEqual([]);

    // The customer's invoice page: summary, verification, payment, history, every action.
    await setUiLocale(customer.context, baseURL!, 'pseudo');
    await reloadUnlocked(customer.page, `/invoices/${invoiceId}`);
    await expect(customer.page.getByTestId('history-event')).toHaveCount(3);
    await expect(customer.page.getByTestId('pdf-preview').locator('canvas')).toHaveCount(1);
    await customer.page.getByTestId('verification-badge').click();
    await openEverything(customer.page);
    await check(customer.page, 'invoice page, customer');

    // The supplier's: the confirm-payment and cancel forms.
    await setUiLocale(supplier.context, baseURL!, 'pseudo');
    await reloadUnlocked(supplier.page, `/invoices/${invoiceId}`);
    await expect(supplier.page.getByTestId('history-event')).toHaveCount(3);
    await openEverything(supplier.page);
    await expect(supplier.page.getByTestId('announced-amount')).toBeVisible();
    await check(supplier.page, 'invoice page, supplier');

    // The new-invoice form with a recipient found, a line item, and the XRechnung details.
    await supplier.page.locator('header nav a[href="/invoices/new"]').click();
    await supplier.page.locator('input[name="handle"]').fill(customerHandle);
    await supplier.page.locator('input[name="handle"]').press('Enter');
    await expect(supplier.page.getByTestId('recipient')).toBeVisible();
    await supplier.page.getByTestId('line-items').getByRole('button').click();
    await expect(supplier.page.getByTestId('xrechnung-details')).toBeVisible();
    await openEverything(supplier.page);
    await check(supplier.page, 'new invoice');
    // Its refusals too: a form sent without its fields names each in the catalog's words.
    await supplier.page.locator('form[aria-label] button[type="submit"]').click();
    await expect(supplier.page.locator('.field-error').first()).toBeVisible();
    await check(supplier.page, 'new invoice, refused');

    // The keyring warning, in place of the page, when the server serves no keyring.
    const { userId } = await snapshotKeyring(db, customerPerson.email);
    await emptyKeyring(db, userId);
    await reloadUnlocked(customer.page, '/inbox');
    await expect(customer.page.getByTestId('keyring-warning')).toBeVisible();
    await check(customer.page, 'keyring warning');
    await customer.context.close();
    await supplier.context.close();
  });

  test('[admin] no hand-written string on the administration pages', async ({ browser, baseURL, db }) => {
    test.setTimeout(180_000);
    const person = newPerson('pseudo-member');
    const member = await newActor(browser, baseURL!);
    await member.auth.signUp(person);
    const admin = await newAdmin(browser, baseURL!, db);
    await setUiLocale(admin.context, baseURL!, 'pseudo');
    const page = admin.page;

    // What the lists show of everyone in this test run's database is data.
    const users = await db.query<{ id: string; display_name: string; email: string }>('select id, display_name, email from users');
    const orgs = await db.query<{ id: string; name: string; handle: string }>('select id, name, handle from organizations');
    const passkeys = await db.query<{ name: string }>('select name from credentials');
    const addresses = await db.query<{ ip: string }>('select distinct ip from sessions where ip is not null');
    const userAgent = await page.evaluate(() => navigator.userAgent.slice(0, 60));
    const data = [
      ...users.flatMap((u) => [u.display_name, u.email]), ...orgs.flatMap((o) => [o.name, o.handle]),
      ...passkeys.map((p) => p.name), ...addresses.map((a) => a.ip), userAgent, 'zkinvoice admin',
      // The audit filter's example: an action id as the filter takes it.
      'account.sign_in',
    ];
    const memberId = users.find((u) => u.email === person.email)!.id;
    const orgId = orgs.find((o) => o.name === person.orgName)!.id;
    const adminId = users.find((u) => u.email === admin.person.email)!.id;

    const pages: [string, string][] = [
      ['/admin', 'main h1'],
      ['/admin/users', 'main table'],
      [`/admin/users/${memberId}`, 'main table'],
      ['/admin/organizations', 'main table'],
      [`/admin/organizations/${orgId}`, 'main table'],
      // The admin's own entries: other tests' failures carry their reasons, which are data.
      [`/admin/audit?actor=${adminId}`, 'main table'],
      ['/admin/settings', 'main table'],
    ];
    for (const [path, ready] of pages) {
      await page.goto(path);
      await expect(page.locator(ready).first()).toBeVisible();
      await openEverything(page);
      expect(await untranslatedText(page, data, DATA_ELEMENTS), path).toEqual([]);
    }
    // The deletion review, which only a click shows.
    await page.goto(`/admin/users/${memberId}`);
    await page.locator('#danger-zone ~ div button.danger').click();
    await expect(page.locator('#delete-heading')).toBeVisible();
    expect(await untranslatedText(page, data, DATA_ELEMENTS), 'delete review').toEqual([]);
    await member.context.close();
    await admin.context.close();
  });
});
