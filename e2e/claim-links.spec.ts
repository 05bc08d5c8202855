import { expect, newPerson, test } from './fixtures';
import { InvoicePages, type InvoiceInput } from './pages/invoice-pages';
import { shot } from './shots';
import { randomIban } from './test-documents';

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
  expect(await mailto()).not.toContain('119');
  expect(await mailto()).not.toContain('4711');
  await panel.getByLabel('Mention the amount in the e-mail').check();
  expect(await mailto()).toMatch(/invoice CL-1 of [^ ]*119\.00/);
  await shot(page, 'invoice-claim-link');

  // The server holds neither the claim secret nor the address nor the code.
  const hex = Buffer.from(secret!, 'base64url').toString('hex');
  for (const needle of [secret!, hex, 'ap@kunde.example', '4711']) {
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
