import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, newClientContext, newPerson, test } from './fixtures';
import { InvoicePages, type InvoiceInput } from './pages/invoice-pages';
import { shot } from './shots';
import { pdfFile, randomIban } from './test-documents';

// Issue #11, DESIGN §11: a supplier reaches a customer who has no account yet by company name and
// e-mail; its browser makes the customer's provisional organization and the link to hand over.

const invoice = (number: string): InvoiceInput => ({ number, net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00', iban: randomIban(), bic: 'COBADEFFXXX' });
const CLAIM_LINK = /^https?:\/\/[^/]+\/claim\/([0-9a-f-]{36})#([A-Za-z0-9_-]{43})\.(\d{30})$/;

test('[supplier] invoices a customer without an account, hands over its link, invoices it again and revokes the link', async ({ page, auth, db }) => {
  test.setTimeout(180_000);
  await auth.signUp(newPerson('supplier'));
  const supplier = new InvoicePages(page);
  await supplier.nav('New invoice');
  await page.getByRole('radio', { name: 'By company name and e-mail (no account yet)' }).check();
  await page.getByLabel('Company name', { exact: true }).fill('Kunde ohne Konto AG');
  await page.getByLabel('E-mail address for invoices').fill('ap@kunde.example');
  await page.getByLabel('Access code (optional)').fill('4711-2342');
  await shot(page, 'new-customer');
  await page.getByRole('button', { name: 'Add customer' }).click();
  await expect(page.getByTestId('recipient')).toContainText('Kunde ohne Konto AG can read your invoices with a link you hand over');
  await supplier.fillInvoice(invoice('CL-1'));
  await supplier.send();

  const panel = page.getByTestId('claim-link');
  await expect(panel.getByRole('heading', { name: 'Link for Kunde ohne Konto AG' })).toBeVisible();
  const link = await panel.getByLabel('Link to hand over').inputValue();
  const [, orgId, secret] = CLAIM_LINK.exec(link) ?? [];
  expect(orgId, link).toBeTruthy();
  await expect(panel).toContainText('Access code: 4711-2342 — tell it by phone');
  const mail = panel.getByRole('link', { name: 'Open in my e-mail program' });
  const mailto = () => mail.getAttribute('href').then((href) => decodeURIComponent(href!));
  expect(await mailto()).toContain('subject=Invoice CL-1 from');
  expect(await mailto()).toContain(link);
  expect(await mailto()).not.toContain('119.00');
  expect(await mailto()).not.toContain('4711-2342');
  await panel.getByLabel('Mention the amount in the e-mail').check();
  expect(await mailto()).toMatch(/invoice CL-1 of [^ ]*119\.00/);
  await shot(page, 'invoice-claim-link');

  // The server holds neither the claim secret nor the address nor the code.
  const hex = Buffer.from(secret!, 'base64url').toString('hex');
  for (const needle of [secret!, hex, 'ap@kunde.example', '4711-2342']) {
    const rows = await db.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM provisional_orgs p WHERE p::text LIKE $1) + (SELECT count(*) FROM organizations o WHERE o::text LIKE $1)
        + (SELECT count(*) FROM org_chain_links l WHERE l::text LIKE $1) + (SELECT count(*) FROM audit_log a WHERE a::text LIKE $1) AS n`,
      [`%${needle}%`],
    );
    expect(Number(rows[0]!.n), needle).toBe(0);
  }

  // Further invoices go to the same customer, chosen from the list.
  await supplier.nav('Sent');
  await page.getByRole('link', { name: 'Customers without an account' }).click();
  const row = page.getByTestId('customers').getByRole('row', { name: /Kunde ohne Konto AG/ });
  await expect(row).toContainText('ap@kunde.example');
  await expect(row.getByTestId('customer-state')).toHaveText('Active');
  await row.getByRole('button', { name: 'Show link' }).click();
  await expect(page.getByTestId('claim-link').getByLabel('Link to hand over')).toHaveValue(link);
  await shot(page, 'customers');
  await row.getByRole('link', { name: 'New invoice' }).click();
  await expect(page.getByTestId('recipient')).toContainText('Invoices to Kunde ohne Konto AG are read with its link');
  await supplier.fillInvoice(invoice('CL-2'));
  await supplier.send();
  await expect(page.getByTestId('claim-link').getByLabel('Link to hand over')).toHaveValue(link);
  expect(Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM invoices WHERE customer_org_id = $1', [orgId]))[0]!.n)).toBe(2);

  // Revoked: the list says so, and the invoice no longer offers the link.
  await supplier.nav('Sent');
  await page.getByRole('link', { name: 'Customers without an account' }).click();
  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The link for Kunde ohne Konto AG was revoked.' })).toBeVisible();
  await expect(row.getByTestId('customer-state')).toHaveText('Revoked');
  await expect(row.getByRole('link', { name: 'New invoice' })).toHaveCount(0);
  await supplier.openFromSent('CL-1');
  await expect(page.getByTestId('verification-badge')).toBeVisible();
  await expect(page.getByTestId('claim-link')).toHaveCount(0);
});

/** The supplier adds a customer without an account and sends it an invoice; returns the link from the invoice page. */
async function invoiceNewCustomer(page: Page, name: string, accessCode: string, number: string): Promise<string> {
  const supplier = new InvoicePages(page);
  await supplier.nav('New invoice');
  await page.getByRole('radio', { name: 'By company name and e-mail (no account yet)' }).check();
  await page.getByLabel('Company name', { exact: true }).fill(name);
  await page.getByLabel('E-mail address for invoices').fill('ap@kunde.example');
  await page.getByLabel('Access code (optional)').fill(accessCode);
  await page.getByRole('button', { name: 'Add customer' }).click();
  await expect(page.getByTestId('recipient')).toContainText(name);
  await supplier.fillInvoice(invoice(number));
  await supplier.send();
  return page.getByTestId('claim-link').getByLabel('Link to hand over').inputValue();
}

test('[customer] opens the link without an account: a wrong code is refused, the right one shows the verified invoice; wrong, expired and revoked links say so', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(180_000);
  await auth.signUp(newPerson('supplier'));
  const link = await invoiceNewCustomer(page, 'Gast GmbH', '4711-2342', 'GV-1');
  const [, orgId, secret, digits] = CLAIM_LINK.exec(link)!;

  const guestContext = await newClientContext(browser, baseURL!);
  const guest = await guestContext.newPage();
  await guest.goto(link);
  await expect(guest.getByRole('heading', { name: 'Access code' })).toBeVisible();
  await guest.getByRole('textbox', { name: 'Access code' }).fill('1234-5678');
  await guest.getByRole('button', { name: 'Open invoices' }).click();
  await expect(guest.getByTestId('wrong-code')).toContainText('This access code does not open the invoices.');
  await guest.getByRole('textbox', { name: 'Access code' }).fill('4711 2342');
  await guest.getByRole('button', { name: 'Open invoices' }).click();
  const shown = guest.getByTestId('guest-invoice');
  await expect(shown.getByRole('heading', { name: 'Invoice GV-1' })).toBeVisible();
  await expect(shown.getByTestId('signature-status')).toContainText('Signature verified');
  await expect(shown.getByTestId('supplier-fingerprint')).toHaveText(digits!.replace(/(\d{5})(?=\d)/g, '$1 '));
  await expect(shown.getByTestId('payment-details')).toContainText('119.00');
  await expect(shown.getByTestId('epc-payload')).toBeAttached();
  await shot(guest, 'guest-view');

  const refusal = guest.getByTestId('claim-refused');
  const reopen = async (url: string) => {
    await guest.goto('about:blank');
    await guest.goto(url);
  };
  await reopen(link.split('#')[0]!);
  await expect(refusal).toHaveAttribute('data-reason', 'bad_link');
  await expect(refusal).toContainText('The link is incomplete');
  const mistyped = link.replace(`#${secret}`, `#${secret!.slice(0, 10)}${secret![10] === 'A' ? 'B' : 'A'}${secret!.slice(11)}`);
  await reopen(mistyped);
  await expect(refusal).toHaveAttribute('data-reason', 'claim_invalid');
  await shot(guest, 'wrong-link');

  await db.query("UPDATE provisional_orgs SET expires_at = now() - interval '1 minute' WHERE org_id = $1", [orgId]);
  await reopen(link);
  await expect(refusal).toHaveAttribute('data-reason', 'claim_expired');
  await expect(refusal).toContainText('Ask the supplier to renew it');
  await shot(guest, 'expired');
  await db.query("UPDATE provisional_orgs SET expires_at = now() + interval '1 day', revoked_at = now() WHERE org_id = $1", [orgId]);
  await reopen(link);
  await expect(refusal).toHaveAttribute('data-reason', 'claim_revoked');
  await expect(refusal).toContainText('Ask the supplier for a new one');
  await guestContext.close();
});

test('[malicious server] swaps a provisional customer’s public keys after the supplier pinned them: the supplier is warned, the guest is refused', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(180_000);
  await auth.signUp(newPerson('supplier'));
  const link = await invoiceNewCustomer(page, 'Opfer AG', 'geheim', 'MS-1');
  const [, orgId] = CLAIM_LINK.exec(link)!;
  // The server's own key pair in place of the customer's (any 32 bytes will do for the check).
  await db.query("UPDATE org_keys SET encryption_public_key = decode(repeat('ab', 32), 'hex') WHERE org_id = $1", [orgId]);

  await new InvoicePages(page).nav('Sent');
  await page.getByRole('link', { name: 'Customers without an account' }).click();
  await page.getByTestId('customers').getByRole('row', { name: /Opfer AG/ }).getByRole('link', { name: 'New invoice' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The keys of Opfer AG have changed.' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('recipient')).toHaveCount(0);

  const guestContext = await newClientContext(browser, baseURL!);
  const guest = await guestContext.newPage();
  await guest.goto(link);
  await expect(guest.getByTestId('claim-refused')).toHaveAttribute('data-reason', 'tampered');
  await expect(guest.getByTestId('payment-details')).toHaveCount(0);
  await shot(guest, 'tampered');
  await guestContext.close();
});

test('[customer] without an account previews, downloads byte for byte and copies the IBAN from the link; a guest file request needs the proof', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(180_000);
  await auth.signUp(newPerson('supplier'));
  const pdf = pdfFile('GJ-1.pdf', 'Invoice GJ-1 for a guest');
  const supplier = new InvoicePages(page);
  await supplier.nav('New invoice');
  await page.getByRole('radio', { name: 'By company name and e-mail (no account yet)' }).check();
  await page.getByLabel('Company name', { exact: true }).fill('Neukunde KG');
  await page.getByLabel('E-mail address for invoices').fill('buchhaltung@neukunde.example');
  await page.getByRole('button', { name: 'Add customer' }).click();
  await expect(page.getByTestId('recipient')).toContainText('Neukunde KG');
  const iban = randomIban();
  await supplier.fillInvoice({ ...invoice('GJ-1'), iban });
  await supplier.attach([pdf]);
  const invoiceId = await supplier.send();
  const link = await page.getByTestId('claim-link').getByLabel('Link to hand over').inputValue();
  const [, orgId] = CLAIM_LINK.exec(link)!;

  const guestContext = await newClientContext(browser, baseURL!);
  await guestContext.grantPermissions(['clipboard-read', 'clipboard-write']);
  const guest = await guestContext.newPage();
  const opening = guest.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === `/api/claims/${orgId}`);
  await guest.goto(link);
  const { claimAuth } = (await opening).postDataJSON() as { claimAuth: string };
  const shown = guest.getByTestId('guest-invoice');
  await expect(shown.getByTestId('signature-status')).toContainText('Signature verified');
  await expect(shown.getByTestId('pdf-preview').locator('canvas').first()).toBeVisible();
  const [download] = await Promise.all([guest.waitForEvent('download'), shown.getByRole('button', { name: 'Download GJ-1.pdf' }).click()]);
  expect(download.suggestedFilename()).toBe('GJ-1.pdf');
  expect(readFileSync(await download.path())).toEqual(pdf.buffer);
  const details = shown.getByTestId('payment-details');
  await details.getByRole('button', { name: 'Copy IBAN' }).click();
  await expect(details.getByRole('status').filter({ hasText: 'IBAN copied' })).toBeVisible();
  expect(await guest.evaluate(() => navigator.clipboard.readText())).toBe(iban.replace(/\s+/g, ''));
  await expect(shown.getByTestId('epc-payload')).toBeAttached();
  await shot(guest, 'guest-documents');

  // The documents endpoint answers only a proof of the link's secret, and only for the org's own invoices.
  const fileId = (await db.query<{ file_id: string }>('SELECT file_id FROM invoice_files WHERE invoice_id = $1', [invoiceId]))[0]!.file_id;
  const filePath = `/api/claims/${orgId}/invoices/${invoiceId}/files/${fileId}`;
  const refused = async (path: string, proof: string) => {
    const answer = await guestContext.request.post(path, { data: { claimAuth: proof } });
    return [answer.status(), (await answer.json()).error.reason];
  };
  expect((await guestContext.request.post(filePath, { data: { claimAuth } })).status()).toBe(200);
  expect(await refused(filePath, 'A'.repeat(43))).toEqual([404, 'claim_invalid']);
  expect(await refused(filePath.replace(fileId, '00000000-0000-4000-8000-000000000000'), claimAuth)).toEqual([404, 'document_not_found']);
  expect(await refused(filePath.replace(orgId!, '00000000-0000-4000-8000-000000000000'), claimAuth)).toEqual([404, 'claim_invalid']);
  await guestContext.close();
});
