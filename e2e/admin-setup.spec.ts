import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { checkAuditExport } from '@/lib/shared/audit-chain';
import { auditFailures } from './db';
import { expect, newActor, newClientContext, newPerson, test, uniqueClientIp, VirtualAuthenticator, type VirtualCredential } from './fixtures';
import { expectRefusal, signUpThroughApi } from './webauthn';

// The first platform admin (DESIGN §1, §9): the server prints a one-time link at start-up while
// the instance has no admin, and writes it to dbTarget.setupLinkFile for the tests. Each project's
// server issues one link, so the whole story of that link is one test; the tests of the admin's
// pages run after it, in order, with a copy of the passkey it created.
test.describe.configure({ mode: 'serial' });

let adminPasskey: VirtualCredential | undefined;

/** Signs in with the admin's passkey, and keeps the copy current (its counter moved on). */
async function signInAsAdmin(page: Page, authenticator: VirtualAuthenticator): Promise<void> {
  expect(adminPasskey, 'the admin is created by the test before').toBeDefined();
  await authenticator.addCredential(adminPasskey!);
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  [adminPasskey] = await authenticator.credentials();
}

test('[operator] opens /setup/admin without the link and is told where the link comes from', async ({ page }) => {
  await page.goto('/setup/admin');
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(/needs the one-time setup link that the server printed to its console/);
  await expect(page.getByRole('button', { name: 'Create administrator with a passkey' })).toHaveCount(0);
});

test('[operator] creates the first admin from the one-time link; the admin holds no keys and no org, and the link works only once', async ({ page, authenticator, browser, baseURL, db, dbTarget }) => {
  const link = readFileSync(dbTarget.setupLinkFile, 'utf8').trim();
  expect(link).toMatch(new RegExp(`^${baseURL}/setup/admin#token=[A-Za-z0-9_-]{43}$`));
  const token = new URLSearchParams(new URL(link).hash.slice(1)).get('token')!;
  const admin = newPerson('admin');

  await page.goto(link);
  await page.getByLabel('Your name').fill(admin.displayName);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByRole('button', { name: 'Create administrator with a passkey' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { name: 'Administration' })).toBeVisible();
  expect(await authenticator.credentials()).toHaveLength(1);

  const { session } = await (await page.request.get('/api/session')).json();
  expect(session).toMatchObject({ email: admin.email, isPlatformAdmin: true });
  await expectRefusal(await page.request.get('/api/account/keys'), 404, 'not_found');
  const [row] = await db.query('select is_platform_admin, encryption_public_key, signing_public_key, wrapped_private_keys, recovery_wrapped_account_key, recovery_auth_hash from users where id = $1', [session.userId]);
  expect(row).toEqual({ is_platform_admin: true, encryption_public_key: null, signing_public_key: null, wrapped_private_keys: null, recovery_wrapped_account_key: null, recovery_auth_hash: null });
  expect(await db.query('select org_id from memberships where user_id = $1', [session.userId])).toHaveLength(0);
  expect(await db.query("select seq from audit_log where action = 'admin.created' and outcome = 'success' and actor_user_id = $1", [session.userId])).toHaveLength(1);

  // The admin's passkey signs in again, and lands on the admin pages.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  // Copied after its last use, so the next test's sign-in carries a counter the server has not seen.
  [adminPasskey] = await authenticator.credentials();

  // Someone else with the same link, later: refused in the page and by the API, and logged.
  const otherIp = uniqueClientIp();
  const other = await newClientContext(browser, baseURL!, otherIp);
  const otherPage = await other.newPage();
  await VirtualAuthenticator.attach(otherPage);
  await otherPage.goto(link);
  await otherPage.getByLabel('Your name').fill('Second admin');
  await otherPage.getByLabel('Email').fill(newPerson('admin2').email);
  await otherPage.getByRole('button', { name: 'Create administrator with a passkey' }).click();
  await expect(otherPage.getByRole('main').getByRole('alert')).toHaveText(/setup link is invalid, expired or already used/);
  await expect(otherPage).toHaveURL(/\/setup\/admin/);
  await expectRefusal(
    await other.request.post('/api/admin-setup/options', { data: { token, displayName: 'Second admin', email: newPerson('admin3').email } }),
    400,
    'setup_token_invalid',
  );
  expect(await auditFailures(db, otherIp, { action: 'admin.setup_options', reason: 'setup_token_invalid' })).toHaveLength(2);
  // (Other specs create admins of their own through invitations, so count only this link's outcome.)
  expect(await db.query('select used_by from setup_tokens where token_hash = decode($1, \'hex\')', [createHash('sha256').update(token).digest('hex')])).toEqual([{ used_by: session.userId }]);
  await other.close();
});

