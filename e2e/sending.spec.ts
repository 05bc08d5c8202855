import type { Page } from '@playwright/test';
import { expect, newActor, newPerson, test } from './fixtures';
import { InvoicePages, type InvoiceInput } from './pages/invoice-pages';
import { minimalPdf, pdfFile, randomIban } from './test-documents';

// Issue #14: one click, one invoice, whatever the timing; a number already sent to the customer is
// sent again only on purpose; the invoice PDF must be a PDF that opens.

const invoice = (number: string): InvoiceInput => ({ number, net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00', iban: randomIban(), bic: 'COBADEFFXXX' });

test('[supplier] a double and a triple click send one invoice each; a number already sent to the customer asks first', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(180_000);
  const customer = await newActor(browser, baseURL!);
  await customer.auth.signUp(newPerson('customer'));
  const handle = await new InvoicePages(customer.page).orgHandle();
  await auth.signUp(newPerson('supplier'));
  const supplier = new InvoicePages(page);
  const sent = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM invoices i JOIN organizations o ON o.id = i.customer_org_id WHERE o.handle = $1', [handle]))[0]!.n);
  const uploads = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM uploads u JOIN organizations o ON o.id = u.customer_org_id WHERE o.handle = $1', [handle]))[0]!.n);
  const sendButton = page.getByRole('button', { name: 'Encrypt and send' });

  await supplier.chooseRecipient(handle);
  await supplier.fillInvoice(invoice('DBL-1'));
  await sendButton.dblclick();
  await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('verification-badge')).toBeVisible();

  await supplier.chooseRecipient(handle);
  await supplier.fillInvoice(invoice('TRI-1'));
  await sendButton.click({ clickCount: 3 });
  await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('verification-badge')).toBeVisible();
  expect(await sent()).toBe(2);
  expect(await uploads()).toBe(2);

  // The same number (in other case, with a space) to the same customer: a warning, nothing uploaded.
  await supplier.chooseRecipient(handle);
  await supplier.fillInvoice(invoice('dbl-1 '));
  await sendButton.click();
  const warning = page.getByTestId('repeated-number-warning');
  await expect(warning).toContainText('You already sent number dbl-1 to');
  await expect(warning.getByRole('link', { name: 'DBL-1' })).toBeVisible();
  await expect(warning).toBeFocused();
  expect(await uploads()).toBe(2);
  await warning.getByRole('button', { name: 'Change the number' }).click();
  await expect(warning).toHaveCount(0);
  await expect(page.getByLabel('Invoice number', { exact: true })).toBeFocused();
  await sendButton.click();
  await expect(warning).toBeVisible();
  await warning.getByRole('button', { name: 'Send again with the same number' }).click();
  await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('verification-badge')).toBeVisible();
  expect(await sent()).toBe(3);

  await supplier.nav('Sent');
  await expect(page.getByTestId('invoice-row')).toHaveCount(3);
  await customer.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox', exact: true }).click();
  await expect(customer.page.getByTestId('invoice-row')).toHaveCount(3);
  await customer.context.close();
});

test('[supplier] an empty file and a fake PDF are refused as the invoice PDF, with the reason, before anything is sent', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(120_000);
  const customer = await newActor(browser, baseURL!);
  await customer.auth.signUp(newPerson('customer'));
  const handle = await new InvoicePages(customer.page).orgHandle();
  await customer.context.close();
  await auth.signUp(newPerson('supplier'));
  const supplier = new InvoicePages(page);
  const uploads = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM uploads u JOIN organizations o ON o.id = u.customer_org_id WHERE o.handle = $1', [handle]))[0]!.n);

  await supplier.chooseRecipient(handle);
  await supplier.fillInvoice(invoice('DOC-1'));
  const problem = (name: string) => page.getByTestId('outgoing-document').filter({ hasText: name }).getByTestId('document-problem');
  const kind = (name: string) => page.getByLabel(`Kind of ${name}`);

  await supplier.attach([{ name: 'empty.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(0) }]);
  await expect(kind('empty.pdf')).toHaveValue('invoice-pdf');
  await expect(problem('empty.pdf')).toHaveText(/^The file is empty \(0 bytes\)/);
  await expect(kind('empty.pdf')).toHaveAccessibleDescription(/The file is empty/);
  await page.getByRole('button', { name: 'Encrypt and send' }).click();
  await expect(page.getByRole('main').getByRole('alert').filter({ hasText: '“empty.pdf” cannot be sent: The file is empty' })).toBeVisible();
  await page.getByRole('button', { name: 'Remove empty.pdf' }).click();

  // A text file renamed .pdf, and a file that starts like a PDF but is not one.
  await supplier.attach([{ name: 'letter.pdf', mimeType: 'application/pdf', buffer: Buffer.from('Dear customer, please pay.\n') }]);
  await expect(problem('letter.pdf')).toContainText('This is not a PDF file');
  await page.getByRole('button', { name: 'Remove letter.pdf' }).click();
  await supplier.attach([{ name: 'broken.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\nthis is not really a PDF\n') }]);
  await expect(problem('broken.pdf')).toContainText('This PDF cannot be opened');
  await page.getByRole('button', { name: 'Encrypt and send' }).click();
  await expect(page.getByRole('main').getByRole('alert').filter({ hasText: '“broken.pdf” cannot be sent: This PDF cannot be opened' })).toBeVisible();
  expect(await uploads()).toBe(0);

  // As an attachment it may go; an empty attachment may not. A real PDF is accepted as the invoice PDF.
  await kind('broken.pdf').selectOption('attachment');
  await expect(problem('broken.pdf')).toHaveCount(0);
  await supplier.attach([{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) }]);
  await expect(problem('notes.txt')).toContainText('The file is empty');
  await page.getByRole('button', { name: 'Remove notes.txt' }).click();
  await supplier.attach([{ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: minimalPdf('DOC-1') }]);
  await expect(kind('invoice.pdf')).toHaveValue('invoice-pdf');
  await expect(page.getByTestId('document-problem')).toHaveCount(0);
  await supplier.send();
  expect(await uploads()).toBe(1);
});

