import { randomInt } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { formatIban } from '@/lib/shared/iban';
import type { InvoiceStatus } from '@/lib/shared/schemas/invoice';
import { adminInvitationLink, adminNav, becomeAdmin, newAdmin } from './admin';
import { partFile } from './blobs';
import { needle, scanBuffers, stringNeedle, type Needle } from './db';
import { expect, newActor, newPerson, test } from './fixtures';
import { InvoicePages, type InvoiceInput } from './pages/invoice-pages';
import { LifecyclePage } from './pages/lifecycle-page';
import { canary, pdfFile, randomBic, randomIban } from './test-documents';
import { recordTraffic, type RecordedMessage } from './traffic';
import { expectRefusal, signUpThroughApi } from './webauthn';
import { englishT } from '@/lib/shared/i18n';

const ADMIN_JSON_APIS = (ids: { userId: string; orgId: string }) => [
  '/api/admin/overview',
  '/api/admin/users?q=',
  `/api/admin/users/${ids.userId}`,
  `/api/admin/users/${ids.userId}/delete`,
  '/api/admin/orgs',
  `/api/admin/orgs/${ids.orgId}`,
  '/api/admin/audit?limit=200',
  '/api/admin/settings',
];

/**
 * Walks every admin page, as an admin would, checking that each shows what it is for. `supplier`
 * is the person whose user and organization pages are opened.
 */
