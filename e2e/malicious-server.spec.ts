import { readFileSync } from 'node:fs';
import type { BrowserContext } from '@playwright/test';
import type { InvoiceProblem } from '@/lib/client/open-invoice';
import { englishT } from '@/lib/shared/i18n';
import {
  dropLastRecord,
  editManifest,
  flipDocumentByte,
  flipHeaderByte,
  forgeKeys,
  forgeSignerAndManifest,
  readManifest,
  replaceOrgPublicKeys,
  serveSupplierUnderOtherId,
  swapDocumentCiphertext,
  swapSealedInvoices,
  withholdOrgKeys,
} from './malicious-server';
import { expect, newActor, newPerson, test } from './fixtures';
import { InvoicePages, type UploadFile } from './pages/invoice-pages';
import { pdfFile } from './test-documents';

// DESIGN §2: a malicious server may withhold data, but must not make the customer's browser accept
// an altered, swapped, truncated or re-signed invoice without a visible warning. The supplier sends
// a batch of invoices once; each test then edits the database — as the server could — between
// the sending and the customer's opening, and checks that the customer sees the matching blocking
// warning and not the content. Each test tampers with its own invoices only.

test.describe.configure({ mode: 'default' });

// Several 64 KiB records, so a record can be dropped; equal lengths, so documents can be swapped.
const FILLER = 200_000;
const pdfFor = (number: string): UploadFile => pdfFile(`${number}.pdf`, `Invoice ${number}`, FILLER);

const INVOICES = {
  control: { number: 'MAL-CONTROL', documents: true },
  headerSwapA: { number: 'MAL-HDRSWAP-A', documents: false },
  headerSwapB: { number: 'MAL-HDRSWAP-B', documents: false },
  documentSwapA: { number: 'MAL-DOCSWAP-A', documents: true },
  documentSwapB: { number: 'MAL-DOCSWAP-B', documents: true },
  documentByte: { number: 'MAL-DOCBYTE', documents: true },
  headerByte: { number: 'MAL-HDRBYTE', documents: false },
  lastRecord: { number: 'MAL-LASTRECORD', documents: true },
  manifestDate: { number: 'MAL-MANIFEST-DATE', documents: false },
  manifestSize: { number: 'MAL-MANIFEST-SIZE', documents: true },
  otherOrgId: { number: 'MAL-OTHER-ORG-ID', documents: false },
  forgedSigner: { number: 'MAL-FORGED-SIGNER', documents: false },
} as const;
type Name = keyof typeof INVOICES;

let contexts: BrowserContext[] = [];
let customer: InvoicePages;
const ids = {} as Record<Name, string>;

