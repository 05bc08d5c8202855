import type { Page } from '@playwright/test';
import { expect, newActor, newPerson, test } from './fixtures';
import { InvoicePages } from './pages/invoice-pages';
import { LifecyclePage } from './pages/lifecycle-page';
import { randomIban } from './test-documents';

// Issue #14: the home page leads with the money — open, overdue and due this week on both sides —
// then lists what waits for the user (one click to the invoice) and what nobody opened yet.

/** A calendar date `days` from today in the browser's (and this process's) time zone. */
function inDays(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

async function home(page: Page): Promise<void> {
  await new InvoicePages(page).nav('Home');
  await expect(page.getByTestId('waiting').or(page.getByTestId('getting-started'))).toBeVisible();
}

test('[customer] sees what to pay, overdue first, and pays with one click from home; the [supplier] sees what to receive and confirms from home', async ({ page, auth, browser, baseURL }) => {
  test.setTimeout(300_000);
  const customer = await newActor(browser, baseURL!);
  await customer.auth.signUp(newPerson('home-customer'));
  const handle = await new InvoicePages(customer.page).orgHandle();
  await auth.signUp(newPerson('home-supplier'));
  const supplier = new InvoicePages(page);

  // Nothing yet: the page says how to start, with the handle to copy.
  await home(page);
  await expect(page.getByTestId('getting-started')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy handle' })).toBeVisible();

  const invoices = [
    { number: 'HOME-LATE', payable: '100.00', dueDate: inDays(-10), issueDate: inDays(-40) },
    { number: 'HOME-SOON', payable: '250.50', dueDate: inDays(3), issueDate: inDays(-27) },
    { number: 'HOME-LATER', payable: '1000.00', dueDate: inDays(30), issueDate: inDays(0) },
  ];
  const ids: Record<string, string> = {};
  for (const i of invoices) {
    await supplier.chooseRecipient(handle);
    await supplier.fillInvoice({ number: i.number, issueDate: i.issueDate, dueDate: i.dueDate, net: i.payable, tax: '0.00', gross: i.payable, payable: i.payable, iban: randomIban() });
    ids[i.number] = await supplier.send();
  }

  const cx = customer.page;
  await home(cx);
  const toPay = cx.getByTestId('to-pay');
  await expect(toPay.getByTestId('open-total')).toHaveText('€1,350.50 3 invoices');
  await expect(toPay.getByTestId('overdue-total')).toHaveText('€100.00 1 invoice');
  await expect(toPay.getByTestId('due-soon-total')).toHaveText('€250.50 1 invoice');
  await expect(cx.getByTestId('unopened').getByRole('listitem')).toHaveCount(3);
  const waiting = cx.getByTestId('waiting-item');
  await expect(waiting).toHaveCount(3);
  await expect(waiting.first()).toContainText('HOME-LATE');
  await expect(waiting.first()).toContainText('overdue since');
  await expect(waiting.nth(1)).toContainText('HOME-SOON');

  // One click from home to the invoice, which leads with its one action.
  await waiting.first().getByRole('link', { name: 'Pay' }).click();
  await expect(cx).toHaveURL(new RegExp(`/invoices/${ids['HOME-LATE']}$`));
  await expect(cx.getByRole('heading', { name: 'Invoice HOME-LATE' })).toBeVisible();
  const life = new LifecyclePage(cx);
  await life.announcePayment('100.00');
  await expect(life.status()).toHaveText('Payment announced');

  // Announced is no longer to pay; opened is no longer new.
  await home(cx);
  await expect(toPay.getByTestId('open-total')).toHaveText('€1,250.50 2 invoices');
  await expect(toPay.getByTestId('overdue-total')).toHaveText('€0.00 0 invoices');
  await expect(waiting).toHaveCount(2);
  await expect(cx.getByTestId('unopened').getByRole('listitem')).toHaveCount(2);

  // The supplier still waits for the money, and is asked to confirm it.
  await home(page);
  const toReceive = page.getByTestId('to-receive');
  await expect(toReceive.getByTestId('open-total')).toHaveText('€1,350.50 3 invoices');
  await expect(toReceive.getByTestId('overdue-total')).toHaveText('€100.00 1 invoice');
  const confirm = page.getByTestId('waiting-item');
  await expect(confirm).toHaveCount(1);
  await confirm.getByRole('link', { name: 'Confirm payment received' }).click();
  await expect(page).toHaveURL(new RegExp(`/invoices/${ids['HOME-LATE']}$`));
  await new LifecyclePage(page).confirmPaid('100.00');
  await expect(new LifecyclePage(page).status()).toHaveText('Paid');
  await home(page);
  await expect(toReceive.getByTestId('open-total')).toHaveText('€1,250.50 2 invoices');
  await expect(page.getByTestId('waiting')).toContainText('Nothing waits for you.');

  // In German: the same figures, the German way.
  await new InvoicePages(cx).nav('Settings');
  await cx.getByRole('radio', { name: 'Deutsch (German)' }).check();
  await expect(cx.locator('html')).toHaveAttribute('lang', 'de-DE');
  await cx.locator('header nav .menu a[href="/home"]').click();
  await expect(cx.getByRole('heading', { level: 2, name: 'Zu zahlen' })).toBeVisible();
  await expect(toPay.getByTestId('open-total')).toHaveText('1.250,50 € 2 Rechnungen');
  await expect(cx.getByTestId('waiting-item').first().getByRole('link', { name: 'Bezahlen' })).toBeVisible();
  await customer.context.close();
});
