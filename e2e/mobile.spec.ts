import type { Page } from '@playwright/test';
import { newAdmin } from './admin';
import { expect, newActor, newPerson, test } from './fixtures';
import { InvoicePages } from './pages/invoice-pages';
import { pdfFile, randomIban } from './test-documents';

// A phone: 390×844. The main flow works through the menu, and no page scrolls sideways.
const PHONE = { width: 390, height: 844 };
test.use({ viewport: PHONE });

async function expectNoSidewaysScroll(page: Page, label: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  expect(scrollWidth, `${label}: document ${scrollWidth} px wide in a ${clientWidth} px viewport`).toBe(clientWidth);
}

test('[supplier] and [customer] on phones: sign up, send and open through the menu, no page wider than the screen', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(420_000);
  for (const [path, ready] of [['/', 'main a.button'], ['/sign-in', 'main button'], ['/sign-up', 'main form'], ['/recover', 'main form'], ['/no-such-page', 'main h1']] as const) {
    await page.goto(path);
    await expect(page.locator(ready).first()).toBeVisible();
    await expectNoSidewaysScroll(page, path);
  }

  const customer = await newActor(browser, baseURL!);
  await customer.page.setViewportSize(PHONE);
  await customer.auth.signUp(newPerson('phone-customer'));
  const customerPages = new InvoicePages(customer.page);
  const handle = await customerPages.orgHandle();
  await auth.signUp(newPerson('phone-supplier'));

  // The links are folded into the menu; it opens, and closes again after a link is followed.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Inbox' })).toBeHidden();
  const supplier = new InvoicePages(page);
  await supplier.nav('Settings');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(nav.getByRole('button', { name: 'Menu' })).toHaveAttribute('aria-expanded', 'false');
  await expectNoSidewaysScroll(page, 'settings');
  await supplier.nav('Home');
  await expectNoSidewaysScroll(page, 'home');

  await supplier.chooseRecipient(handle);
  await expectNoSidewaysScroll(page, 'new invoice');
  await supplier.fillInvoice({ number: 'PHONE-1', net: '1250.00', tax: '237.50', gross: '1487.50', payable: '1487.50', iban: randomIban(), reference: 'PHONE-1' });
  await supplier.attach([pdfFile('PHONE-1.pdf', 'Invoice PHONE-1')]);
  await supplier.send();
  await expectNoSidewaysScroll(page, 'invoice (supplier)');
  await supplier.nav('Sent');
  await expect(page.getByTestId('invoice-row')).toHaveCount(1);
  await expectNoSidewaysScroll(page, 'sent');

  // The list is a card per invoice, each value labelled.
  await customerPages.nav('Inbox');
  const card = customer.page.getByTestId('invoice-row');
  await expect(card).toContainText('PHONE-1');
  await expect(card).toContainText('€1,487.50');
  await expectNoSidewaysScroll(customer.page, 'inbox');
  await customerPages.openFromInbox('PHONE-1');
  await expect(customer.page.getByTestId('signature-status')).toContainText('Valid signature');
  await expectNoSidewaysScroll(customer.page, 'invoice (customer)');
  await customer.context.close();

  const admin = await newAdmin(browser, baseURL!, db);
  await admin.page.setViewportSize(PHONE);
  for (const path of ['/admin', '/admin/users', '/admin/organizations', '/admin/audit', '/admin/settings']) {
    await admin.page.goto(path);
    await expect(admin.page.locator('main h1')).toBeVisible();
    await expectNoSidewaysScroll(admin.page, path);
  }
  await admin.context.close();
});