test.beforeAll(async ({ browser }, testInfo) => {
  testInfo.setTimeout(300_000);
  const baseURL = testInfo.project.use.baseURL!;
  const customerActor = await newActor(browser, baseURL);
  const supplierActor = await newActor(browser, baseURL);
  contexts = [customerActor.context, supplierActor.context];
  await customerActor.auth.signUp(newPerson('customer'));
  customer = new InvoicePages(customerActor.page);
  const handle = await customer.orgHandle();
  await supplierActor.auth.signUp(newPerson('supplier'));
  const supplier = new InvoicePages(supplierActor.page);
  for (const [name, { number, documents }] of Object.entries(INVOICES) as [Name, (typeof INVOICES)[Name]][]) {
    await supplier.chooseRecipient(handle);
    await supplier.fillInvoice({ number, net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00', iban: 'DE89 3704 0044 0532 0130 00' });
    if (documents) await supplier.attach([pdfFor(number)]);
    ids[name] = await supplier.send();
  }
});

test.afterAll(async () => {
  for (const context of contexts) await context.close();
});

/** The invoice page refuses the invoice: the warning names `problem`, and no content is shown. */
async function expectInvoiceBlocked(problem: InvoiceProblem): Promise<void> {
  const page = customer.page;
  await expect(page.getByRole('heading', { name: 'Invoice could not be verified' })).toBeVisible();
  await expect(page.getByTestId('invoice-warning').locator(`li[data-problem="${problem}"]`)).toHaveText(englishT(`problem.${problem}`));
  await expect(page.getByTestId('signature-status')).toHaveCount(0);
  await expect(page.getByTestId('invoice-details')).toHaveCount(0);
  await expect(page.getByTestId('document')).toHaveCount(0);
}

/** The details verified, but the document failed: warning shown, no preview, no download. */
async function expectDocumentBlocked(number: string): Promise<void> {
  const page = customer.page;
  await expect(page.getByTestId('signature-status')).toContainText('Valid signature');
  await expect(page.getByTestId('invoice-details')).toContainText(number);
  const panel = page.getByRole('article', { name: `${number}.pdf` });
  await expect(panel.getByTestId('document-warning')).toBeVisible();
  await expect(panel.getByRole('button', { name: `Download ${number}.pdf` })).toBeDisabled();
  await expect(panel.locator('canvas')).toHaveCount(0);
}

test('[customer] opens an untampered invoice: verified, shown, its document byte for byte, and the supplier’s keys pinned', async () => {
  const { number } = INVOICES.control;
  await customer.openFromInboxById(ids.control);
  await expect(customer.page.getByTestId('signature-status')).toContainText('Valid signature');
  await expect(customer.page.getByTestId('invoice-warning')).toHaveCount(0);
  await expect(customer.page.getByTestId('invoice-details')).toContainText(number);
  await expect(customer.page.getByTestId('pdf-preview').locator('canvas').first()).toBeVisible();
  await expect(customer.page.getByTestId('document-warning')).toHaveCount(0);
  const download = await customer.download(`${number}.pdf`);
  expect(readFileSync(await download.path())).toEqual(pdfFor(number).buffer);
});

test('[malicious server] swaps the sealed headers and manifests of two invoices: [customer] sees both blocked as moved or swapped', async ({ db }) => {
  await swapSealedInvoices(db, ids.headerSwapA, ids.headerSwapB);
  for (const id of [ids.headerSwapA, ids.headerSwapB]) {
    await customer.openFromInboxById(id);
    await expectInvoiceBlocked('manifest-mismatch');
  }
});

test('[malicious server] swaps the document ciphertext of two invoices: [customer] sees their details but both documents blocked', async ({ db }) => {
  await swapDocumentCiphertext(db, ids.documentSwapA, ids.documentSwapB);
  for (const name of ['documentSwapA', 'documentSwapB'] as const) {
    await customer.openFromInboxById(ids[name]);
    await expectDocumentBlocked(INVOICES[name].number);
  }
});

test('[malicious server] alters one byte of a stored document: [customer] sees the document blocked', async ({ db }) => {
  await flipDocumentByte(db, ids.documentByte, 100);
  await customer.openFromInboxById(ids.documentByte);
  await expectDocumentBlocked(INVOICES.documentByte.number);
});

test('[malicious server] drops the last record of a document: [customer] sees the document blocked', async ({ db }) => {
  expect(await dropLastRecord(db, ids.lastRecord)).toBeGreaterThan(0);
  await customer.openFromInboxById(ids.lastRecord);
  await expectDocumentBlocked(INVOICES.lastRecord.number);
});

test('[malicious server] alters one byte of a sealed header: [customer] sees the invoice blocked', async ({ db }) => {
  await flipHeaderByte(db, ids.headerByte, 20);
  await customer.openFromInboxById(ids.headerByte);
  await expectInvoiceBlocked('header-hash');
});

test('[malicious server] edits the signed manifest: [customer] sees the signature warning', async ({ db }) => {
  await editManifest(db, ids.manifestDate, '{createdAt}', '2020-01-01T00:00:00.000Z');
  const { files } = await readManifest(db, ids.manifestSize);
  await editManifest(db, ids.manifestSize, '{files,0,size}', files[0]!.size + 1);
  for (const id of [ids.manifestDate, ids.manifestSize]) {
    await customer.openFromInboxById(id);
    await expectInvoiceBlocked('signature');
  }
});

/** First contact, before any tampering: the customer's browser pins the supplier's real keys. */
async function pinSupplier(): Promise<void> {
  await customer.openFromInboxById(ids.control);
  await expect(customer.page.getByTestId('signature-status')).toContainText('Valid signature');
}

test('[malicious server] withholds the supplier’s keys for an invoice the [customer] verified before: the fast-path record does not stand in for them, the invoice is blocked', async ({ db }) => {
  await pinSupplier();
  // The first open verified the invoice in full and stored this org's fast-path record for it.
  const { supplierOrgId, customerOrgId } = await readManifest(db, ids.control);
  await expect.poll(async () => (await db.query("select 1 from invoice_keys where invoice_id = $1 and org_id = $2 and kind = 'fast'", [ids.control, customerOrgId])).length).toBe(1);
  await withholdOrgKeys(customer.page, supplierOrgId);
  try {
    await customer.openFromInboxById(ids.control);
    await expectInvoiceBlocked('certificate');
  } finally {
    await customer.page.unrouteAll({ behavior: 'ignoreErrors' });
  }
});

test('[malicious server] names the pinned supplier’s keys under another organization id: [customer] sees the invoice blocked', async ({ db }) => {
  await pinSupplier();
  const keys = await forgeKeys();
  const { restoreCertificate } = await forgeSignerAndManifest(db, ids.otherOrgId, keys);
  try {
    const { supplierOrgId } = await readManifest(db, ids.otherOrgId);
    // Consistent in itself: the forged member is certified by the key served for the supplier;
    // only that key is filed under an organization id for which the customer pinned nothing.
    await serveSupplierUnderOtherId(customer.page, supplierOrgId, keys.org);
    await customer.openFromInboxById(ids.otherOrgId);
    await expectInvoiceBlocked('certificate');
  } finally {
    await customer.page.unrouteAll({ behavior: 'ignoreErrors' });
    await restoreCertificate();
  }
});

// Last: it changes the supplier's keys for every invoice of this batch.
test('[malicious server] forges a member certificate, then the supplier’s keys: [customer] who pinned the supplier sees both warnings', async ({ db }) => {
  await pinSupplier();
  const keys = await forgeKeys();
  await forgeSignerAndManifest(db, ids.forgedSigner, keys);
  await customer.openFromInboxById(ids.forgedSigner);
  await expectInvoiceBlocked('certificate');
  // The manifest is validly signed by the certificate's (forged) key; only the pin exposes it.
  await expect(customer.page.locator('li[data-problem="signature"]')).toHaveCount(0);
  await expect(customer.page.locator('li[data-problem="supplier-key-changed"]')).toHaveCount(0);

  const { supplierOrgId } = await readManifest(db, ids.forgedSigner);
  await replaceOrgPublicKeys(db, supplierOrgId, keys.org);
  await customer.openFromInboxById(ids.forgedSigner);
  await expectInvoiceBlocked('supplier-key-changed');
  await expect(customer.page.locator('li[data-problem="certificate"]')).toHaveText(englishT('problem.certificate'));
});