test('[supplier] leaving while the invoice uploads asks first: a reload or closing the tab, and a link in the portal', async ({ page, auth, browser, baseURL }) => {
  test.setTimeout(180_000);
  const customer = await newActor(browser, baseURL!);
  await customer.auth.signUp(newPerson('leave-customer'));
  const handle = await new InvoicePages(customer.page).orgHandle();
  await auth.signUp(newPerson('leave-supplier'));
  const supplier = new InvoicePages(page);
  await supplier.chooseRecipient(handle);
  await supplier.fillInvoice({ number: 'LEAVE-1', net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00', iban: randomIban() });
  await supplier.attach([pdfFile('LEAVE-1.pdf', 'Invoice LEAVE-1')]);
  const beforeUnloadStops = () => page.evaluate(() => {
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });
  expect(await beforeUnloadStops()).toBe(false);

  // Hold the document's upload until the checks are done.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  await page.route('**/api/uploads/*/files/*/parts/*', async (route) => {
    held();
    await released;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Encrypt and send' }).click();
  await holding;

  // A reload, closing the tab or another address: the browser's own prompt.
  expect(await beforeUnloadStops()).toBe(true);
  // A link of the portal: asked, and staying keeps the upload going.
  const asked = new Promise<string>((resolve) => page.once('dialog', (dialog) => {
    resolve(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  }));
  await page.locator('header nav .menu a[href="/inbox"]').click();
  expect(await asked).toBe(`confirm: ${LEAVE_QUESTION}`);
  await expect(page).toHaveURL(/\/invoices\/new$/);

  // The browser's Back button: asked too, and staying keeps the page, its form and the upload.
  const askedOnBack = nextDialog(page, 'dismiss');
  await page.evaluate(() => window.history.back());
  expect(await askedOnBack).toBe(`confirm: ${LEAVE_QUESTION}`);
  await expect(page).toHaveURL(/\/invoices\/new$/);
  await expect(page.getByRole('form', { name: 'Invoice details' }).getByLabel('Invoice number', { exact: true })).toHaveValue('LEAVE-1');
  // Asked again on a second Back: the guard is back in place.
  const askedAgain = nextDialog(page, 'dismiss');
  await page.evaluate(() => window.history.back());
  expect(await askedAgain).toBe(`confirm: ${LEAVE_QUESTION}`);
  await expect(page).toHaveURL(/\/invoices\/new$/);

  release();
  await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/, { timeout: 120_000 });
  await expect(page.getByTestId('verification-badge')).toBeVisible();
  expect(await beforeUnloadStops()).toBe(false);
  // The delivered invoice took the guard's place: Back now goes straight to the form, unasked.
  let dialogs = 0;
  page.on('dialog', (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });
  await page.goBack();
  await expect(page).toHaveURL(/\/invoices\/new$/);
  await expect(page.getByRole('button', { name: 'Find' })).toBeVisible();
  expect(dialogs).toBe(0);
  await customer.context.close();
});

test('[supplier] Back during the upload, confirmed, leaves the page for the one before it', async ({ page, auth, browser, baseURL }) => {
  test.setTimeout(180_000);
  const customer = await newActor(browser, baseURL!);
  await customer.auth.signUp(newPerson('back-customer'));
  const handle = await new InvoicePages(customer.page).orgHandle();
  await auth.signUp(newPerson('back-supplier'));
  const supplier = new InvoicePages(page);
  await supplier.nav('Settings');
  await supplier.chooseRecipient(handle);
  await supplier.fillInvoice({ number: 'BACK-1', net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00', iban: randomIban() });
  await supplier.attach([pdfFile('BACK-1.pdf', 'Invoice BACK-1')]);
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  // The upload never finishes while the page is open.
  await page.route('**/api/uploads/*/files/*/parts/*', () => held());
  await page.getByRole('button', { name: 'Encrypt and send' }).click();
  await holding;

  const asked = nextDialog(page, 'accept');
  await page.evaluate(() => window.history.back());
  expect(await asked).toBe(`confirm: ${LEAVE_QUESTION}`);
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await customer.context.close();
});

const LEAVE_QUESTION = 'This invoice is not sent yet: its upload is running or waiting to be retried. Leave the page and lose it?';

/** The next dialog's type and message, answered as told. */
function nextDialog(page: Page, answer: 'accept' | 'dismiss'): Promise<string> {
  return new Promise((resolve) => page.once('dialog', (dialog) => {
    resolve(`${dialog.type()}: ${dialog.message()}`);
    void (answer === 'accept' ? dialog.accept() : dialog.dismiss());
  }));
}
