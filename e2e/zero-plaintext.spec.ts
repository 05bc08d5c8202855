import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { formatIban } from '@/lib/shared/iban';
import { partFile } from './blobs';
import { needle, scanBuffers, scanFiles, scanTables, stringNeedle, textNeedle, type Needle, type ScanReport } from './db';
import { expect, newActor, newPerson, test } from './fixtures';
import { confirmAddress, receivedMail, waitForMail } from './mail';
import { InvoicePages, type InvoiceInput } from './pages/invoice-pages';
import { LifecyclePage } from './pages/lifecycle-page';
import { canary, einvoiceXmlFile, pdfFile, randomBic, randomIban } from './test-documents';
import { recordTraffic } from './traffic';

// DESIGN §7: the server sees metadata, and everything else only as ciphertext. Every field of an
// invoice, the document names and the document bodies carry a canary string; after a full
// exchange, the canaries are searched for — as text, hex, base64 and base64url — in every column
// of every table (and on PGlite in every file the database wrote), in every file of the blob
// store that holds the document ciphertext, in everything the server
// process printed, and in every HTTP request and response of both browsers. Positive controls,
// values that are stored, logged or sent, are searched the same way and must be found, so a scan
// that reads nothing cannot pass.

// Amounts and dates are canaries too: unusual values that occur nowhere else.
function cents(): string {
  return `${randomInt(100_000, 900_000)}.${String(randomInt(100)).padStart(2, '0')}`;
}
function addAmounts(a: string, b: string): string {
  const total = Math.round(Number(a) * 100) + Math.round(Number(b) * 100);
  return `${Math.floor(total / 100)}.${String(total % 100).padStart(2, '0')}`;
}

