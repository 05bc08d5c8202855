import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, newActor, newClientContext, newPerson, test } from './fixtures';
import { InvoicePages, type InvoiceInput } from './pages/invoice-pages';
import { LifecyclePage } from './pages/lifecycle-page';
import { shot } from './shots';
import { pdfFile, randomIban } from './test-documents';

// Issue #11, DESIGN §11: a supplier reaches a customer who has no account yet by company name and
// e-mail; its browser makes the customer's provisional organization and the link to hand over.

const invoice = (number: string): InvoiceInput => ({ number, net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00', iban: randomIban(), bic: 'COBADEFFXXX' });
const CLAIM_LINK = /^https?:\/\/[^/]+\/claim\/([0-9a-f-]{36})#([A-Za-z0-9_-]{43})\.(\d{30})\.([cn])$/;

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
  await expect(shown.getByTestId('guest-status')).toHaveText('Issued');
  await shot(guest, 'guest-view');

  // The supplier cancels: the guest's browser verifies the signed history and says so, with no way to pay.
  const supplierLife = new LifecyclePage(page);
  await supplierLife.cancel('Sent twice');
  // Recorded by the server before the guest's page asks again (the click alone does not wait for that).
  await supplierLife.expectHistory(['issued', 'cancelled']);
  const openWithCode = async () => {
    await guest.goto('about:blank');
    await guest.goto(link);
    await guest.getByRole('textbox', { name: 'Access code' }).fill('4711-2342');
    await guest.getByRole('button', { name: 'Open invoices' }).click();
  };
  // The open page picks the cancellation up by itself, as when the guest comes back to the window.
  await guest.evaluate(() => window.dispatchEvent(new Event('focus')));
  await expect(shown.getByTestId('guest-final-status')).toContainText('cancelled this invoice. Do not pay it.');
  await expect(shown.getByTestId('guest-status')).toHaveText('Cancelled');
  await expect(shown.getByTestId('history-event').last()).toHaveAttribute('data-type', 'cancelled');
  await expect(shown.getByTestId('payment-details')).toHaveCount(0);
  await expect(shown.getByTestId('epc-payload')).toHaveCount(0);
  await shot(guest, 'guest-cancelled');
  // A malicious server: a forged event, the cancellation withheld (this device saw it), or no history at all.
  const events = '**/api/claims/*/invoices/*/events';
  const served = async (change: (body: { status: string; events: { signature: string }[] }) => void) => {
    await guest.unroute(events);
    await guest.route(events, async (route) => {
      const body = await (await route.fetch()).json();
      change(body);
      await route.fulfill({ json: body });
    });
    await openWithCode();
  };
  await served((body) => {
    body.events[0]!.signature = `${body.events[0]!.signature.startsWith('A') ? 'B' : 'A'}${body.events[0]!.signature.slice(1)}`;
  });
  await expect(shown.getByTestId('guest-history-blocked')).toBeVisible();
  await expect(shown.getByTestId('payment-blocked')).toBeVisible();
  await expect(shown.getByTestId('guest-status')).toHaveText('Unknown: its history does not verify');
  await expect(shown.getByTestId('history-event').and(guest.locator('[data-valid="false"]'))).toHaveCount(1);
  await expect(shown.getByTestId('epc-payload')).toHaveCount(0);
  await shot(guest, 'guest-forged-event');
  await served((body) => {
    body.status = 'issued';
    body.events = [];
  });
  await expect(shown.getByTestId('history-warning')).toContainText('this device has already seen 1');
  await expect(shown.getByTestId('epc-payload')).toHaveCount(0);
  await guest.unroute(events);
  await guest.route(events, (route) => route.fulfill({ status: 503, json: { error: { code: 'unavailable', message: 'down' } } }));
  await openWithCode();
  await expect(shown.getByTestId('guest-history-unavailable')).toContainText('could not be checked');
  await expect(shown.getByTestId('guest-status')).toHaveText('Not checked');
  await expect(shown.getByTestId('payment-unchecked')).toBeVisible();
  await expect(shown.getByTestId('epc-payload')).toHaveCount(0);
  await guest.unroute(events);

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
  // The link says a code was set ('.c'). Said otherwise, keys that do not open without one mean the
  // link or the server's answer is not genuine; a link from before the flag asks for the code.
  expect(link).toMatch(/\.c$/);
  await reopen(link.replace(/\.c$/, '.n'));
  await expect(refusal).toHaveAttribute('data-reason', 'tampered');
  await reopen(link.replace(/\.c$/, ''));
  await expect(guest.getByRole('heading', { name: 'Access code' })).toBeVisible();

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

test('[customer] from an e-mailed link verifies, previews, downloads byte for byte, copies the IBAN, signs up, takes the org over and announces payment; the [supplier] sees it with no key warning', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(300_000);
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

  // A fresh browser with a passkey authenticator and nothing else: the customer's.
  const customer = await newActor(browser, baseURL!);
  await customer.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const guest = customer.page;
  // A server that serves other bytes for the document: nothing of it is shown, the page says why.
  await guest.route('**/api/claims/*/invoices/*/files/*', (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.alloc(pdf.buffer.length + 100, 7) }));
  await guest.goto(link);
  await expect(guest.getByTestId('document-warning')).toBeVisible();
  await expect(guest.getByTestId('pdf-preview')).toHaveCount(0);
  await guest.unroute('**/api/claims/*/invoices/*/files/*');
  await guest.goto('about:blank');
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
  expect(await guest.evaluate(() => navigator.clipboard.readText())).toBe(iban);
  await expect(shown.getByTestId('epc-payload')).toBeAttached();
  await shot(guest, 'guest-documents');

  // The documents endpoint answers only a proof of the link's secret, and only for the org's own invoices.
  const fileId = (await db.query<{ file_id: string }>('SELECT file_id FROM invoice_files WHERE invoice_id = $1', [invoiceId]))[0]!.file_id;
  const filePath = `/api/claims/${orgId}/invoices/${invoiceId}/files/${fileId}`;
  const answer = async (path: string, body: unknown) => {
    const response = await customer.context.request.post(path, { data: body });
    return [response.status(), response.ok() ? 'ok' : (await response.json()).error.reason];
  };
  expect(await answer(filePath, { claimAuth })).toEqual([200, 'ok']);
  expect(await answer(filePath, { claimAuth: 'A'.repeat(43) })).toEqual([404, 'claim_invalid']);
  expect(await answer(filePath.replace(fileId, '00000000-0000-4000-8000-000000000000'), { claimAuth })).toEqual([404, 'document_not_found']);
  expect(await answer(filePath.replace(orgId!, '00000000-0000-4000-8000-000000000000'), { claimAuth })).toEqual([404, 'claim_invalid']);

  // Sign-up from the link: a real passkey ceremony, then the claim, then the recovery kit.
  const panel = guest.getByTestId('claim-panel');
  await expect(panel.getByRole('heading', { name: 'Create an account and take over Neukunde KG' })).toBeVisible();
  await shot(guest, 'claim-panel');
  await panel.getByRole('button', { name: 'Create account with a passkey' }).click();
  await expect(panel.getByLabel('Your name')).toHaveAttribute('aria-invalid', 'true');
  const person = newPerson('customer');
  await panel.getByLabel('Your name').fill(person.displayName);
  await panel.getByLabel('Work email').fill(person.email);
  await panel.getByRole('button', { name: 'Create account with a passkey' }).click();
  await expect(guest).toHaveURL(/\/recovery-kit/, { timeout: 60_000 });
  await customer.auth.confirmRecoveryKey(await customer.auth.shownRecoveryKey());
  await customer.auth.expectUnlocked();
  const [claimed] = await db.query<{ handle: string; current_key_version: number }>('SELECT handle, current_key_version FROM organizations WHERE id = $1', [orgId]);
  expect(claimed!.current_key_version).toBe(2);
  expect(claimed!.handle).toMatch(/^neukunde-kg-/);

  // The claimed org is the new account's: the invoice is in its inbox, opened with the old epoch's key.
  const inbox = new InvoicePages(guest);
  await inbox.openFromInbox('GJ-1');
  await expect(guest.getByTestId('signature-status')).toContainText('Valid signature');
  await inbox.confirmFirstPayment();
  await expect(guest.getByTestId('payment-details')).toContainText('119.00');
  const life = new LifecyclePage(guest);
  await life.announcePayment('119.00');
  await expect(life.status()).toContainText('Payment announced');

  // The link now says it was claimed, and where to go instead.
  const later = await newClientContext(browser, baseURL!);
  const stranger = await later.newPage();
  await stranger.goto(link);
  await expect(stranger.getByTestId('claim-refused')).toHaveAttribute('data-reason', 'claim_claimed');
  await expect(stranger.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await shot(stranger, 'claimed');
  expect(await answer(filePath, { claimAuth })).toEqual([403, 'claim_claimed']);
  await later.close();

  // The supplier's pin followed the succession the provisional key signed: no key warning.
  await supplier.openFromSent('GJ-1');
  await expect(new LifecyclePage(page).status()).toContainText('Payment announced');
  await expect(page.getByTestId('invoice-warning')).toHaveCount(0);
  await expect(page.getByRole('alert').filter({ hasText: 'have changed' })).toHaveCount(0);
  await new LifecyclePage(page).expectAllValid();
  await customer.context.close();
});

test('[customer] with an account adds the organization from the link as one more and switches to it; a claim without the secret is refused', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(240_000);
  await auth.signUp(newPerson('supplier'));
  const link = await invoiceNewCustomer(page, 'Zweitfirma AG', '', 'ZF-1');
  const [, orgId] = CLAIM_LINK.exec(link)!;

  const customer = await newActor(browser, baseURL!);
  const person = newPerson('customer');
  await customer.auth.signUp(person);
  // API level: no proof of the secret, or a made-up one, claims nothing.
  const claimPath = `/api/claims/${orgId}/claim`;
  const withoutProof = await customer.page.request.post(claimPath, { data: { links: [], grants: [], certificates: [] } });
  expect(withoutProof.status()).toBe(400);
  expect((await withoutProof.json()).error.reason).toBe('request_invalid');

  await customer.page.goto(link);
  const panel = customer.page.getByTestId('claim-panel');
  await expect(panel.getByRole('heading', { name: 'Add Zweitfirma AG to your organizations' })).toBeVisible();
  // A page load forgets the keys: signed in, the page asks to unlock before it can sign the claim.
  await panel.getByRole('button', { name: 'Unlock with passkey' }).click();
  // The page's own claim, with its proof replaced on the way: signed links alone do not claim.
  await customer.page.route(`**${claimPath}`, (route) => route.continue({ postData: JSON.stringify({ ...route.request().postDataJSON(), claimAuth: 'A'.repeat(43) }) }));
  await panel.getByRole('button', { name: 'Add Zweitfirma AG to my organizations' }).click();
  await expect(panel.getByRole('alert')).toContainText('This link does not open anything');
  expect((await db.query('SELECT 1 FROM memberships WHERE org_id = $1', [orgId])).length).toBe(0);
  await customer.page.unroute(`**${claimPath}`);
  await shot(customer.page, 'add-org');

  await panel.getByRole('button', { name: 'Add Zweitfirma AG to my organizations' }).click();
  await expect(customer.page).toHaveURL(/\/inbox$/);
  const switcher = customer.page.getByTestId('org-switcher');
  await expect(switcher.locator('option:checked')).toHaveText('Zweitfirma AG');
  await expect(switcher.locator('option')).toHaveCount(2);
  await expect(switcher.locator('option', { hasText: person.orgName })).toHaveCount(1);
  await expect(customer.page.getByTestId('invoice-row')).toContainText('ZF-1');
  await switcher.selectOption({ label: person.orgName });
  await expect(switcher.locator('option:checked')).toHaveText(person.orgName);
  await customer.context.close();
});
