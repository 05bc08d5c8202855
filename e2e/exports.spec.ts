import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { expect, newActor, newPerson, test } from './fixtures';
import { InvoicePages } from './pages/invoice-pages';
import { pdfFile, randomIban, xmlFile } from './test-documents';

// Exports are built in the customer's browser from decrypted data: a CSV of the list as shown and a
// ZIP of the selected invoices' documents, byte for byte.

test('[customer] sees totals and overdue, exports the shown list as CSV and two invoices’ documents as a ZIP', async ({ page, auth, browser, baseURL }) => {
  test.setTimeout(240_000);
  const customer = await newActor(browser, baseURL!);
  await customer.auth.signUp(newPerson('customer'));
  const inbox = new InvoicePages(customer.page);
  const handle = await inbox.orgHandle();
  const supplierPerson = newPerson('supplier');
  await auth.signUp(supplierPerson);
  const supplier = new InvoicePages(page);

  const docs = {
    'EXP-1': [pdfFile('EXP-1.pdf', 'Invoice EXP-1', 150_000), xmlFile('EXP-1.xml', 'first')],
    'EXP-2': [pdfFile('EXP-2.pdf', 'Invoice EXP-2')],
  };
  await supplier.chooseRecipient(handle);
  await supplier.fillInvoice({ number: 'EXP-1', issueDate: '2026-01-05', dueDate: '2026-02-04', net: '100.10', tax: '0.20', gross: '100.30', payable: '100.30', iban: randomIban() });
  await supplier.attach(docs['EXP-1']);
  await supplier.send();
  await supplier.chooseRecipient(handle);
  await supplier.fillInvoice({ number: 'EXP-2', currency: 'USD', net: '50.00', tax: '0.00', gross: '50.00', payable: '50.00', iban: randomIban() });
  await supplier.attach(docs['EXP-2']);
  await supplier.send();
  // A number a spreadsheet would run as a formula.
  await supplier.chooseRecipient(handle);
  await supplier.fillInvoice({ number: '=HYPERLINK("x")', net: '1.00', tax: '0.00', gross: '1.00', payable: '1.00', iban: randomIban() });
  await supplier.send();

  const cx = customer.page;
  await inbox.nav('Inbox');
  const rows = cx.getByTestId('invoice-row');
  await expect(rows).toHaveCount(3);
  const summary = cx.getByTestId('invoice-summary');
  await expect(summary.getByRole('row', { name: /^EUR/ })).toContainText('€101.30');
  await expect(summary.getByRole('row', { name: /^EUR/ })).toContainText('€100.30 (1)');
  await expect(summary.getByRole('row', { name: /^USD/ })).toContainText('$50.00 (1)');
  await expect(rows.filter({ hasText: 'EXP-1' }).getByTestId('overdue')).toBeVisible();
  await expect(rows.filter({ hasText: 'EXP-2' }).getByTestId('overdue')).toHaveCount(0);

  // Sorted by number, descending: the CSV follows the list as shown.
  await cx.getByRole('button', { name: 'Number' }).click();
  await cx.getByRole('button', { name: /^Number/ }).click();
  await expect(cx.getByRole('columnheader', { name: /Number/ })).toHaveAttribute('aria-sort', 'descending');
  const shown = await rows.locator('td:nth-child(2) a').allTextContents();
  const [csvDownload] = await Promise.all([cx.waitForEvent('download'), cx.getByRole('button', { name: /^Export CSV/ }).click()]);
  expect(csvDownload.suggestedFilename()).toMatch(/^zkinvoice-inbox-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await csvDownload.path(), 'utf8');
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const lines = csv.slice(1).split('\r\n');
  expect(shown).toEqual(['EXP-2', 'EXP-1', '=HYPERLINK("x")']);
  expect(lines).toHaveLength(4);
  expect(lines[0]).toBe('Number,Supplier,Type,Issue date,Due date,Currency,Net,Tax,Gross,Payable,Status,Overdue,Verified');
  // Each record is the row shown at its place: number, party, dates and status as the table has them
  // (without the Overdue and New badges beside the status).
  // Dates are shown in the reader's format; their machine form (as in the CSV) is the <time> element's.
  const cells = async (i: number) => {
    const [, , party, , , , status] = await rows.nth(i).locator('td').allTextContents();
    const [issued, due] = await rows.nth(i).locator('time').evaluateAll((times) => times.map((e) => e.getAttribute('datetime')));
    return { party, issued, due, status: status!.replace(/\s*Overdue$/, '').replace(/\s*New$/, '') };
  };
  const exp2 = await cells(0);
  expect(lines[1]).toBe(`EXP-2,${supplierPerson.orgName},invoice,${exp2.issued},${exp2.due},USD,50.00,0.00,50.00,50.00,${exp2.status},no,yes`);
  const exp1 = await cells(1);
  expect(exp1).toMatchObject({ party: supplierPerson.orgName, issued: '2026-01-05', due: '2026-02-04' });
  expect(lines[2]).toBe(`EXP-1,${supplierPerson.orgName},invoice,2026-01-05,2026-02-04,EUR,100.10,0.20,100.30,100.30,${exp1.status},yes,yes`);
  const formula = await cells(2);
  expect(lines[3]).toBe(`"'=HYPERLINK(""x"")",${supplierPerson.orgName},invoice,${formula.issued},${formula.due},EUR,1.00,0.00,1.00,1.00,${formula.status},no,yes`);

  // A ZIP of two selected invoices: a folder per number, each document byte for byte.
  await cx.getByRole('checkbox', { name: 'Select EXP-1' }).check();
  await cx.getByRole('checkbox', { name: 'Select EXP-2' }).check();
  const [zipDownload] = await Promise.all([cx.waitForEvent('download'), cx.getByRole('button', { name: 'Download documents as ZIP (2 selected)' }).click()]);
  expect(zipDownload.suggestedFilename()).toMatch(/^zkinvoice-inbox-documents-\d{4}-\d{2}-\d{2}\.zip$/);
  const entries = unzipSync(new Uint8Array(readFileSync(await zipDownload.path())));
  expect(Object.keys(entries).sort()).toEqual(['EXP-1/EXP-1.pdf', 'EXP-1/EXP-1.xml', 'EXP-2/EXP-2.pdf']);
  for (const [number, files] of Object.entries(docs).slice(0, 2)) {
    for (const file of files) expect(Buffer.from(entries[`${number}/${file.name}`]!)).toEqual(file.buffer);
  }
  await expect(cx.getByRole('status').filter({ hasText: 'ZIP of 3 documents from 2 invoices ready' })).toBeVisible();

  // Overdue on the invoice page too, computed from the decrypted due date.
  await inbox.openFromInbox('EXP-1');
  await expect(cx.getByTestId('payment-panel').getByTestId('overdue')).toHaveText('Overdue since Feb 4, 2026');
  // The supplier's sent list: outstanding and overdue per currency.
  await supplier.nav('Sent');
  const sent = page.getByTestId('invoice-summary');
  await expect(sent.getByRole('columnheader', { name: 'Outstanding' })).toBeVisible();
  await expect(sent.getByRole('row', { name: /^EUR/ })).toContainText('€101.30 (2)');
  await expect(sent.getByRole('row', { name: /^EUR/ })).toContainText('€100.30 (1)');
  await customer.context.close();
});
