import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, newActor, newPerson, test } from './fixtures';
import { InvoicePages } from './pages/invoice-pages';
import { pdfFile } from './test-documents';

// CI and developers have the project workspace's shared/ beside the repository.
const SAMPLES = path.resolve('../shared/samples/einvoice');
// The signed header agrees with the attached e-invoice, as the invoice page checks (issue #12).
const pdf = pdfFile('invoice-12115118.pdf', 'Invoice 12115118');
const xml = { name: 'CII_example1.xml', mimeType: 'application/xml', buffer: readFileSync(path.join(SAMPLES, 'en16931-cii/CII_example1.xml')) };

test('[supplier] sends a PDF and an XML that the [customer] opens, verifies, previews and downloads byte for byte', async ({ page, auth, browser, baseURL }) => {
  test.setTimeout(180_000);
  const customer = await newActor(browser, baseURL!);
  await customer.auth.signUp(newPerson('customer'));
  const customerHandle = await new InvoicePages(customer.page).orgHandle();

  await auth.signUp(newPerson('supplier'));
  const supplier = new InvoicePages(page);
  await supplier.chooseRecipient(customerHandle);
  await supplier.fillInvoice({ number: '12115118', issueDate: '2015-01-09', dueDate: '2015-01-09', net: '229.60', tax: '20.73', gross: '250.33', payable: '250.33', iban: 'NL57 RABO 0107 3075 10', bic: 'RABONL2U', reference: '12115118' });
  await supplier.attach([pdf, xml]);
  await supplier.send();

  const inbox = new InvoicePages(customer.page);
  await inbox.openFromInbox('12115118');
  await expect(customer.page.getByTestId('signature-status')).toContainText('Valid signature');
  // The inbox pinned the new supplier's keys on first sight; the invoice page names the pin.
  await expect(customer.page.getByTestId('signature-status')).toContainText('keys match the ones pinned on');
  const details = customer.page.getByTestId('invoice-details');
  await expect(details).toContainText('€250.33');
  // Bank details are shown only by the payment panel, after the payee check: a first payment is an explicit step.
  await inbox.confirmFirstPayment();
  await expect(customer.page.getByTestId('payment-details')).toContainText('NL57 RABO 0107 3075 10');
  await expect(customer.page.getByTestId('pdf-preview').locator('canvas').first()).toBeVisible();
  await expect(customer.page.getByLabel('Contents of CII_example1.xml')).toContainText('CrossIndustryInvoice');

  for (const original of [pdf, xml]) {
    const download = await inbox.download(original.name);
    expect(download.suggestedFilename()).toBe(original.name);
    expect(readFileSync(await download.path())).toEqual(original.buffer);
  }

  await inbox.nav('Inbox');
  await expect(customer.page.getByTestId('invoice-row')).toHaveCount(1);
  await supplier.nav('Sent');
  await expect(page.getByTestId('invoice-row')).toHaveCount(1);
  await expect(page.getByTestId('invoice-row')).toContainText('12115118');
  await customer.context.close();
});
