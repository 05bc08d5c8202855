import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, newActor, newPerson, test } from './fixtures';
import { InvoicePages } from './pages/invoice-pages';
import { shot } from './shots';
import { einvoiceXmlFile, pdfFile, randomIban } from './test-documents';

// CI and developers have the project workspace's shared/ beside the repository.
const SAMPLES = path.resolve('../shared/samples/einvoice');
// Reading a Factur-X PDF starts pdf.js in a worker and validates the XML in the page: seconds on
// an idle machine, much longer on a busy two-core one. Waits for a reading get this bound.
const READ = { timeout: 90_000 };
const facturX = { name: 'XRECHNUNG_Einfach.pdf', mimeType: 'application/pdf', buffer: readFileSync(path.join(SAMPLES, 'facturx-pdf/XRECHNUNG_Einfach.pdf')) };

async function pair(page: import('@playwright/test').Page, auth: { signUp: (p: ReturnType<typeof newPerson>) => Promise<unknown> }, browser: import('@playwright/test').Browser, baseURL: string) {
  const customer = await newActor(browser, baseURL);
  await customer.auth.signUp(newPerson('customer'));
  const inbox = new InvoicePages(customer.page);
  const handle = await inbox.orgHandle();
  await auth.signUp(newPerson('supplier'));
  const supplier = new InvoicePages(page);
  await supplier.chooseRecipient(handle);
  return { customer, inbox, supplier };
}

test('[supplier] drops a Factur-X PDF, the form fills from it, and the [customer] reads the e-invoice as a page', async ({ page, auth, browser, baseURL }) => {
  test.setTimeout(300_000);
  const { customer, inbox, supplier } = await pair(page, auth, browser, baseURL!);

  await supplier.attach([facturX, pdfFile('terms.pdf', 'General terms')]);
  const form = page.getByRole('form', { name: 'Invoice details' });
  await expect(form.getByLabel('Invoice number', { exact: true })).toHaveValue('471102', READ);
  await expect(form.getByLabel('Issue date', { exact: true })).toHaveValue('2018-03-05');
  await expect(form.getByLabel('Payable', { exact: true })).toHaveValue('529.87');
  await expect(form.getByLabel('Net', { exact: true })).toHaveValue('473.00');
  await expect(form.getByLabel('Seller name', { exact: true })).toHaveValue('Lieferant GmbH');
  await expect(form.getByLabel('Seller VAT id', { exact: true })).toHaveValue('DE123456789');
  await expect(form.getByLabel('Buyer name', { exact: true })).toHaveValue('Kunden AG Mitte');
  await expect(form.getByLabel('IBAN', { exact: true })).toHaveValue('DE02120300000000202051');
  await expect(form.getByLabel('BIC', { exact: true })).toHaveValue('BYLADEM1001');
  // What was read, and the validation report, before sending; a PDF without an e-invoice says so.
  const intake = page.getByTestId('einvoice-intake');
  await expect(intake).toContainText('embedded xrechnung.xml');
  await expect(intake.getByTestId('einvoice-report')).toContainText('Passes the EN 16931 business rules');
  await expect(intake.getByTestId('einvoice-read-error')).toContainText('terms.pdf: This PDF has no embedded e-invoice');

  await supplier.send();
  await expect(page.getByTestId('einvoice-mismatch')).toHaveCount(0);

  await inbox.openFromInbox('471102');
  const view = customer.page.getByTestId('einvoice-view');
  await expect(view).toContainText('Lieferant GmbH', READ);
  await expect(view.getByTestId('einvoice-lines')).toContainText('Trennblätter A4');
  await expect(view.getByTestId('einvoice-lines')).toContainText('Joghurt Banane');
  await expect(view.getByTestId('einvoice-vat')).toContainText('19.00 %');
  await expect(view.getByTestId('einvoice-totals')).toContainText('529.87 EUR');
  await expect(view.getByTestId('einvoice-payment')).toContainText('DE02 1203 0000 0000 2020 51');
  await expect(customer.page.getByText('terms.pdf: This PDF has no embedded e-invoice')).toBeVisible();
  await expect(customer.page.getByTestId('einvoice-mismatch')).toHaveCount(0);
  await inbox.confirmFirstPayment();
  await expect(customer.page.getByTestId('payment-details')).toBeVisible();
  const raw = view.getByLabel('XML of XRECHNUNG_Einfach.pdf');
  await expect(raw).toBeHidden();
  await view.getByText('Show the raw XML').click();
  await expect(raw).toContainText('CrossIndustryInvoice');
  await customer.context.close();
});