test('[admin] signs in, opens the audit log, filters it, verifies the chain and exports it', async ({ page, authenticator, db }) => {
  await signInAsAdmin(page, authenticator);
  const { session } = await (await page.request.get('/api/session')).json();

  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  const table = page.getByRole('table', { name: 'Audit entries' });
  await expect(table.getByRole('row').nth(1).getByRole('cell').first()).toHaveText(/^\d+$/);

  // Other specs create admins of their own (by invitation), so the filter names this one too.
  await page.getByLabel('Action').fill('admin.created');
  await page.getByLabel('Actor user id').fill(session.userId);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=admin.created/);
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('row').nth(1)).toContainText(session.email);

  const head = (await db.query<{ head: string }>('select max(seq)::text as head from audit_log'))[0]!.head;
  await page.getByRole('button', { name: 'Verify chain' }).click();
  const verdict = page.getByRole('main').getByRole('status');
  await expect(verdict).toHaveText(/^Chain verified up to #\d+\.$/);
  expect(Number((await verdict.textContent())!.match(/#(\d+)/)![1])).toBeGreaterThanOrEqual(Number(head));

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^zkinvoice-audit-.*\.jsonl$/);
  const lines = readFileSync((await download.path())!, 'utf8').trimEnd().split('\n');
  const last = JSON.parse(lines.at(-1)!);
  expect(last.head.seq).toBeGreaterThan(Number(head));
  expect(lines.some((line) => JSON.parse(line).action === 'admin.audit_export')).toBe(true);
  const offline = await checkAuditExport((async function* () { yield* lines; })());
  expect(offline).toMatchObject({ ok: true, verifiedUpTo: last.head.seq });

  const recorded = await db.query<{ action: string }>("select action from audit_log where actor_user_id = $1 and action like 'admin.audit_%' order by seq", [session.userId]);
  expect(recorded.map((r) => r.action)).toEqual(['admin.audit_verify', 'admin.audit_export']);
});

test('[admin] finds a user and disables them: their open session stops at once; enabled again, they sign in', async ({ page, authenticator, browser, baseURL, db }) => {
  const person = newPerson('target');
  const user = await newActor(browser, baseURL!);
  await user.auth.signUp(person);
  const userId = (await db.query<{ id: string }>('select id from users where email = $1', [person.email]))[0]!.id;
  expect((await user.page.request.get('/api/account/keys')).status()).toBe(200);

  await signInAsAdmin(page, authenticator);
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Users' }).click();
  await page.getByLabel('Search name or email').fill(person.email);
  await page.getByRole('button', { name: 'Search' }).click();
  const row = page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: person.email });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(person.orgName);
  await expect(row.getByRole('cell').nth(4)).toHaveText(/^1 \(/);
  await row.getByRole('link', { name: person.displayName }).click();
  await expect(page.getByRole('heading', { name: person.displayName })).toBeVisible();
  await expect(page.getByText(/^[1-9]\d* open\.$/)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Security events' })).toContainText('account.sign_up');

  await page.getByRole('button', { name: 'Disable account' }).click();
  await expect(page.getByRole('button', { name: 'Enable account' })).toBeVisible();
  await expect(page.getByText('0 open.')).toBeVisible();
  expect(await db.query('select id from sessions where user_id = $1 and revoked_at is null', [userId])).toHaveLength(0);

  // The user's very next request is refused, and the page sends them to sign in, where they are told why.
  await expectRefusal(await user.page.request.get('/api/account/keys'), 401, 'unauthenticated');
  await user.page.goto('/home');
  await expect(user.page).toHaveURL(/\/sign-in$/);
  await user.auth.submitSignIn();
  await user.auth.expectError(/disabled/);

  await page.getByRole('button', { name: 'Enable account' }).click();
  await expect(page.getByRole('button', { name: 'Disable account' })).toBeVisible();
  await user.auth.signIn();
  const recorded = await db.query<{ action: string }>("select action from audit_log where object_type = 'user' and object_id = $1 and action like 'admin.%' order by seq", [userId]);
  expect(recorded.map((r) => r.action)).toEqual(['admin.user_disable', 'admin.user_enable']);
  await user.context.close();
});

test('[admin] suspends an organization: it cannot start an upload until resumed', async ({ page, authenticator, browser, baseURL, db }) => {
  const supplierPerson = newPerson('supplier');
  const supplier = await newActor(browser, baseURL!);
  await supplier.auth.signUp(supplierPerson);
  const customer = await newActor(browser, baseURL!);
  await customer.page.goto('/api/health');
  const customerPerson = newPerson('customer');
  await signUpThroughApi(customer.page, customerPerson);
  const orgId = async (name: string): Promise<string> => (await db.query<{ id: string }>('select id from organizations where name = $1', [name]))[0]!.id;
  const [supplierOrgId, customerOrgId] = [await orgId(supplierPerson.orgName), await orgId(customerPerson.orgName)];
  const startUpload = () => supplier.page.request.post('/api/uploads', { data: { supplierOrgId, customerOrgId, files: [{ fileId: randomUUID(), ciphertextSize: 1024 }] } });

  await signInAsAdmin(page, authenticator);
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Organizations' }).click();
  await page.getByRole('table', { name: 'Organizations' }).getByRole('link', { name: supplierPerson.orgName }).click();
  await expect(page.getByRole('heading', { name: supplierPerson.orgName })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Members' }).getByRole('row').filter({ hasText: supplierPerson.email })).toContainText('Owner');
  await expect(page.getByRole('table', { name: 'Invoices by status' }).getByRole('row').filter({ hasText: 'Issued' })).toHaveText(/Issued\s*0\s*0/);

  await page.getByRole('button', { name: 'Suspend organization' }).click();
  await expect(page.getByRole('button', { name: 'Resume organization' })).toBeVisible();
  await expectRefusal(await startUpload(), 403, 'forbidden');

  await page.getByRole('button', { name: 'Resume organization' }).click();
  await expect(page.getByRole('button', { name: 'Suspend organization' })).toBeVisible();
  expect((await startUpload()).status()).toBe(201);
  const recorded = await db.query<{ action: string }>("select action from audit_log where object_type = 'organization' and object_id = $1 and action like 'admin.%' order by seq", [supplierOrgId]);
  expect(recorded.map((r) => r.action)).toEqual(['admin.org_suspend', 'admin.org_resume']);
  await supplier.context.close();
  await customer.context.close();
});

test('[admin] invites another admin from Settings: the link creates one admin through a passkey and works only once', async ({ page, authenticator, browser, baseURL, db }) => {
  await signInAsAdmin(page, authenticator);
  const { session } = await (await page.request.get('/api/session')).json();
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('main')).toContainText(`Public origin (ORIGIN)${baseURL}`);
  await page.getByRole('button', { name: 'Create administrator invitation' }).click();
  const link = await page.getByLabel('Administrator invitation link').inputValue();
  expect(link).toMatch(new RegExp(`^${baseURL}/setup/admin#token=[A-Za-z0-9_-]{43}$`));
  const invitationRow = page.getByRole('table', { name: 'Invitations' }).getByRole('row').filter({ hasText: session.email });
  await expect(invitationRow).toHaveCount(1);
  await expect(invitationRow).toContainText(/administrator.*open/);

  const invited = await newClientContext(browser, baseURL!);
  const invitedPage = await invited.newPage();
  await VirtualAuthenticator.attach(invitedPage);
  const person = newPerson('admin-invited');
  await invitedPage.goto(link);
  await invitedPage.getByLabel('Your name').fill(person.displayName);
  await invitedPage.getByLabel('Email').fill(person.email);
  await invitedPage.getByRole('button', { name: 'Create administrator with a passkey' }).click();
  await expect(invitedPage).toHaveURL(/\/admin$/);
  const [created] = await db.query<{ id: string; is_platform_admin: boolean }>('select id, is_platform_admin from users where email = $1', [person.email]);
  expect(created?.is_platform_admin).toBe(true);
  expect(await db.query('select org_id from memberships where user_id = $1', [created!.id])).toHaveLength(0);
  expect(await db.query("select reason from audit_log where action = 'admin.created' and actor_user_id = $1", [created!.id])).toEqual([{ reason: 'invitation' }]);
  expect(await db.query("select seq from audit_log where action = 'admin.admin_invitation_created' and actor_user_id = $1", [session.userId])).toHaveLength(1);

  // The same link again: refused, and nobody else becomes an admin.
  const again = await newClientContext(browser, baseURL!);
  const againPage = await again.newPage();
  await VirtualAuthenticator.attach(againPage);
  const second = newPerson('admin-again');
  await againPage.goto(link);
  await againPage.getByLabel('Your name').fill(second.displayName);
  await againPage.getByLabel('Email').fill(second.email);
  await againPage.getByRole('button', { name: 'Create administrator with a passkey' }).click();
  await expect(againPage.getByRole('main').getByRole('alert')).toHaveText(/invalid, expired or already used/);
  expect(await db.query('select id from users where email = $1', [second.email])).toHaveLength(0);
  await page.reload();
  await expect(invitationRow).toContainText(/administrator.*used/);
  await invited.close();
  await again.close();
});
