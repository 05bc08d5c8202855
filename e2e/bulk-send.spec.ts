import { expect, newActor, newPerson, test } from './fixtures';
import { InvoicePages, type UploadFile } from './pages/invoice-pages';
import { shot } from './shots';
import { facturXPdf } from './test-documents';
import { invoiceFromForm, type InvoiceForm } from '@/lib/einvoice/form';
import { generateEInvoice } from '@/lib/einvoice/generate';

// Reading and sending each invoice encrypts and uploads in the page: slow on a busy two-core machine.
const SLOW = { timeout: 180_000 };

/** A complete XRechnung (passes every rule the portal checks) for one buyer, as an ERP would export it. */
function xrechnung(name: string, syntax: 'CII' | 'UBL', input: { number: string; buyerName: string; buyerVatId: string; buyerEmail?: string; unitPrice: string }): UploadFile {
  const form: InvoiceForm = {
    typeCode: '380', number: input.number, issueDate: '2026-11-20', dueDate: '2026-12-20', currency: 'EUR',
    buyerReference: '04011000-12345-34', paymentTerms: 'Payable within 30 days without deduction.', note: 'Bulk test',
    seller: { name: 'Muster Software GmbH', vatId: 'DE123456789', street: 'Hauptstraße 1', city: 'Berlin', postcode: '10115', country: 'DE', email: 'billing@muster.example', contactName: 'Erika Muster', phone: '+49 30 1234567' },
    buyer: { name: input.buyerName, vatId: input.buyerVatId, street: 'Marktplatz 2', city: 'München', postcode: '80331', country: 'DE', email: input.buyerEmail ?? '' },
    payeeName: '', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX', reference: input.number, precedingNumber: '',
    lines: [{ description: 'Consulting', quantity: '1', unit: 'HUR', unitPrice: input.unitPrice, vatCategory: 'S', vatRate: '19' }],
  };
  const model = invoiceFromForm(form);
  return { name, mimeType: 'application/xml', buffer: Buffer.from(generateEInvoice({ ...model, syntax }, syntax), 'utf8') };
}

/** The same invoice as a Factur-X PDF: the CII embedded as factur-x.xml, read in the browser by pdf.js. */
function facturX(name: string, input: Parameters<typeof xrechnung>[2]): UploadFile {
  const xml = xrechnung(name, 'CII', input).buffer.toString('utf8');
  return { name, mimeType: 'application/pdf', buffer: facturXPdf(`Invoice ${input.number}`, xml) };
}