test('[supplier] confirms each difference from the attached e-invoice, and the [customer] is stopped by the mismatch warning', async ({ page, auth, browser, baseURL }) => {
  test.setTimeout(300_000);
  const { customer, inbox, supplier } = await pair(page, auth, browser, baseURL!);

  await supplier.attach([facturX]);
  const form = page.getByRole('form', { name: 'Invoice details' });
  await expect(form.getByLabel('Invoice number', { exact: true })).toHaveValue('471102', READ);
  // A newcomer's form says another amount payable and another account than the e-invoice.
  const otherIban = randomIban();
  await supplier.fillInvoice({ number: '471102', net: '473.00', tax: '56.87', gross: '529.87', payable: '500.00', iban: otherIban });
  await page.getByRole('button', { name: 'Encrypt and send' }).click();

  const confirm = page.getByTestId('mismatch-confirm');
  await expect(confirm).toContainText('Amount payable: the form says 500.00, XRECHNUNG_Einfach.pdf says 529.87');
  await expect(confirm).toContainText(`IBAN: the form says ${otherIban}, XRECHNUNG_Einfach.pdf says DE02120300000000202051`);
  const sendAnyway = confirm.getByRole('button', { name: 'Send with these 2 differences' });
  await expect(sendAnyway).toBeDisabled();
  await confirm.getByRole('checkbox', { name: /Amount payable/ }).check();
  await expect(sendAnyway).toBeDisabled();
  await confirm.getByRole('checkbox', { name: /IBAN/ }).check();
  await sendAnyway.click();
  await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/, { timeout: 120_000 });
  await expect(page.getByTestId('einvoice-mismatch')).toContainText('Amount payable', READ);

  // The list warns from the signed header alone; the invoice page finds the differences itself.
  await inbox.nav('Inbox');
  await expect(customer.page.getByTestId('einvoice-mismatch-badge')).toBeVisible();
  await inbox.openFromInbox('471102');
  const warning = customer.page.getByTestId('einvoice-mismatch');
  await expect(warning).toContainText('Do not pay this invoice yet', READ);
  await expect(warning.locator('tr[data-field="payable"]')).toContainText('529.87');
  await expect(warning.locator('tr[data-field="iban"]')).toContainText('DE02120300000000202051');
  await expect(customer.page.getByTestId('payment-details')).toHaveCount(0);
  await customer.page.getByRole('button', { name: /I confirmed the payment details with the supplier/ }).click();
  // Then the payee check of DESIGN §3.4: a first payment to this supplier is its own explicit step.
  await inbox.confirmFirstPayment();
  await expect(customer.page.getByTestId('payment-details')).toBeVisible();
  await customer.context.close();
});