test('[supplier] and [customer] exchange an invoice and the server never sees a canary', async ({ page, auth, browser, baseURL, db, dbTarget }) => {
  test.setTimeout(300_000);
  const supplierTraffic = await recordTraffic(page.context(), 'supplier');
  const customer = await newActor(browser, baseURL!);
  const customerTraffic = await recordTraffic(customer.context, 'customer');

  const iban = randomIban();
  const net = cents();
  const tax = cents();
  const issueYear = randomInt(2040, 2090);
  const input: Required<InvoiceInput> = {
    number: canary('Number'),
    issueDate: `${issueYear}-03-17`,
    dueDate: `${issueYear}-04-16`,
    currency: 'EUR',
    net,
    tax,
    gross: addAmounts(net, tax),
    payable: addAmounts(net, tax),
    sellerName: canary('SellerName'),
    sellerVatId: canary('SellerVat'),
    buyerName: canary('BuyerName'),
    buyerVatId: canary('BuyerVat'),
    payeeName: canary('Payee'),
    iban,
    bic: randomBic(),
    reference: canary('Reference'),
    paymentUrl: `https://pay.example.test/${canary('PaymentUrl')}`,
    notes: `${canary('NotesLine1')}\n${canary('NotesLine2')}`,
  };
  const pdfText = canary('PdfBody');
  const xmlText = canary('XmlBody');
  const pdf = pdfFile(`${canary('PdfName')}.pdf`, pdfText);
  // A real EN 16931 e-invoice, so the XML's content is read and shown as a page in the browser.
  const xmlLine = canary('XmlLine');
  const xml = einvoiceXmlFile(`${canary('XmlName')}.xml`, input, xmlText, xmlLine);

  const canaries: Needle[] = [
    ...Object.entries(input)
      .filter(([field]) => field !== 'currency')
      .map(([field, value]) => stringNeedle(field, value)),
    stringNeedle('IBAN, printed', formatIban(iban)),
    stringNeedle('IBAN account digits', iban.slice(4)),
    ...input.notes.split('\n').map((line, i) => stringNeedle(`notes line ${i + 1}`, line)),
    stringNeedle('PDF file name', pdf.name),
    stringNeedle('XML file name', xml.name),
    stringNeedle('PDF body text', pdfText),
    stringNeedle('XML body text', xmlText),
    stringNeedle('XML line item', xmlLine),
  ];

  // The exchange, as in exchange.spec.ts; the customer sees every canary, so they are real content.
  const customerPerson = newPerson('customer');
  const supplierPerson = newPerson('supplier');
  await customer.auth.signUp(customerPerson);
  const inbox = new InvoicePages(customer.page);
  const customerHandle = await inbox.orgHandle();
  await auth.signUp(supplierPerson);
  // Confirmed addresses, so that every notice of the exchange is really sent and scanned (d).
  await confirmAddress(customer.context, dbTarget, customerPerson.email);
  await confirmAddress(page.context(), dbTarget, supplierPerson.email);
  const supplier = new InvoicePages(page);
  const supplierHandle = await supplier.orgHandle();
  await supplier.chooseRecipient(customerHandle);
  await supplier.fillInvoice(input);
  await supplier.attach([pdf, xml]);
  const invoiceId = await supplier.send();

  await inbox.openFromInbox(input.number);
  await expect(customer.page.getByTestId('signature-status')).toContainText('Valid signature');
  const details = customer.page.getByTestId('invoice-details');
  for (const value of [input.sellerName, input.sellerVatId, input.buyerName, input.buyerVatId, input.notes.split('\n')[0]!]) {
    await expect(details).toContainText(value);
  }
  await inbox.confirmFirstPayment();
  const paymentDetails = customer.page.getByTestId('payment-details');
  for (const value of [input.payeeName, formatIban(iban), input.bic, input.reference]) await expect(paymentDetails).toContainText(value);
  await expect(customer.page.getByTestId('pdf-preview').locator('canvas').first()).toBeVisible();
  await expect(customer.page.getByLabel(`Contents of ${xml.name}`)).toContainText(xmlText);
  // The e-invoice read in the customer's browser: as a page, agreeing with the signed header.
  await expect(customer.page.getByTestId('einvoice-view')).toContainText(xmlLine);
  await expect(customer.page.getByTestId('einvoice-view')).toContainText(xmlText);
  await expect(customer.page.getByTestId('einvoice-mismatch')).toHaveCount(0);
  for (const original of [pdf, xml]) {
    const download = await inbox.download(original.name);
    expect(readFileSync(await download.path())).toEqual(original.buffer);
  }

  // Lifecycle details are content too (DESIGN §7): a partial payment (amount and reference), a
  // dispute reason and the supplier's comment. The amount stays below what is payable.
  const payment = { amount: `${randomInt(10_000, 99_999)}.${String(randomInt(100)).padStart(2, '0')}`, reference: canary('PaymentReference') };
  const disputeReason = canary('DisputeReason');
  const disputeComment = canary('DisputeComment');
  canaries.push(stringNeedle('payment amount', payment.amount), stringNeedle('payment reference', payment.reference), stringNeedle('dispute reason', disputeReason), stringNeedle('dispute comment', disputeComment));
  const customerLife = new LifecyclePage(customer.page);
  await customerLife.announcePayment(payment.amount, payment.reference);
  await customerLife.expectHistory(['issued', 'viewed', 'partially_paid']);
  await customerLife.dispute(disputeReason);
  await customerLife.expectHistory(['issued', 'viewed', 'partially_paid', 'disputed']);
  await supplier.openFromSent(input.number);
  const supplierLife = new LifecyclePage(page);
  for (const value of [payment.reference, disputeReason]) await expect(page.getByTestId('history')).toContainText(value);
  await supplierLife.comment(disputeComment);
  await supplierLife.expectHistory(['issued', 'viewed', 'partially_paid', 'disputed', 'dispute_comment']);
  await supplierLife.expectAllValid();

  await supplier.nav('Sent');
  await expect(page.getByTestId('invoice-row')).toContainText(input.number);
  await inbox.nav('Inbox');
  await expect(customer.page.getByTestId('invoice-row')).toContainText(input.number);

  // A customer without an account (DESIGN §11): its claim secret lives only in the link's fragment,
  // its address and access code only in the supplier's sealed note; none may reach the server.
  const claimEmail = `${canary('ClaimEmail')}@example.test`;
  const accessCode = canary('AccessCode');
  await supplier.nav('New invoice');
  await page.getByRole('radio', { name: 'By company name and e-mail (no account yet)' }).check();
  await page.getByLabel('Company name', { exact: true }).fill('Customer without account');
  await page.getByLabel('E-mail address for invoices').fill(claimEmail);
  await page.getByLabel('Access code (optional)').fill(accessCode);
  await page.getByRole('button', { name: 'Add customer' }).click();
  await expect(page.getByTestId('recipient')).toContainText('Customer without account');
  await supplier.nav('Sent');
  await page.getByRole('link', { name: 'Customers without an account' }).click();
  await page.getByTestId('customers').getByRole('row', { name: /Customer without account/ }).getByRole('button', { name: 'Show link' }).click();
  const claimLink = await page.getByTestId('claim-link').getByLabel('Link to hand over').inputValue();
  const claimSecret = Buffer.from(claimLink.split('#')[1]!.split('.')[0]!, 'base64url');
  expect(claimSecret.length).toBe(32);
  canaries.push(needle('claim secret', claimSecret), stringNeedle('claim e-mail address', claimEmail), stringNeedle('access code', accessCode), stringNeedle('access code, normalized', accessCode.toUpperCase()));

  // Controls that come from outside the database: the URL, the Home page and the ciphertext the
  // server holds (found as raw bytes in the download, base64url in the JSON).
  const [{ sealed_header: sealedHeader }] = (await db.query<{ sealed_header: Uint8Array }>('select sealed_header from invoices where id = $1', [invoiceId])) as [{ sealed_header: Uint8Array }];
  const [{ file_id: largestFileId }] = (await db.query<{ file_id: string }>('select file_id from invoice_files where invoice_id = $1 order by ciphertext_size desc limit 1', [invoiceId])) as [{ file_id: string }];
  const firstPart = readFileSync(partFile(dbTarget, invoiceId, largestFileId, 0));
  const stored: Needle[] = [textNeedle('invoice id', invoiceId), textNeedle('customer handle', customerHandle), textNeedle('supplier handle', supplierHandle)];
  const [{ sealed_payload: eventPayload }] = (await db.query<{ sealed_payload: Uint8Array }>("select sealed_payload from invoice_events where invoice_id = $1 and type = 'disputed'", [invoiceId])) as [{ sealed_payload: Uint8Array }];
  const ciphertext: Needle[] = [needle('sealed header', sealedHeader), needle('document ciphertext', Buffer.from(firstPart).subarray(0, 64)), needle('sealed dispute reason', eventPayload)];

  // Soft, so every scan runs and reports everything it found.
  const expectClean = (report: ScanReport, scan: string, controls: Needle[]): void => {
    expect.soft(report.scanned.length, `${scan} read something`).toBeGreaterThan(0);
    const found = new Set(report.hits.map((h) => h.needle));
    for (const control of controls) expect.soft(found.has(control.name), `${scan} must find the ${control.name}`).toBe(true);
    const leaks = report.hits.filter((h) => canaries.some((c) => c.name === h.needle));
    expect.soft(leaks, `${scan} found canaries`).toEqual([]);
  };

  // (a) The database: every column of every table; on PGlite also every file it wrote.
  const tables = await scanTables(db, [...canaries, ...stored]);
  expect(tables.scanned.some((s) => s.startsWith('public.invoices.sealed_header '))).toBe(true);
  expect(tables.scanned.some((s) => s.startsWith('public.invoice_events.sealed_payload '))).toBe(true);
  expectClean(tables, 'The table scan', stored);
  if (dbTarget.kind === 'pglite') {
    await db.query('checkpoint');
    expectClean(scanFiles(dbTarget.location, [...canaries, ...stored]), 'The PGlite file scan', stored);
  }
  const documentCiphertext = ciphertext.filter((n) => n.name === 'document ciphertext');
  const blobs = scanFiles(dbTarget.blobDir, [...canaries, ...documentCiphertext]);
  expect(blobs.scanned.some((f) => f.startsWith(`uploads/${invoiceId}/`))).toBe(true);
  expectClean(blobs, 'The blob store scan', documentCiphertext);

  // (b) The server's output. A request it logs (an audited refusal) must show up in the file while
  // the test runs, so the file is live, and not just the start-up lines.
  const logged = (event: string) => readFileSync(dbTarget.serverLog, 'utf8').split('\n').filter((line) => line.includes(`"event":"${event}"`)).length;
  const before = logged('account.sign_up_options');
  expect((await page.request.post('/api/auth/sign-up/options', { data: { displayName: '', email: 'x', orgName: '' } })).status()).toBe(400);
  await expect.poll(() => logged('account.sign_up_options')).toBeGreaterThan(before);
  const logControls = [textNeedle('start-up line', '"event":"server.started"'), textNeedle('this server’s origin', `"origin":"${baseURL}"`)];
  expectClean(scanBuffers([{ where: dbTarget.serverLog, bytes: readFileSync(dbTarget.serverLog) }], [...canaries, ...logControls]), 'The server log scan', logControls);

  // (c) Every HTTP message of both browsers, bodies included.
  const traffic = [supplierTraffic.traffic, customerTraffic.traffic];
  const requests = traffic.flatMap((t) => t.requests);
  const responses = traffic.flatMap((t) => t.responses);
  expect(customerTraffic.traffic.responses.filter((r) => r.where.includes(`/api/invoices/${invoiceId}/files/`))).toHaveLength(2);
  expect(requests.some((r) => r.where.includes(`/api/uploads/${invoiceId}/commit`))).toBe(true);
  expectClean(scanBuffers(responses, [...canaries, ...stored, ...ciphertext]), 'The response scan', [...stored, ...ciphertext]);
  // The browsers send the customer's handle (the look-up) but never the supplier's own.
  const sent = [...stored.filter((n) => n.name !== 'supplier handle'), ...ciphertext];
  expectClean(scanBuffers(requests, [...canaries, ...sent]), 'The request scan', sent);

  // (d) Every e-mail the exchange caused (DESIGN §12), as the SMTP server received it: they name
  // organizations and link to the invoice, and hold no canary.
  await waitForMail(dbTarget, customerPerson.email, /^New invoice from /);
  await waitForMail(dbTarget, supplierPerson.email, /disputed an invoice$/);
  await waitForMail(dbTarget, customerPerson.email, /commented on a disputed invoice$/);
  const mailControls = [textNeedle('invoice id in a link', invoiceId), textNeedle('supplier name', supplierPerson.orgName)];
  // Raw as received, and decoded (quoted-printable and base64 would hide a canary from the raw scan).
  const mails = (await receivedMail(dbTarget)).flatMap((m) => [
    { where: m.file, bytes: m.raw },
    { where: `${m.file} (decoded)`, bytes: Buffer.from([m.parsed.subject, m.parsed.text, m.parsed.html].join('\n')) },
  ]);
  expectClean(scanBuffers(mails, [...canaries, ...mailControls]), 'The e-mail scan', mailControls);
  await customer.context.close();
});
