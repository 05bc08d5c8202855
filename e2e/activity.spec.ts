import type { Page } from '@playwright/test';
import { expect, newActor, newPerson, test } from './fixtures';
import { InvoicePages } from './pages/invoice-pages';
import { shot } from './shots';

// DESIGN §12: the portal shows how many received invoices nobody opened yet, marks them in the
// inbox, and an open list says when the other side sent or did something since it was loaded.
// Pages poll every 30 s and when the tab gets the focus again; the tests give the focus back
// instead of waiting for the timer.

async function signUp(browser: import('@playwright/test').Browser, baseURL: string, label: string) {
  const actor = await newActor(browser, baseURL);
  await actor.auth.signUp(newPerson(label));
  return { ...actor, pages: new InvoicePages(actor.page) };
}

/** The user comes back to the tab: the page asks what changed. */
async function refocus(page: Page): Promise<void> {
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
}

const inboxCount = (page: Page) => page.getByRole('navigation', { name: 'Main' }).getByTestId('nav-count');

test('[customer] with the inbox open learns of a new invoice, sees it marked new and the count drop once opened; the [supplier] with Sent open sees the customer opened it', async ({ browser, baseURL }) => {
  const customer = await signUp(browser, baseURL!, 'customer');
  const supplier = await signUp(browser, baseURL!, 'supplier');
  try {
    const handle = await customer.pages.orgHandle();
    await customer.pages.nav('Inbox');
    await expect(customer.page.getByText(handle)).toBeVisible();
    await expect(inboxCount(customer.page)).toHaveCount(0);

    await supplier.pages.chooseRecipient(handle);
    await supplier.pages.fillInvoice({ number: 'ACT-1', net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00', iban: 'DE89 3704 0044 0532 0130 00' });
    await supplier.pages.send();
    await supplier.pages.nav('Sent');
    await expect(supplier.page.getByTestId('invoice-row')).toHaveCount(1);

    // The customer's open inbox: the count beside Inbox, and the list offers the change.
    await refocus(customer.page);
    await expect(inboxCount(customer.page).locator('[aria-hidden="true"]')).toHaveText('1');
    await expect(customer.page.getByRole('link', { name: 'Inbox', exact: true })).toHaveAccessibleDescription('1 invoice not opened yet');
    const changed = customer.page.getByTestId('list-changed');
    await expect(changed).toContainText('Invoices arrived or changed since this list was loaded.');
    await changed.getByRole('button', { name: 'Show the changes' }).click();
    const row = customer.page.getByTestId('invoice-row').filter({ hasText: 'ACT-1' });
    await expect(row.getByTestId('new-badge')).toHaveText('New');
    await expect(changed).toHaveCount(0);
    await shot(customer.page, 'inbox-new');

    // Opened: it is no longer new, and the count is gone.
    await customer.pages.openFromInbox('ACT-1');
    await expect(customer.page.getByTestId('summary-status')).toHaveText('Viewed');
    await expect(inboxCount(customer.page)).toHaveCount(0);
    await customer.pages.nav('Inbox');
    await expect(customer.page.getByTestId('invoice-row').filter({ hasText: 'ACT-1' })).toContainText('Viewed');
    await expect(customer.page.getByTestId('new-badge')).toHaveCount(0);

    // The supplier's Sent list, loaded before the customer opened it, says so and shows it.
    await refocus(supplier.page);
    await supplier.page.getByTestId('list-changed').getByRole('button', { name: 'Show the changes' }).click();
    await expect(supplier.page.getByTestId('invoice-row').filter({ hasText: 'ACT-1' })).toContainText('Viewed');
    await expect(supplier.page.getByTestId('new-badge')).toHaveCount(0);
  } finally {
    await customer.context.close();
    await supplier.context.close();
  }
});

test('[user] may only ask for the activity of an organization they belong to', async ({ browser, baseURL }) => {
  const one = await signUp(browser, baseURL!, 'one');
  const other = await signUp(browser, baseURL!, 'other');
  try {
    const orgOf = async (page: Page) => ((await (await page.request.get('/api/account/keys')).json()) as { organizations: { orgId: string }[] }).organizations[0]!.orgId;
    const mine = await orgOf(one.page);
    const theirs = await orgOf(other.page);
    expect((await one.page.request.get(`/api/invoices/activity?orgId=${mine}`)).status()).toBe(200);
    expect(await (await one.page.request.get(`/api/invoices/activity?orgId=${mine}`)).json()).toEqual({ inbox: { total: 0, unopened: 0, changedAt: null }, sent: { total: 0, changedAt: null } });
    expect([403, 404]).toContain((await one.page.request.get(`/api/invoices/activity?orgId=${theirs}`)).status());
    expect((await one.page.request.get('/api/invoices/activity?orgId=not-a-uuid')).status()).toBe(400);
  } finally {
    await one.context.close();
    await other.context.close();
  }
});