async function browseAdminPages(page: Page, supplier: { email: string; displayName: string; orgName: string }, sentStatus: InvoiceStatus): Promise<void> {
  await adminNav(page, 'Overview');
  await expect(page.getByRole('heading', { name: 'Administration' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Sign-ins per day' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Invoices uploaded per day' })).toBeVisible();

  await adminNav(page, 'Users');
  await page.getByLabel('Search name or email').fill(supplier.email);
  await page.getByRole('button', { name: 'Search' }).click();
  const row = page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: supplier.email });
  await expect(row).toContainText(supplier.orgName);
  await row.getByRole('link', { name: supplier.displayName }).click();
  await expect(page.getByRole('heading', { name: supplier.displayName })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Sessions' }).getByRole('row')).not.toHaveCount(1);
  await expect(page.getByRole('table', { name: 'Security events' })).toContainText('account.sign_up');

  await adminNav(page, 'Organizations');
  await page.getByRole('table', { name: 'Organizations' }).getByRole('link', { name: supplier.orgName }).click();
  await expect(page.getByRole('heading', { name: supplier.orgName })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Members' })).toContainText(supplier.email);
  // The one invoice the supplier sent, counted under its current status (metadata the admin may see).
  // The status by its name, not its id.
  const statusName = englishT(`status.${sentStatus}`);
  const statusRow = page.getByRole('table', { name: 'Invoices by status' }).getByRole('row').filter({ has: page.getByRole('cell', { name: statusName, exact: true }) });
  await expect(statusRow.getByRole('cell')).toHaveText([statusName, '1', '0']);

  await adminNav(page, 'Audit log');
  await expect(page.getByRole('table', { name: 'Audit entries' })).toBeVisible();

  await adminNav(page, 'Settings');
  await expect(page.getByRole('heading', { name: 'Instance settings' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText(new URL(page.url()).origin);
}

test('[admin] browses every admin page during and after an exchange, and no invoice content, ciphertext or wrapped key reaches the admin', async ({ browser, baseURL, db, dbTarget }) => {
  test.setTimeout(240_000);
  const admin = await newActor(browser, baseURL!);
  const adminTraffic = await recordTraffic(admin.context, 'admin');
  await becomeAdmin(admin.page, await adminInvitationLink(db));

  const supplierPerson = newPerson('supplier');
  const supplierActor = await newActor(browser, baseURL!);
  const customer = await newActor(browser, baseURL!);
  await customer.auth.signUp(newPerson('customer'));
  const inbox = new InvoicePages(customer.page);
  const customerHandle = await inbox.orgHandle();
  await supplierActor.auth.signUp(supplierPerson);
  const supplier = new InvoicePages(supplierActor.page);

  const iban = randomIban();
  const amount = `${randomInt(100_000, 900_000)}.${String(randomInt(10, 100))}`;
  const input: InvoiceInput = {
    number: canary('AdmNumber'),
    net: amount,
    tax: '0.00',
    gross: amount,
    payable: amount,
    sellerName: canary('AdmSeller'),
    buyerName: canary('AdmBuyer'),
    payeeName: canary('AdmPayee'),
    iban,
    bic: randomBic(),
    reference: canary('AdmReference'),
    notes: canary('AdmNotes'),
  };
  const pdfText = canary('AdmPdfBody');
  const pdf = pdfFile(`${canary('AdmPdfName')}.pdf`, pdfText);
  const canaries: Needle[] = [
    ...Object.entries(input).filter(([field]) => !['tax', 'currency'].includes(field)).map(([field, value]) => stringNeedle(field, String(value))),
    stringNeedle('IBAN, printed', formatIban(iban)),
    stringNeedle('PDF file name', pdf.name),
    stringNeedle('PDF body text', pdfText),
  ];

  await supplier.chooseRecipient(customerHandle);
  await supplier.fillInvoice(input);
  await supplier.attach([pdf]);
  const invoiceId = await supplier.send();

  // During the exchange: sent, not yet opened by the customer.
  await browseAdminPages(admin.page, supplierPerson, 'issued');

  await inbox.openFromInbox(input.number);
  await expect(customer.page.getByTestId('signature-status')).toContainText('Valid signature');
  await inbox.confirmFirstPayment();
  await expect(customer.page.getByTestId('payment-details')).toContainText(input.reference!);
  await new LifecyclePage(customer.page).expectHistory(['issued', 'viewed']);

  // After it: everything again, plus the admin JSON APIs, whose bodies are recorded the same way.
  await browseAdminPages(admin.page, supplierPerson, 'viewed');
  const [{ id: userId }] = (await db.query<{ id: string }>('select id from users where email = $1', [supplierPerson.email])) as [{ id: string }];
  const [{ id: orgId }] = (await db.query<{ id: string }>('select id from organizations where name = $1', [supplierPerson.orgName])) as [{ id: string }];
  const apiBodies: RecordedMessage[] = [];
  for (const path of ADMIN_JSON_APIS({ userId, orgId })) {
    const answer = await admin.page.request.get(path);
    expect(answer.status(), path).toBe(200);
    apiBodies.push({ where: `admin API ${path}`, bytes: await answer.body() });
  }

  // Least privilege: what the server holds for this invoice and these accounts, as needles. None
  // of it may reach the admin, in any encoding.
  const [invoice] = (await db.query<{ sealed_header: Uint8Array; manifest_signature: string; commitment: string }>(
    "select sealed_header, manifest_signature, manifest->>'dekCommitment' as commitment from invoices where id = $1",
    [invoiceId],
  )) as [{ sealed_header: Uint8Array; manifest_signature: string; commitment: string }];
  const [{ file_id: fileId }] = (await db.query<{ file_id: string }>('select file_id from invoice_files where invoice_id = $1 limit 1', [invoiceId])) as [{ file_id: string }];
  const firstPart = readFileSync(partFile(dbTarget, invoiceId, fileId, 0));
  const keys = await db.query<{ sealed_dek: Uint8Array }>('select sealed_dek from invoice_keys where invoice_id = $1', [invoiceId]);
  const [account] = (await db.query<{ wrapped_private_keys: Uint8Array; recovery_wrapped_account_key: Uint8Array }>('select wrapped_private_keys, recovery_wrapped_account_key from users where id = $1', [userId])) as [{ wrapped_private_keys: Uint8Array; recovery_wrapped_account_key: Uint8Array }];
  const [membership] = (await db.query<{ sealed_org_secret: Uint8Array }>('select sealed_org_secret from org_secret_grants where user_id = $1', [userId])) as [{ sealed_org_secret: Uint8Array }];
  const secrets: Needle[] = [
    needle('sealed header', Buffer.from(invoice.sealed_header).subarray(0, 48)),
    needle('document ciphertext', firstPart.subarray(0, 48)),
    stringNeedle('manifest signature', invoice.manifest_signature),
    stringNeedle('manifest dek commitment', invoice.commitment),
    ...keys.map((k, i) => needle(`sealed DEK ${i}`, Buffer.from(k.sealed_dek).subarray(0, 48))),
    needle('wrapped private keys', Buffer.from(account.wrapped_private_keys).subarray(0, 48)),
    needle('recovery-wrapped account key', Buffer.from(account.recovery_wrapped_account_key).subarray(0, 48)),
    needle('sealed org secret', Buffer.from(membership.sealed_org_secret).subarray(0, 48)),
  ];

  const received = [...adminTraffic.traffic.responses, ...apiBodies];
  // Controls: the admin did receive this user's email and org name, so the scan reads real bodies.
  const controls: Needle[] = [stringNeedle('supplier email', supplierPerson.email), stringNeedle('supplier org', supplierPerson.orgName)];
  const report = scanBuffers(received, [...canaries, ...secrets, ...controls]);
  expect(received.filter((r) => r.where.includes('/admin/')).length).toBeGreaterThan(10);
  expect(new Set(report.hits.map((h) => h.needle))).toEqual(new Set(controls.map((c) => c.name)));
  await adminTraffic.stop();
  for (const actor of [admin, supplierActor, customer]) await actor.context.close();
});

test('[admin] sets an organization’s quota: an invoice beyond it is refused before anything is stored, and the supplier is told why', async ({ browser, baseURL, db }) => {
  test.setTimeout(180_000);
  const admin = await newAdmin(browser, baseURL!, db);
  const customer = await newActor(browser, baseURL!);
  await customer.page.goto('/api/health');
  const customerPerson = newPerson('customer');
  const { orgId: customerOrgId } = await signUpThroughApi(customer.page, customerPerson);
  const customerHandle = (await db.query<{ handle: string }>('select handle from organizations where id = $1', [customerOrgId]))[0]!.handle;
  const supplierPerson = newPerson('supplier');
  const supplierActor = await newActor(browser, baseURL!);
  await supplierActor.auth.signUp(supplierPerson);
  const supplierOrgId = (await db.query<{ id: string }>('select id from organizations where name = $1', [supplierPerson.orgName]))[0]!.id;

  await adminNav(admin.page, 'Organizations');
  await admin.page.getByRole('table', { name: 'Organizations' }).getByRole('link', { name: supplierPerson.orgName }).click();
  await admin.page.getByLabel(/Storage quota \(MiB\)/).fill('0.25');
  await admin.page.getByRole('button', { name: 'Save quota' }).click();
  await expect(admin.page.getByRole('status')).toHaveText('Quota saved.');
  await expect(admin.page.getByRole('main')).toContainText('256.0 KiB (set for this organization)');
  expect(Number((await db.query<{ quota_bytes: string }>('select quota_bytes from organizations where id = $1', [supplierOrgId]))[0]!.quota_bytes)).toBe(256 * 1024);

  // The supplier's New-invoice page: a 300 KiB PDF does not fit.
  const supplier = new InvoicePages(supplierActor.page);
  await supplier.chooseRecipient(customerHandle);
  await supplier.fillInvoice({ number: 'Q-1', net: '10.00', tax: '0.00', gross: '10.00', payable: '10.00', iban: randomIban(), reference: 'Q-1' });
  await supplier.attach([pdfFile('big.pdf', 'quota', 300 * 1024)]);
  await supplierActor.page.getByRole('button', { name: 'Encrypt and send' }).click();
  await expect(supplierActor.page.getByRole('main').getByRole('alert')).toContainText('Your organization’s storage is full');
  await expect(supplierActor.page.getByRole('main').getByRole('alert')).toContainText('Nothing was uploaded');

  // And through the API: a typed refusal, and nothing stored, not even the upload row.
  await expectRefusal(
    await supplierActor.page.request.post('/api/uploads', { data: { supplierOrgId, customerOrgId, files: [{ fileId: crypto.randomUUID(), ciphertextSize: 200 * 1024 }, { fileId: crypto.randomUUID(), ciphertextSize: 100 * 1024 }] } }),
    413,
    'quota_exceeded',
  );
  expect(await db.query('select id from uploads where supplier_org_id = $1', [supplierOrgId])).toHaveLength(0);
  expect(await db.query('select p.part_index from file_parts p join uploads u on u.id = p.upload_id where u.supplier_org_id = $1', [supplierOrgId])).toHaveLength(0);

  // What fits is accepted; the admin's change is in the log.
  expect((await supplierActor.page.request.post('/api/uploads', { data: { supplierOrgId, customerOrgId, files: [{ fileId: crypto.randomUUID(), ciphertextSize: 100 * 1024 }] } })).status()).toBe(201);
  const recorded = await db.query<{ action: string; reason: string }>("select action, reason from audit_log where object_id = $1 and action = 'admin.org_quota_set'", [supplierOrgId]);
  expect(recorded).toEqual([{ action: 'admin.org_quota_set', reason: String(256 * 1024) }]);

  // Signed out everywhere by the admin: the supplier's session ends, the account stays usable.
  await admin.page.getByRole('table', { name: 'Members' }).getByRole('link', { name: supplierPerson.displayName }).click();
  await admin.page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(admin.page.getByText('0 open.')).toBeVisible();
  await expectRefusal(await supplierActor.page.request.get('/api/account/keys'), 401, 'unauthenticated');
  const userId = (await db.query<{ id: string }>('select id from users where email = $1', [supplierPerson.email]))[0]!.id;
  expect(await db.query("select reason from audit_log where action = 'admin.user_sessions_revoke' and object_id = $1", [userId])).toEqual([{ reason: expect.stringMatching(/^revoked_[1-9]\d*$/) }]);
  await supplierActor.auth.signIn();
  for (const actor of [admin, supplierActor, customer]) await actor.context.close();
});

test('[admin] deletes a supplier’s account: its sessions end, it cannot sign in, its org is suspended, its unfinished upload’s blobs are gone, and the customer still verifies the invoice it signed', async ({ browser, baseURL, db, dbTarget }) => {
  test.setTimeout(240_000);
  const customer = await newActor(browser, baseURL!);
  await customer.auth.signUp(newPerson('customer'));
  const inbox = new InvoicePages(customer.page);
  const customerHandle = await inbox.orgHandle();
  const supplierPerson = newPerson('leaving');
  const supplierActor = await newActor(browser, baseURL!);
  await supplierActor.auth.signUp(supplierPerson);
  const supplier = new InvoicePages(supplierActor.page);
  await supplier.chooseRecipient(customerHandle);
  await supplier.fillInvoice({ number: 'DEL-7', net: '70.00', tax: '0.00', gross: '70.00', payable: '70.00', iban: randomIban(), reference: 'DEL-7' });
  await supplier.attach([pdfFile('del.pdf', 'signed by someone who leaves')]);
  const invoiceId = await supplier.send();
  const [{ id: userId }] = (await db.query<{ id: string }>('select id from users where email = $1', [supplierPerson.email])) as [{ id: string }];
  const [{ id: orgId }] = (await db.query<{ id: string }>('select id from organizations where name = $1', [supplierPerson.orgName])) as [{ id: string }];
  const [before] = await db.query<{ signing_public_key: Uint8Array }>('select signing_public_key from users where id = $1', [userId]);
  const [{ id: credentialId }] = (await db.query<{ id: string }>('select id from credentials where user_id = $1', [userId])) as [{ id: string }];
  // The upload names the passkey of the session that made it.
  expect(await db.query("select credential_id from audit_log where action = 'invoice.uploaded' and object_id = $1", [invoiceId])).toEqual([{ credential_id: credentialId }]);
  // An upload the supplier started and never sent, with one part stored.
  const [{ customer_org_id: customerOrgId }] = (await db.query<{ customer_org_id: string }>('select customer_org_id from invoices where id = $1', [invoiceId])) as [{ customer_org_id: string }];
  const unfinishedFile = crypto.randomUUID();
  const started = await supplierActor.page.request.post('/api/uploads', { data: { supplierOrgId: orgId, customerOrgId, files: [{ fileId: unfinishedFile, ciphertextSize: 1000 }] } });
  expect(started.status()).toBe(201);
  const { invoiceId: unfinishedId } = (await started.json()) as { invoiceId: string };
  expect((await supplierActor.page.request.put(`/api/uploads/${unfinishedId}/files/${unfinishedFile}/parts/0`, { data: Buffer.alloc(1000), headers: { 'content-type': 'application/octet-stream' } })).status()).toBe(200);
  expect(existsSync(partFile(dbTarget, unfinishedId, unfinishedFile, 0))).toBe(true);

  const admin = await newAdmin(browser, baseURL!, db);
  await adminNav(admin.page, 'Users');
  await admin.page.getByLabel('Search name or email').fill(supplierPerson.email);
  await admin.page.getByRole('button', { name: 'Search' }).click();
  await admin.page.getByRole('link', { name: supplierPerson.displayName }).click();
  await admin.page.getByRole('button', { name: 'Delete account…' }).click();
  const confirmation = admin.page.getByRole('form', { name: /Delete .* account\?/ });
  await expect(confirmation).toContainText(`It is the last owner of ${supplierPerson.orgName}`);
  await expect(confirmation).toContainText('suspended, not deleted');
  await expect(confirmation).toContainText('one invoice names this account as the signer');
  // A wrong confirmation deletes nothing.
  await confirmation.getByLabel(/to confirm/).fill('someone@else.test');
  await confirmation.getByRole('button', { name: 'Delete account permanently' }).click();
  await expect(confirmation.getByRole('alert')).toContainText('Type the account’s email address exactly');
  await confirmation.getByLabel(/to confirm/).fill(supplierPerson.email);
  await confirmation.getByRole('button', { name: 'Delete account permanently' }).click();
  await expect(admin.page.getByRole('heading', { name: 'Deleted user' })).toBeVisible();
  await expect(admin.page.getByRole('note')).toContainText('What remains is a tombstone');

  // Sessions die at once; the passkey signs in no more.
  expect(await db.query('select id from sessions where user_id = $1 and revoked_at is null', [userId])).toHaveLength(0);
  await expectRefusal(await supplierActor.page.request.get('/api/account/keys'), 401, 'unauthenticated');
  await supplierActor.page.goto('/sign-in');
  await supplierActor.auth.submitSignIn();
  await supplierActor.auth.expectError(/not registered/);
  // The refusal is recorded from the supplier's address, without the id the browser presented: that
  // credential no longer exists, and an id nobody registered is only the client's claim (#9).
  const [{ ip }] = (await db.query<{ ip: string }>('select ip from sessions where user_id = $1 limit 1', [userId])) as [{ ip: string }];
  expect(await db.query("select reason, credential_id from audit_log where action = 'account.sign_in' and outcome = 'failure' and ip = $1", [ip])).toEqual([{ reason: 'verification_failed', credential_id: null }]);
  expect(await db.query('select seq from audit_log where credential_id = $1 and outcome = $2', [credentialId, 'failure'])).toHaveLength(0);
  // Recovery by email finds nothing either: the email is gone.
  const [row] = await db.query<Record<string, unknown>>(
    'select email, display_name, deleted_at is not null as deleted, wrapped_private_keys, recovery_wrapped_account_key, recovery_auth_hash, encrypted_keyring, signing_public_key, encryption_public_key from users where id = $1',
    [userId],
  );
  expect(row).toMatchObject({ email: `deleted-${userId}@deleted.invalid`, display_name: 'Deleted user', deleted: true, wrapped_private_keys: null, recovery_wrapped_account_key: null, recovery_auth_hash: null, encrypted_keyring: null });
  expect(Buffer.from(row!.signing_public_key as Uint8Array)).toEqual(Buffer.from(before!.signing_public_key));
  expect(row!.encryption_public_key).not.toBeNull();
  expect(await db.query('select id from credentials where user_id = $1', [userId])).toHaveLength(0);
  expect(await db.query('select id from uploads where id = $1', [unfinishedId])).toHaveLength(0);
  expect(existsSync(partFile(dbTarget, unfinishedId, unfinishedFile, 0))).toBe(false);
  expect(await db.query('select org_id from memberships where user_id = $1', [userId])).toHaveLength(1);
  expect(await db.query('select id from organizations where id = $1 and suspended_at is not null', [orgId])).toHaveLength(1);
  const recorded = await db.query<{ action: string; object_id: string; reason: string }>("select action, object_id, reason from audit_log where action in ('admin.user_delete', 'admin.org_suspend') and object_id in ($1, $2) order by seq", [userId, orgId]);
  expect(recorded).toEqual([
    { action: 'admin.org_suspend', object_id: orgId, reason: 'last_owner_deleted' },
    { action: 'admin.user_delete', object_id: userId, reason: 'sessions_revoked' },
  ]);

  // The customer still opens and verifies the invoice the deleted account signed.
  await inbox.openFromInboxById(invoiceId);
  await expect(customer.page.getByTestId('signature-status')).toContainText('Valid signature');
  await expect(customer.page.getByTestId('invoice-details')).toContainText('DEL-7');
  for (const actor of [admin, supplierActor, customer]) await actor.context.close();
});

test('[admin] the organization and user lists show 50 rows a page, with links to older ones', async ({ browser, baseURL, db }) => {
  // A busy instance: the pages must stay quick to render and to check (the axe run of a 200-row
  // table took 7–10 s, each of 14 runs), so they show one page and link to the next.
  const tag = `pager-${Date.now().toString(36)}`;
  await db.query(`insert into organizations (id, name, handle) select gen_random_uuid(), '${tag} org ' || g, '${tag}-' || g from generate_series(1, 60) g`);
  await db.query(`insert into users (id, email, display_name) select gen_random_uuid(), '${tag}-' || g || '@example.test', '${tag} user ' || g from generate_series(1, 60) g`);
  const admin = await newAdmin(browser, baseURL!, db);
  const page = admin.page;
  await page.goto('/admin/organizations');
  await expect(page.getByRole('table', { name: 'Organizations' }).locator('tbody tr')).toHaveCount(50);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Older →' }).click();
  await expect(page).toHaveURL(/\/admin\/organizations\?page=2$/);
  await expect(page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: '← Newer' })).toBeVisible();
  await page.goto(`/admin/users?q=${tag}`);
  await expect(page.getByRole('table', { name: 'Users' }).locator('tbody tr')).toHaveCount(50);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Older →' }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/users\\?q=${tag}&page=2$`));
  await expect(page.getByRole('table', { name: 'Users' }).locator('tbody tr')).toHaveCount(10);
  await admin.context.close();
});