test('[supplier] enters line items; totals are exact and an XRechnung is generated, attached and read by the [customer]', async ({ page, auth, browser, baseURL }) => {
  test.setTimeout(300_000);
  const { customer, inbox, supplier } = await pair(page, auth, browser, baseURL!);
  await supplier.fillInvoice({ number: 'XR-2026-7', net: '', tax: '', gross: '', payable: '', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX', reference: 'XR-2026-7', sellerVatId: 'DE123456789' });
  const lines = page.getByTestId('line-items');
  await lines.getByRole('button', { name: 'Add line' }).click();
  await lines.getByLabel('Line 1 description').fill('Consulting');
  await lines.getByLabel('Line 1 quantity').fill('12.5');
  await lines.getByLabel('Line 1 unit', { exact: true }).selectOption('HUR');
  await lines.getByLabel('Line 1 unit price').fill('120');
  await lines.getByRole('button', { name: 'Add line' }).click();
  await lines.getByLabel('Line 2 description').fill('Handbook');
  await lines.getByLabel('Line 2 quantity').fill('3');
  await lines.getByLabel('Line 2 unit price').fill('19.99');
  await lines.getByLabel('Line 2 VAT rate').fill('7');
  const form = page.getByRole('form', { name: 'Invoice details' });
  // 1500.00 at 19 % and 59.97 at 7 %: VAT 285.00 + 4.20, computed exactly.
  await expect(form.getByLabel('Net', { exact: true })).toHaveValue('1559.97');
  await expect(form.getByLabel('Tax', { exact: true })).toHaveValue('289.20');
  await expect(form.getByLabel('Payable', { exact: true })).toHaveValue('1849.17');

  // XRechnung needs more than the header: the rules name what is missing before anything is sent.
  await page.getByRole('button', { name: 'Encrypt and send' }).click();
  await expect(page.getByTestId('einvoice-report').locator('tr[data-rule="BR-DE-15"]')).toBeVisible();
  const details = page.getByTestId('xrechnung-details');
  for (const [label, value] of [['Seller street', 'Hauptstraße 1'], ['Seller post code', '10115'], ['Seller city', 'Berlin'], ['Seller contact person', 'Erika Muster'], ['Seller phone', '+49 30 1234567'], ['Seller e-mail', 'billing@muster.example'], ['Buyer street', 'Marktplatz 2'], ['Buyer post code', '80331'], ['Buyer city', 'München'], ['Buyer reference (Leitweg-ID)', '04011000-12345-34']] as const) {
    await details.getByLabel(label).fill(value);
  }
  await supplier.send();

  await inbox.openFromInbox('XR-2026-7');
  const view = customer.page.getByTestId('einvoice-view');
  await expect(view).toContainText('urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0', READ);
  await expect(view.getByTestId('einvoice-lines')).toContainText('Consulting');
  await expect(view.getByTestId('einvoice-vat')).toContainText('285.00 EUR');
  await expect(view.getByTestId('einvoice-totals')).toContainText('1849.17 EUR');
  await expect(view.getByTestId('einvoice-report')).toContainText('Passes the EN 16931 business rules');
  await expect(customer.page.getByTestId('einvoice-mismatch')).toHaveCount(0);
  await customer.context.close();
});

test('[supplier] reading in German sees the EN 16931 rule findings of a dropped e-invoice in German', async ({ page, auth }) => {
  test.setTimeout(300_000);
  await auth.signUp(newPerson('einv-de'));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('radio', { name: 'Deutsch (German)' }).check();
  const nav = page.getByRole('navigation', { name: 'Hauptmenü' });
  const menu = nav.getByRole('button', { name: 'Menü' });
  if (await menu.isVisible()) await menu.click();
  await nav.getByRole('link', { name: 'Neue Rechnung' }).click();
  // A real CII invoice without the postal addresses EN 16931 requires (BR-08, BR-10).
  const file = einvoiceXmlFile('ohne-anschrift.xml', { number: 'DE-RULES-1', issueDate: '2026-11-20', dueDate: '2026-12-20', currency: 'EUR', net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00', sellerName: 'Muster GmbH', sellerVatId: 'DE123456789', buyerName: 'Kunde AG', buyerVatId: 'DE987654321', payeeName: 'Muster GmbH', iban: randomIban(), bic: 'COBADEFFXXX', reference: 'DE-RULES-1' }, 'Hinweis', 'Beratung');
  await page.getByLabel('Dokumente hinzufügen').setInputFiles([file]);
  const report = page.getByTestId('einvoice-report');
  await expect(report.locator('tr[data-rule="BR-08"]')).toContainText('Eine Rechnung muss die Postanschrift des Verkäufers (BG-5) enthalten.', READ);
  await expect(report.locator('tr[data-rule="BR-10"]')).toContainText('Eine Rechnung muss die Postanschrift des Käufers (BG-8) enthalten.');
  await shot(page, 'rules-de');
});