test('[supplier] bulk-sends five e-invoices to two remembered customers (two each) and one assigned once; a re-drop skips what was sent, and the [customers] receive them', async ({ page, auth, browser, baseURL }) => {
  test.setTimeout(900_000);
  const customers = await Promise.all(['bulk-a', 'bulk-b', 'bulk-c'].map(async (label) => {
    const actor = await newActor(browser, baseURL!);
    const person = newPerson(label);
    await actor.auth.signUp(person);
    const pages = new InvoicePages(actor.page);
    return { ...actor, person, pages, handle: await pages.orgHandle() };
  }));
  const [a, b, c] = customers as [typeof customers[number], typeof customers[number], typeof customers[number]];
  await auth.signUp(newPerson('bulk-supplier'));
  const supplier = new InvoicePages(page);
  const run = Date.now().toString(36).toUpperCase();
  const vat = { a: 'DE111111111', b: 'DE222222222', c: 'DE333333333' };

  // Earlier invoices from the New-invoice form: A and B are remembered by the buyer VAT id typed there.
  for (const [customer, vatId, n] of [[a, vat.a, 1], [b, 'de 222 222 222', 2]] as const) {
    await supplier.chooseRecipient(customer.handle);
    await supplier.fillInvoice({ number: `EARLY-${run}-${n}`, net: '10.00', tax: '1.90', gross: '11.90', payable: '11.90', iban: 'DE89 3704 0044 0532 0130 00', buyerVatId: vatId });
    await supplier.send();
  }

  const files = [
    xrechnung('a.xml', 'CII', { number: `BULK-${run}-A`, buyerName: 'Kunde A AG', buyerVatId: vat.a, unitPrice: '100' }),
    xrechnung('b.xml', 'UBL', { number: `BULK-${run}-B`, buyerName: 'Kunde B GmbH', buyerVatId: vat.b, buyerEmail: 'ap@kunde-b.example', unitPrice: '200' }),
    xrechnung('c.xml', 'CII', { number: `BULK-${run}-C`, buyerName: 'Kunde C KG', buyerVatId: vat.c, unitPrice: '300' }),
    // A second invoice each for A and B, matched by the same remembered VAT ids: A's in the other
    // syntax, B's as a Factur-X PDF (the customer gets the PDF, and the e-invoice read from inside it).
    xrechnung('a2.xml', 'UBL', { number: `BULK-${run}-A2`, buyerName: 'Kunde A AG', buyerVatId: vat.a, unitPrice: '400' }),
    facturX('b2.pdf', { number: `BULK-${run}-B2`, buyerName: 'Kunde B GmbH', buyerVatId: vat.b, unitPrice: '500' }),
  ];
  const names = files.map((f) => f.name);
  await supplier.nav('New invoice');
  await page.getByRole('link', { name: 'Sending many e-invoices? Send them in bulk' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Send e-invoices in bulk' })).toBeVisible();
  await page.getByLabel('Add e-invoices').setInputFiles(files);

  const row = (file: string) => page.locator(`[data-testid="bulk-item"][data-file="${file}"]`);
  await expect(row('a.xml').getByTestId('bulk-customer')).toContainText(a.person.orgName, SLOW);
  await expect(row('b.xml').getByTestId('bulk-customer')).toContainText(b.person.orgName, SLOW);
  await expect(row('c.xml')).toHaveAttribute('data-state', 'ready', SLOW);
  await expect(row('c.xml').getByTestId('bulk-customer')).toContainText('Not assigned yet');
  await expect(row('a2.xml').getByTestId('bulk-customer')).toContainText(a.person.orgName, SLOW);
  await expect(row('b2.pdf').getByTestId('bulk-customer')).toContainText(b.person.orgName, SLOW);
  await expect(row('a.xml')).toContainText(`Invoice BULK-${run}-A`);

  // The unknown buyer is asked once, by name and VAT id.
  const buyers = page.getByTestId('bulk-buyers');
  await expect(buyers.getByTestId('bulk-buyer')).toHaveCount(1);
  await expect(buyers).toContainText('Kunde C KG (VAT id DE333333333) — 1 invoice');
  await shot(page, 'assign');
  await buyers.getByLabel('Organization handle for Kunde C KG').fill(c.handle);
  await buyers.getByRole('button', { name: 'Find and assign' }).click();
  await expect(row('c.xml').getByTestId('bulk-customer')).toContainText(c.person.orgName);
  await expect(page.getByTestId('bulk-buyers')).toHaveCount(0);

  await page.getByRole('button', { name: 'Encrypt and send 5 invoices' }).click();
  for (const file of names) await expect(row(file)).toHaveAttribute('data-state', 'sent', SLOW);
  await expect(page.getByTestId('bulk-summary')).toHaveText('5 sent, 0 skipped as already sent, 0 failed, 0 left');
  await shot(page, 'sent');

  // A reload forgets the queue; dropping the same files again finds them in the Sent list and C remembered.
  await page.reload();
  await auth.unlockWithPasskey();
  await page.getByLabel('Add e-invoices').setInputFiles(files);
  await expect(row('c.xml').getByTestId('bulk-customer')).toContainText(c.person.orgName, SLOW);
  await expect(page.getByTestId('bulk-buyers')).toHaveCount(0);
  await page.getByRole('button', { name: 'Encrypt and send 5 invoices' }).click();
  for (const file of names) await expect(row(file)).toHaveAttribute('data-state', 'skipped', SLOW);
  await expect(page.getByTestId('bulk-summary')).toHaveText('0 sent, 5 skipped as already sent, 0 failed, 0 left');

  // Each customer has its invoice, signed with the header the file states.
  const received = { a: [['A', '119.00'], ['A2', '476.00']], b: [['B', '238.00'], ['B2', '595.00']], c: [['C', '357.00']] } as const;
  for (const [customer, mine] of [[a, received.a], [b, received.b], [c, received.c]] as const) {
    await customer.pages.nav('Inbox');
    // Each customer has exactly its own: no invoice of another buyer went to it.
    await expect(customer.page.getByTestId('invoice-row').filter({ hasText: `BULK-${run}-` })).toHaveCount(mine.length, SLOW);
    for (const [letter, payable] of mine) await expect(customer.page.getByTestId('invoice-row').filter({ hasText: new RegExp(`BULK-${run}-${letter}\\b`) })).toContainText(payable, SLOW);
    // The last one's number is no prefix of another's (A2, B2, C), so its link is found unambiguously.
    const number = `BULK-${run}-${mine[mine.length - 1]![0]}`;
    await customer.pages.openFromInbox(number);
    await expect(customer.page.getByTestId('verification-badge')).toBeVisible(SLOW);
    await expect(customer.page.getByTestId('einvoice-view')).toContainText(customer === a ? 'Kunde A AG' : customer === b ? 'Kunde B GmbH' : 'Kunde C KG', SLOW);
    await expect(customer.page.getByTestId('einvoice-mismatch')).toHaveCount(0);
    if (customer === b) await expect(customer.page.getByTestId('document').filter({ hasText: 'b2.pdf' })).toBeVisible();
    await customer.context.close();
  }
});
