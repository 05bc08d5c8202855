import { randomUUID } from 'node:crypto';
import { expect, type Page } from '@playwright/test';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { createAccountMaterial, createJoinerMaterial } from '@/lib/client/account';
import { toBase64Url } from '@/lib/crypto/encoding';
import { generateKeyPairs } from '@/lib/crypto/keys';
import { hashLink, nextLink, signAcceptance, signLink, type Acceptance, type ChainLink } from '@/lib/crypto/org';
import type { TestDatabase } from './db';
import { newActor, newClientContext, newPerson, test } from './fixtures';
import { replaceOrgPublicKeys } from './malicious-server';
import { AuthPages } from './pages/auth-pages';
import { InvoicePages, type InvoiceInput } from './pages/invoice-pages';
import { shot } from './shots';
import { createCredential, expectRefusal } from './webauthn';
import { LifecyclePage } from './pages/lifecycle-page';

// Organizations as teams (DESIGN §3.3, issue #10): invitations whose secret stays in the link's
// fragment, acceptances confirmed in an owner's browser against the safety number, roles the server
// enforces, removal with a key rotation, and a server that cannot add a member on its own.
// In-app navigation only: a full page load forgets the unlocked keys.

const invoice = (number: string): InvoiceInput => ({ number, net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00', iban: 'DE89 3704 0044 0532 0130 00', reference: number });

/** The id of the one row a query finds. */
async function idOf(db: TestDatabase, sql: string, params: unknown[]): Promise<string> {
  const rows = await db.query<{ id: string }>(sql, params);
  expect(rows).toHaveLength(1);
  return rows[0]!.id;
}

/** Signs the page's person up as the owner of a new organization: its handle and id. */
async function signUpOwner(page: Page, auth: { signUp: (p: ReturnType<typeof newPerson>) => Promise<string> }, db: TestDatabase): Promise<{ handle: string; orgId: string }> {
  await auth.signUp(newPerson('owner'));
  const handle = await new InvoicePages(page).orgHandle();
  return { handle, orgId: await idOf(db, 'select id from organizations where handle = $1', [handle]) };
}

/** Settings › Members, reached by links so the keys stay unlocked. */
async function openMembers(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByTestId('members-link').click();
  await expect(page.getByRole('heading', { name: 'Members', level: 1 })).toBeVisible();
  await expect(page.getByTestId('members-table')).toBeVisible();
}

/** Creates an invitation for `role` on the members page and returns the link (with its #secret). */
async function invite(page: Page, role: 'admin' | 'member' | 'viewer'): Promise<string> {
  await page.locator('select[name="role"]').selectOption(role);
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  // The box shows the new link only once the server stored the invitation; it names the role.
  const shown = page.getByTestId('invitation-link');
  await expect(shown).toContainText(`Invitation link for a new ${role[0]!.toUpperCase()}${role.slice(1)}`);
  const link = await shown.getByRole('textbox').inputValue();
  expect(link).toMatch(/\/join\/[0-9a-f-]{36}#[A-Za-z0-9_-]{43}$/);
  return link;
}

/** The joiner's side after accepting: the waiting note and the safety number to read out. */
async function waitingSafetyNumber(page: Page): Promise<string> {
  await expect(page.getByTestId('join-waiting')).toContainText('Waiting for');
  return (await page.getByTestId('own-safety-number').innerText()).trim();
}

/**
 * The joiner's page after the owner confirmed: it looks again every 5 s by itself, and at once
 * with "Check again" (gone as soon as a look found the confirmation), then offers the inbox.
 */
async function openConfirmedInbox(page: Page): Promise<void> {
  const openInbox = page.getByRole('button', { name: /^Open the inbox of/ });
  await expect(async () => {
    if (!(await openInbox.isVisible())) await page.getByRole('button', { name: 'Check again' }).click({ timeout: 1_000 });
    await expect(openInbox).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await openInbox.click();
}

/** The owner confirms the acceptance whose safety number matches what the joiner's screen shows. */
async function confirm(page: Page, name: string, safetyNumber: string): Promise<void> {
  await page.getByRole('button', { name: 'Look again' }).click();
  const pending = page.getByTestId('pending-acceptance').filter({ hasText: name });
  await expect(pending.getByTestId('pending-safety-number')).toHaveText(safetyNumber);
  await pending.getByRole('button', { name: `Confirm ${name}` }).click();
  await expect(page.getByTestId('members-notice')).toHaveText(`${name} is now a member.`);
  await expect(page.getByTestId('member-row').filter({ hasText: name })).toBeVisible();
}

/**
 * On the members page: invites a new member, who signs up on their own (with an org of their own),
 * accepts from the link, and is confirmed by the owner against the safety number the joiner sees.
 */
async function addMember(page: Page, browser: Parameters<typeof newActor>[0], baseURL: string) {
  const link = await invite(page, 'member');
  const memberPerson = newPerson('member');
  const memberActor = await newActor(browser, baseURL);
  await memberActor.auth.signUp(memberPerson);
  await memberActor.page.goto(link);
  await memberActor.page.getByRole('button', { name: 'Unlock with passkey' }).click();
  await memberActor.page.getByRole('button', { name: /^Accept the invitation/ }).click();
  await confirm(page, memberPerson.displayName, await waitingSafetyNumber(memberActor.page));
  return { memberPerson, memberActor };
}

test('[owner] invites a [member] who signs up from the link and a [viewer] with an account; both are confirmed; the member reads and sends, the viewer only reads', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(600_000);
  const ownerPerson = newPerson('owner');
  await auth.signUp(ownerPerson);
  const owner = new InvoicePages(page);
  const ownerHandle = await owner.orgHandle();

  // A supplier sends the org an invoice before anyone joins.
  const supplierActor = await newActor(browser, baseURL!);
  await supplierActor.auth.signUp(newPerson('supplier'));
  const supplier = new InvoicePages(supplierActor.page);
  const supplierHandle = await supplier.orgHandle();
  await supplier.chooseRecipient(ownerHandle);
  await supplier.fillInvoice(invoice('ORG-IN-1'));
  await supplier.send();

  await openMembers(page);
  const memberLink = await invite(page, 'member');
  const viewerLink = await invite(page, 'viewer');
  // The secret after # is the browser's alone: the server stored only the invitation's public key.
  const secret = memberLink.split('#')[1]!;
  expect(JSON.stringify(await db.query('select * from org_invitations'))).not.toContain(secret);
  expect(JSON.stringify(await db.query('select link from org_chain_links'))).not.toContain(secret);

  // The member is new: the join page signs them up with a passkey and accepts in one go. The
  // account gets no organization of its own: it belongs to nothing until the owner confirms it.
  const memberPerson = newPerson('member');
  const memberActor = await newActor(browser, baseURL!);
  await memberActor.page.goto(memberLink);
  await expect(memberActor.page.getByTestId('join-invited')).toContainText(`as Member`);
  const signUpForm = memberActor.page.getByRole('form', { name: 'Create account and accept' });
  await expect(signUpForm.getByLabel('Organization')).toHaveCount(0);
  await expect(signUpForm).toContainText('it gets no organization of its own');
  await signUpForm.getByLabel('Your name').fill(memberPerson.displayName);
  await signUpForm.getByLabel('Work email').fill(memberPerson.email);
  await signUpForm.getByRole('button', { name: 'Create account and accept' }).click();
  const memberSafety = await waitingSafetyNumber(memberActor.page);
  await expect(memberActor.page.getByTestId('join-waiting')).toContainText(`Waiting for ${ownerPerson.orgName} to confirm you.`);
  const memberId = await idOf(db, 'select id from users where email = $1', [memberPerson.email]);
  expect(await db.query('select org_id from memberships where user_id = $1', [memberId])).toEqual([]);
  expect(await db.query("select id from organizations where name = $1", [memberPerson.orgName])).toEqual([]);

  // The viewer already has an account: signed in, it unlocks on the join page and accepts.
  const viewerPerson = newPerson('viewer');
  const viewerActor = await newActor(browser, baseURL!);
  await viewerActor.auth.signUp(viewerPerson);
  await viewerActor.page.goto(viewerLink);
  await viewerActor.page.getByRole('button', { name: 'Unlock with passkey' }).click();
  await viewerActor.page.getByRole('button', { name: /^Accept the invitation/ }).click();
  const viewerSafety = await waitingSafetyNumber(viewerActor.page);

  // Nothing is granted before an owner confirms in their browser.
  const ownerOrgId = await idOf(db, 'select id from organizations where handle = $1', [ownerHandle]);
  expect(await db.query('select user_id from memberships where org_id = $1', [ownerOrgId])).toHaveLength(1);

  await confirm(page, memberPerson.displayName, memberSafety);
  await confirm(page, viewerPerson.displayName, viewerSafety);
  expect(await db.query('select user_id from org_secret_grants where org_id = $1', [ownerOrgId])).toHaveLength(3);
  expect(await db.query("select type from org_chain_links where org_id = $1 order by seq", [ownerOrgId])).toEqual([{ type: 'create' }, { type: 'invite' }, { type: 'invite' }, { type: 'add' }, { type: 'add' }]);

  // The member's waiting page turns into the way to the org's inbox, where the earlier invoice opens.
  await openConfirmedInbox(memberActor.page);
  expect(await db.query('select org_id from memberships where user_id = $1', [memberId])).toEqual([{ org_id: ownerOrgId }]);
  // A new account saves its recovery key first; the org chosen on the join page stays the active one.
  const memberAuth = new AuthPages(memberActor.page);
  await expect(memberActor.page).toHaveURL(/\/recovery-kit/);
  await memberAuth.confirmRecoveryKey(await memberAuth.shownRecoveryKey());
  const member = new InvoicePages(memberActor.page);
  await member.openFromInbox('ORG-IN-1');
  await expect(memberActor.page.getByTestId('signature-status')).toContainText('Valid signature');
  await expect(memberActor.page.getByTestId('invoice-details')).toContainText('119.00');

  // The member sends for the org; the supplier opens it.
  await member.chooseRecipient(supplierHandle);
  await member.fillInvoice(invoice('ORG-OUT-1'));
  await member.send();
  await supplier.openFromInbox('ORG-OUT-1');
  await expect(supplierActor.page.getByTestId('signature-status')).toContainText('Valid signature');

  // The viewer switches to the org in the header and reads, but gets no actions, and cannot send.
  await openConfirmedInbox(viewerActor.page);
  await expect(viewerActor.page).toHaveURL(/\/inbox$/);
  const switcher = viewerActor.page.getByTestId('org-switcher');
  await expect(switcher).toBeVisible();
  await expect(switcher.locator('option:checked')).toHaveText(ownerPerson.orgName);
  const viewer = new InvoicePages(viewerActor.page);
  await viewer.openFromInbox('ORG-IN-1');
  await expect(viewerActor.page.getByTestId('read-only-role')).toBeVisible();
  await viewer.nav('New invoice');
  await expect(viewerActor.page.getByTestId('cannot-send')).toBeVisible();
  const supplierOrgId = await idOf(db, 'select id from organizations where handle = $1', [supplierHandle]);
  const refused = await viewerActor.page.request.post('/api/uploads', { data: { supplierOrgId: ownerOrgId, customerOrgId: supplierOrgId, files: [] } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.reason).toBe('role_cannot_send');
  // Switching back to the viewer's own org acts for it again.
  await switcher.selectOption({ label: viewerPerson.orgName });
  await expect(viewerActor.page.getByTestId('cannot-send')).toHaveCount(0);

  for (const actor of [supplierActor, memberActor, viewerActor]) await actor.context.close();
});

test('[owner] removes a [member]: keys rotate, the member loses access at once and cannot open what arrives later, older invoices still open', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(600_000);
  await auth.signUp(newPerson('owner'));
  const owner = new InvoicePages(page);
  const ownerHandle = await owner.orgHandle();
  const orgId = await idOf(db, 'select id from organizations where handle = $1', [ownerHandle]);

  const supplierActor = await newActor(browser, baseURL!);
  await supplierActor.auth.signUp(newPerson('supplier'));
  const supplier = new InvoicePages(supplierActor.page);
  await supplier.chooseRecipient(ownerHandle);
  await supplier.fillInvoice(invoice('BEFORE-1'));
  await supplier.send();

  await openMembers(page);
  const { memberPerson, memberActor } = await addMember(page, browser, baseURL!);
  const memberId = await idOf(db, 'select id from users where email = $1', [memberPerson.email]);

  // The owner removes the member; the page says what removal cannot undo.
  await page.getByTestId('member-row').filter({ hasText: memberPerson.displayName }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('remove-dialog')).toContainText('cannot be un-seen');
  await page.getByRole('button', { name: 'Remove and replace the keys' }).click();
  await expect(page.getByTestId('members-notice')).toContainText('key version 2');
  await expect(page.getByTestId('member-row')).toHaveCount(1);
  expect(await db.query('select user_id from memberships where org_id = $1 and user_id = $2', [orgId, memberId])).toHaveLength(0);
  expect(await db.query('select epoch from org_secret_grants where org_id = $1 and user_id = $2', [orgId, memberId])).toHaveLength(0);
  expect(await db.query('select version from org_keys where org_id = $1 order by version', [orgId])).toEqual([{ version: 1 }, { version: 2 }]);

  // An invoice that arrives after the removal is sealed to the new epoch only (a new supplier, who never pinned the old keys).
  const laterActor = await newActor(browser, baseURL!);
  await laterActor.auth.signUp(newPerson('later'));
  const later = new InvoicePages(laterActor.page);
  await later.chooseRecipient(ownerHandle);
  await later.fillInvoice(invoice('AFTER-1'));
  const afterId = await later.send();
  expect(await db.query('select distinct key_version from invoice_keys where invoice_id = $1 and org_id = $2', [afterId, orgId])).toEqual([{ key_version: 2 }]);

  // The owner opens both: the older one through the epoch chain.
  await owner.openFromInbox('BEFORE-1');
  await expect(page.getByTestId('signature-status')).toContainText('Valid signature');
  await owner.openFromInbox('AFTER-1');
  await expect(page.getByTestId('signature-status')).toContainText('Valid signature');

  // The removed member's browser: the server refuses the org's invoices, and its keys were never given epoch 2.
  const refused = await memberActor.page.request.get(`/api/invoices/${afterId}`);
  expect(refused.status()).toBe(404);
  const list = await memberActor.page.request.get(`/api/invoices?box=inbox&orgId=${orgId}`);
  expect(list.status()).toBe(404);
  expect(await db.query('select epoch from org_secret_grants where org_id = $1 and epoch = 2 and user_id = $2', [orgId, memberId])).toHaveLength(0);

  for (const actor of [supplierActor, memberActor, laterActor]) await actor.context.close();
});

test('[owner] removes a [member] who had sent an invoice and confirmed its payment: the owner and the [customer] still verify the invoice and its history', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(600_000);
  await auth.signUp(newPerson('owner'));
  const owner = new InvoicePages(page);
  const ownerHandle = await owner.orgHandle();
  const orgId = await idOf(db, 'select id from organizations where handle = $1', [ownerHandle]);

  const customerActor = await newActor(browser, baseURL!);
  await customerActor.auth.signUp(newPerson('customer'));
  const customer = new InvoicePages(customerActor.page);
  const customerHandle = await customer.orgHandle();

  await openMembers(page);
  const { memberPerson, memberActor } = await addMember(page, browser, baseURL!);
  await openConfirmedInbox(memberActor.page);

  // The member signs an invoice and an event of its history for the org.
  const member = new InvoicePages(memberActor.page);
  await member.chooseRecipient(customerHandle);
  await member.fillInvoice(invoice('GONE-1'));
  const invoiceId = await member.send();
  const memberLife = new LifecyclePage(memberActor.page);
  await memberLife.confirmPaid('119.00');
  await memberLife.expectHistory(['issued', 'paid']);
  const memberId = await idOf(db, 'select id from users where email = $1', [memberPerson.email]);
  expect(await db.query('select actor_user_id from invoice_events where invoice_id = $1', [invoiceId])).toEqual([{ actor_user_id: memberId }]);

  await page.getByTestId('member-row').filter({ hasText: memberPerson.displayName }).getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('button', { name: 'Remove and replace the keys' }).click();
  await expect(page.getByTestId('members-notice')).toContainText('key version 2');
  // The server still refuses the removed member everything of the org.
  expect((await memberActor.page.request.get(`/api/invoices/${invoiceId}`)).status()).toBe(404);
  expect((await memberActor.page.request.get(`/api/invoices/${invoiceId}/events`)).status()).toBe(404);
  expect((await memberActor.page.request.get(`/api/invoices?box=sent&orgId=${orgId}`)).status()).toBe(404);

  // What the member signed while a member still verifies, for the org and for the customer.
  await owner.openFromSent('GONE-1');
  await expect(page.getByTestId('signature-status')).toContainText('Valid signature');
  const ownerLife = new LifecyclePage(page);
  await ownerLife.expectHistory(['issued', 'paid']);
  await ownerLife.expectAllValid();
  await customer.openFromInbox('GONE-1');
  await expect(customerActor.page.getByTestId('signature-status')).toContainText('Valid signature');
  await expect(customerActor.page.getByTestId('invoice-warning')).toHaveCount(0);
  const customerLife = new LifecyclePage(customerActor.page);
  await customerLife.expectHistory(['issued', 'paid']);
  await customerLife.expectAllValid();

  for (const actor of [customerActor, memberActor]) await actor.context.close();
});

test('[malicious server] adds a member by writing the database: the owner’s browser does not count them and raises a blocking warning', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(300_000);
  const { orgId } = await signUpOwner(page, auth, db);

  const intruderPerson = newPerson('intruder');
  const intruderActor = await newActor(browser, baseURL!);
  await intruderActor.auth.signUp(intruderPerson);
  const intruderId = await idOf(db, 'select id from users where email = $1', [intruderPerson.email]);

  // The server's own doing: a membership row and a sealed "org secret" for the intruder, no chain link.
  const [own] = await db.query<{ certificate: unknown; certificate_signature: string }>('select certificate, certificate_signature from memberships where user_id = $1', [intruderId]);
  await db.query('insert into memberships (org_id, user_id, role, key_version, certificate, certificate_signature) values ($1, $2, $3, 1, $4::jsonb, $5)', [orgId, intruderId, 'admin', JSON.stringify(own!.certificate), own!.certificate_signature]);
  await db.query("insert into org_secret_grants (org_id, epoch, user_id, sealed_org_secret) values ($1, 1, $2, decode(repeat('00', 80), 'hex'))", [orgId, intruderId]);

  await openMembers(page);
  const warnings = page.getByTestId('membership-warning');
  await expect(warnings.filter({ hasText: `${intruderPerson.displayName} (${intruderPerson.email}) is listed as a member by the server` })).toBeVisible();
  await expect(warnings.filter({ hasText: 'sealed to an account that is not a member' })).toBeVisible();
  // The chain's members are what the page lists; no management is offered while the warning stands.
  await expect(page.getByTestId('member-row')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Create invitation link' })).toHaveCount(0);
  // Every page of the org carries the warning, not only the members page.
  await new InvoicePages(page).nav('Inbox');
  await expect(page.getByTestId('membership-banner')).toContainText('is listed as a member by the server');

  await intruderActor.context.close();
});

test('[malicious server] appends an `add` it signed itself, with a sealed secret for its own account: refused, the owner is warned and can confirm nothing', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(300_000);
  const ownerPerson = newPerson('owner');
  await auth.signUp(ownerPerson);
  const ownerHandle = await new InvoicePages(page).orgHandle();
  const orgId = await idOf(db, 'select id from organizations where handle = $1', [ownerHandle]);
  const ownerId = await idOf(db, 'select id from users where email = $1', [ownerPerson.email]);

  // A real invitation first, so the forged link has an open invite to consume.
  await openMembers(page);
  await invite(page, 'admin');
  const [head] = await db.query<{ seq: number; link: ChainLink }>('select seq, link from org_chain_links where org_id = $1 order by seq desc limit 1', [orgId]);
  expect(head!.link.type).toBe('invite');
  const inviteBody = head!.link.body as { inviteId: string };

  const intruderPerson = newPerson('intruder');
  const intruderActor = await newActor(browser, baseURL!);
  await intruderActor.auth.signUp(intruderPerson);
  const intruderId = await idOf(db, 'select id from users where email = $1', [intruderPerson.email]);

  // The server's best forgery: an `add` in the owner's name, continuing the chain correctly, but
  // signed with a key of the server's own (it never holds the owner's), naming keys it controls.
  const serverKeys = await generateKeyPairs();
  const link = await nextLink({ orgId, seq: head!.seq, headHash: await hashLink(head!.link) }, 'add', {
    inviteId: inviteBody.inviteId,
    userId: intruderId,
    userSigningKey: toBase64Url(serverKeys.signingPublicKey),
    userEncryptionKey: toBase64Url(serverKeys.encryptionPublicKey),
    role: 'admin',
    acceptanceHash: toBase64Url(new Uint8Array(32)),
  }, { userId: ownerId, signingPublicKey: serverKeys.signingPublicKey });
  await db.query('insert into org_chain_links (org_id, seq, type, link, signature, hash) values ($1, $2, $3, $4::jsonb, $5, $6)', [orgId, link.seq, 'add', JSON.stringify(link), await signLink(serverKeys.signingPrivateKey, link), await hashLink(link)]);
  const [own] = await db.query<{ certificate: unknown; certificate_signature: string }>('select certificate, certificate_signature from memberships where user_id = $1', [intruderId]);
  await db.query('insert into memberships (org_id, user_id, role, key_version, certificate, certificate_signature) values ($1, $2, $3, 1, $4::jsonb, $5)', [orgId, intruderId, 'admin', JSON.stringify(own!.certificate), own!.certificate_signature]);
  await db.query("insert into org_secret_grants (org_id, epoch, user_id, sealed_org_secret) values ($1, 1, $2, decode(repeat('00', 80), 'hex'))", [orgId, intruderId]);

  // The owner's browser replays the chain on the next visit: the forged link is refused.
  await new InvoicePages(page).nav('Inbox');
  await openMembers(page);
  const warnings = page.getByTestId('membership-warning');
  await expect(warnings.filter({ hasText: 'membership chain the server sent was refused' })).toContainText('link 2');
  await expect(page.getByTestId('chain-status')).toHaveCount(0);
  // Nothing can be managed, so nothing is sealed for anyone while the warning stands.
  await expect(page.getByRole('button', { name: 'Create invitation link' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Confirm / })).toHaveCount(0);
  await new InvoicePages(page).nav('Inbox');
  await expect(page.getByTestId('membership-banner')).toContainText('membership chain the server sent was refused');
  expect(await db.query('select user_id from org_secret_grants where org_id = $1', [orgId])).toHaveLength(2);

  await intruderActor.context.close();
});

test('[malicious server] withholds the chain’s last link (a confirmed member, dropped with its rows): the device remembers the longer chain and warns', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(300_000);
  const { orgId } = await signUpOwner(page, auth, db);

  await openMembers(page);
  const { memberPerson, memberActor } = await addMember(page, browser, baseURL!);
  await expect(page.getByTestId('chain-status')).toContainText('3 links');
  const memberId = await idOf(db, 'select id from users where email = $1', [memberPerson.email]);
  // An invoice the owner sent while all was well, to the member's own org.
  const owner = new InvoicePages(page);
  const [memberOrg] = await db.query<{ handle: string }>('select o.handle from organizations o join memberships m on m.org_id = o.id where m.user_id = $1 and o.id <> $2', [memberId, orgId]);
  await owner.chooseRecipient(memberOrg!.handle);
  await owner.fillInvoice(invoice('HELD-1'));
  await owner.send();
  await expect(page.locator('summary').filter({ hasText: 'Confirm payment received' })).toBeVisible();

  // The server drops the `add` and everything that follows from it: a consistent, shorter story.
  await db.query("delete from org_chain_links where org_id = $1 and type = 'add'", [orgId]);
  await db.query('delete from org_secret_grants where org_id = $1 and user_id = $2', [orgId, memberId]);
  await db.query('delete from memberships where org_id = $1 and user_id = $2', [orgId, memberId]);
  expect(await db.query('select seq from org_chain_links where org_id = $1', [orgId])).toHaveLength(2);

  await new InvoicePages(page).nav('Inbox');
  await openMembers(page);
  await expect(page.getByTestId('membership-warning').filter({ hasText: 'older membership chain (2 entries) than you already verified (3 entries)' })).toBeVisible();
  await expect(page.getByTestId('chain-status')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Create invitation link' })).toHaveCount(0);

  // While the warning stands nothing is sent, paid or commented for the org.
  await owner.nav('New invoice');
  await expect(page.getByTestId('membership-blocks-acting')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Encrypt and send' })).toHaveCount(0);
  await owner.openFromSent('HELD-1');
  await expect(page.getByTestId('signature-status')).toContainText('Valid signature');
  await expect(page.getByTestId('membership-blocks-acting')).toBeVisible();
  await expect(page.locator('summary').filter({ hasText: 'Confirm payment received' })).toHaveCount(0);

  await memberActor.context.close();
});

test('[customer] rotates its keys by removing a member: the [supplier] who pinned it before follows the signed succession silently, sees the rotation, and a later key swap without succession still blocks', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(600_000);
  const ownerPerson = newPerson('owner');
  await auth.signUp(ownerPerson);
  const owner = new InvoicePages(page);
  const ownerHandle = await owner.orgHandle();
  const orgId = await idOf(db, 'select id from organizations where handle = $1', [ownerHandle]);

  // The supplier pins the org's epoch-1 keys on first contact.
  const supplierActor = await newActor(browser, baseURL!);
  await supplierActor.auth.signUp(newPerson('supplier'));
  const supplier = new InvoicePages(supplierActor.page);
  const supplierHandle = await supplier.orgHandle();
  await supplier.chooseRecipient(ownerHandle);
  await expect(supplierActor.page.getByTestId('recipient')).toContainText('First contact');
  await supplier.fillInvoice(invoice('PIN-1'));
  await supplier.send();

  // The owner adds and removes a member: a rotation to key version 2.
  await openMembers(page);
  const { memberPerson, memberActor } = await addMember(page, browser, baseURL!);
  await page.getByTestId('member-row').filter({ hasText: memberPerson.displayName }).getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('button', { name: 'Remove and replace the keys' }).click();
  await expect(page.getByTestId('members-notice')).toContainText('key version 2');
  await memberActor.context.close();

  // The supplier sends again: the new keys are followed, not a key change; the invoice is sealed to epoch 2.
  await supplier.nav('New invoice');
  await supplier.chooseRecipient(ownerHandle);
  await expect(supplierActor.page.getByTestId('recipient')).toContainText(`Keys rotated by ${ownerPerson.orgName} (key version 2)`);
  await supplier.fillInvoice(invoice('PIN-2'));
  const afterId = await supplier.send();
  expect(await db.query('select distinct key_version from invoice_keys where invoice_id = $1 and org_id = $2', [afterId, orgId])).toEqual([{ key_version: 2 }]);
  await owner.openFromInbox('PIN-2');
  await expect(page.getByTestId('signature-status')).toContainText('Valid signature');

  // The owner sends to the supplier with the new keys; the supplier opens it with no warning and sees the rotation.
  await owner.chooseRecipient(supplierHandle);
  await owner.fillInvoice(invoice('ROT-OUT-1'));
  await owner.send();
  await supplier.openFromInbox('ROT-OUT-1');
  await expect(supplierActor.page.getByTestId('signature-status')).toContainText('Valid signature');
  await expect(supplierActor.page.getByTestId('keys-rotated')).toContainText(`Keys rotated by ${ownerPerson.orgName}`);
  // The rotation is an entry of the invoice's history too, beside its signed events.
  await expect(supplierActor.page.getByTestId('history').getByTestId('history-rotation')).toContainText(`Keys rotated by ${ownerPerson.orgName} (key version 2)`);
  await expect(supplierActor.page.getByTestId('invoice-warning')).toHaveCount(0);

  // The server then swaps the org's keys for its own: no succession record explains that, so it blocks.
  await replaceOrgPublicKeys(db, orgId, await generateKeyPairs());
  await supplier.nav('New invoice');
  await supplier.lookUpRecipient(ownerHandle);
  await expect(supplierActor.page.getByRole('alert').filter({ hasText: `The keys of ${ownerPerson.orgName} have changed.` })).toBeVisible();
  await expect(supplierActor.page.getByTestId('recipient')).toHaveCount(0);

  await supplierActor.context.close();
});

/** Owner and a confirmed member (who signed up on their own, with an org of their own). */
async function ownerWithMember(page: Page, auth: { signUp: (p: ReturnType<typeof newPerson>) => Promise<string> }, browser: Parameters<typeof newActor>[0], baseURL: string, db: TestDatabase) {
  const { orgId } = await signUpOwner(page, auth, db);
  await openMembers(page);
  const { memberPerson, memberActor } = await addMember(page, browser, baseURL);
  const memberId = await idOf(db, 'select id from users where email = $1', [memberPerson.email]);
  return { orgId, memberPerson, memberActor, memberId };
}

test('[owner] removes a [member] after inviting a customer without an account: the customer’s link is still shown after the rotation; withheld epochs hide it instead of showing a wrong one', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(300_000);
  const { orgId, memberPerson, memberActor } = await ownerWithMember(page, auth, browser, baseURL!, db);
  const owner = new InvoicePages(page);
  await owner.nav('New invoice');
  await page.getByRole('radio', { name: 'By company name and e-mail (no account yet)' }).check();
  await page.getByLabel('Company name', { exact: true }).fill('Kunde vor dem Wechsel AG');
  await page.getByLabel('E-mail address for invoices').fill('ap@vor-dem-wechsel.example');
  await page.getByRole('button', { name: 'Add customer' }).click();
  await owner.fillInvoice(invoice('ROT-1'));
  await owner.send();
  const link = await page.getByTestId('claim-link').getByLabel('Link to hand over').inputValue();

  // The note holding the link was sealed under epoch 1; removing the member moves the org to epoch 2.
  // The dialog says that the member may have seen the link, which new keys do not change.
  await openMembers(page);
  await page.getByTestId('member-row').filter({ hasText: memberPerson.displayName }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('remove-claim-links')).toContainText(`1 customer without an account has a link that ${memberPerson.displayName} may have seen.`);
  await shot(page, 'remove-member-claim-links');
  await page.getByRole('button', { name: 'Remove and replace the keys' }).click();
  await expect(page.getByTestId('members-notice')).toContainText('key version 2');
  expect(await db.query('select record_key_version from provisional_orgs where supplier_org_id = $1', [orgId])).toEqual([{ record_key_version: 1 }]);

  const customers = async () => {
    await owner.nav('Sent');
    await page.getByRole('link', { name: 'Customers without an account' }).click();
    return page.getByTestId('customers').getByRole('row', { name: /Kunde vor dem Wechsel AG/ });
  };
  let row = await customers();
  await expect(row).toContainText('ap@vor-dem-wechsel.example');
  await row.getByRole('button', { name: 'Show link' }).click();
  // The same organization and secret; the fragment now names the supplier's current keys.
  const cut = link.indexOf('.', link.indexOf('#'));
  const shown = await page.getByTestId('claim-link').getByLabel('Link to hand over').inputValue();
  expect(shown.slice(0, cut + 1)).toBe(link.slice(0, cut + 1));
  expect(shown.slice(cut + 1)).toMatch(/^\d{30}\.[cn]$/);
  expect(shown.slice(cut + 1)).not.toBe(link.slice(cut + 1));
  // Both work for the guest: the link handed over before the rotation names the old keys, which the
  // guest's browser follows to the current ones through the signed succession.
  const guestContext = await newClientContext(browser, baseURL!);
  const guest = await guestContext.newPage();
  for (const url of [link, shown]) {
    await guest.goto('about:blank');
    await guest.goto(url);
    const opened = guest.getByTestId('guest-invoice');
    await expect(opened.getByRole('heading', { name: 'Invoice ROT-1' })).toBeVisible();
    await expect(opened.getByTestId('signature-status')).toContainText('Signature verified');
  }
  await guestContext.close();

  // A server that withholds the older epochs cannot make the note open under another key: it is not shown.
  await page.route(`**/api/orgs/${orgId}/epochs`, (route) => route.fulfill({ json: { epochs: [] } }));
  await owner.nav('Inbox');
  row = await customers();
  await expect(row).toContainText('cannot be shown again here');
  await expect(row).not.toContainText('ap@vor-dem-wechsel.example');
  await page.unroute(`**/api/orgs/${orgId}/epochs`);

  await memberActor.context.close();
});

test('[malicious server] seals the org secret to an account outside the chain (a grant row only): the owner’s box audit flags it and nothing can be managed', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(300_000);
  const { orgId } = await signUpOwner(page, auth, db);
  const outsiderPerson = newPerson('outsider');
  const outsiderActor = await newActor(browser, baseURL!);
  await outsiderActor.auth.signUp(outsiderPerson);
  const outsiderId = await idOf(db, 'select id from users where email = $1', [outsiderPerson.email]);

  // No membership row, no link: only a sealed "org secret" for the outsider beside the owner's.
  await db.query("insert into org_secret_grants (org_id, epoch, user_id, sealed_org_secret) values ($1, 1, $2, decode(repeat('00', 80), 'hex'))", [orgId, outsiderId]);

  await openMembers(page);
  await expect(page.getByTestId('membership-warning').filter({ hasText: 'sealed to an account that is not a member' })).toContainText(outsiderId);
  await expect(page.getByTestId('member-row')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Create invitation link' })).toHaveCount(0);
  await new InvoicePages(page).nav('New invoice');
  await expect(page.getByTestId('membership-banner')).toContainText('sealed to an account that is not a member');
  await expect(page.getByTestId('membership-blocks-acting')).toBeVisible();
  expect(await db.query('select user_id from org_secret_grants where org_id = $1 order by user_id', [orgId])).toHaveLength(2);

  await outsiderActor.context.close();
});

test('[malicious server] drops the `remove` link of a removal (and then its `rotate` too, restoring the member): refused, then caught as a rollback; the removed member is sealed nothing', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(300_000);
  const { orgId, memberPerson, memberActor, memberId } = await ownerWithMember(page, auth, browser, baseURL!, db);
  await page.getByTestId('member-row').filter({ hasText: memberPerson.displayName }).getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('button', { name: 'Remove and replace the keys' }).click();
  await expect(page.getByTestId('members-notice')).toContainText('key version 2');
  await expect(page.getByTestId('chain-status')).toContainText('5 links');
  expect(await db.query("select type from org_chain_links where org_id = $1 order by seq", [orgId])).toEqual([{ type: 'create' }, { type: 'invite' }, { type: 'add' }, { type: 'remove' }, { type: 'rotate' }]);

  // The server drops the `remove` alone: the `rotate` after it no longer continues the chain.
  await db.query("delete from org_chain_links where org_id = $1 and type = 'remove'", [orgId]);
  await new InvoicePages(page).nav('Inbox');
  await openMembers(page);
  await expect(page.getByTestId('membership-warning').filter({ hasText: 'membership chain the server sent was refused' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create invitation link' })).toHaveCount(0);

  // It drops the `rotate` too and puts the member back: a consistent but older chain than this device verified.
  await db.query("delete from org_chain_links where org_id = $1 and type = 'rotate'", [orgId]);
  const [own] = await db.query<{ certificate: unknown; certificate_signature: string }>('select certificate, certificate_signature from memberships where org_id = $1', [orgId]);
  await db.query('insert into memberships (org_id, user_id, role, key_version, certificate, certificate_signature) values ($1, $2, $3, 1, $4::jsonb, $5)', [orgId, memberId, 'member', JSON.stringify(own!.certificate), own!.certificate_signature]);
  await new InvoicePages(page).nav('Inbox');
  await openMembers(page);
  await expect(page.getByTestId('membership-warning').filter({ hasText: 'older membership chain (3 entries) than you already verified (5 entries)' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove' })).toHaveCount(0);
  await new InvoicePages(page).nav('New invoice');
  await expect(page.getByTestId('membership-blocks-acting')).toBeVisible();
  // Nothing of epoch 2 was ever sealed to the removed member.
  expect(await db.query('select epoch from org_secret_grants where org_id = $1 and user_id = $2 and epoch = 2', [orgId, memberId])).toEqual([]);

  await memberActor.context.close();
});

test('[malicious server] inserts an acceptance made with its own keys for an open invitation: the owner’s browser refuses it and offers no Confirm', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(300_000);
  const { orgId } = await signUpOwner(page, auth, db);
  await openMembers(page);
  await invite(page, 'admin');
  const [invitation] = await db.query<{ id: string }>('select id from org_invitations where org_id = $1', [orgId]);

  const intruderPerson = newPerson('intruder');
  const intruderActor = await newActor(browser, baseURL!);
  await intruderActor.auth.signUp(intruderPerson);
  const intruderId = await idOf(db, 'select id from users where email = $1', [intruderPerson.email]);

  // The server's keys throughout: it publishes them as the intruder's, and signs the acceptance with
  // them as both the "invitation key" (it never had the link's secret) and the user key.
  const serverKeys = await generateKeyPairs();
  await db.query('update users set signing_public_key = $2, encryption_public_key = $3 where id = $1', [intruderId, Buffer.from(serverKeys.signingPublicKey), Buffer.from(serverKeys.encryptionPublicKey)]);
  const acceptance: Acceptance = { v: 1, orgId, inviteId: invitation!.id, userId: intruderId, userSigningKey: toBase64Url(serverKeys.signingPublicKey), userEncryptionKey: toBase64Url(serverKeys.encryptionPublicKey), createdAt: new Date().toISOString() };
  const signed = await signAcceptance(acceptance, serverKeys.signingPrivateKey, serverKeys.signingPrivateKey);
  await db.query('insert into org_acceptances (invite_id, org_id, user_id, acceptance, invite_signature, user_signature) values ($1, $2, $3, $4::jsonb, $5, $6)', [invitation!.id, orgId, intruderId, JSON.stringify(acceptance), signed.inviteSignature, signed.userSignature]);

  await page.getByRole('button', { name: 'Look again' }).click();
  const pending = page.getByTestId('pending-acceptance').filter({ hasText: intruderPerson.displayName });
  await expect(pending.getByTestId('acceptance-refused')).toContainText('not signed with the invitation’s key');
  await expect(pending.getByRole('button', { name: /^Confirm / })).toHaveCount(0);
  expect(await db.query('select user_id from org_secret_grants where org_id = $1', [orgId])).toHaveLength(1);
  expect(await db.query("select type from org_chain_links where org_id = $1 and type = 'add'", [orgId])).toEqual([]);

  await intruderActor.context.close();
});

test('[invitee] signing up from a join link through the API gets no organization: an own-org key bundle is refused, a closed invitation is refused, the honest bundle makes an account with no org', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(300_000);
  const { orgId } = await signUpOwner(page, auth, db);
  await openMembers(page);
  await invite(page, 'member');
  const [invitation] = await db.query<{ id: string }>('select id from org_invitations where org_id = $1', [orgId]);
  const joiner = await newActor(browser, baseURL!);
  await joiner.page.goto('/sign-in');
  const person = newPerson('joiner');
  const request = (data: Record<string, unknown>) => joiner.page.request.post('/api/auth/sign-up/options', { data: { displayName: person.displayName, email: person.email, ...data } });

  // Exactly one of an own org and an invitation; an unknown invitation is not found.
  await expectRefusal(await request({ orgName: 'Both', joinInviteId: invitation!.id }), 400, 'bad_request');
  await expectRefusal(await request({}), 400, 'bad_request');
  await expectRefusal(await request({ joinInviteId: randomUUID() }), 404, 'not_found');

  // A client that slips its own org into a join sign-up is refused, and nothing is stored.
  const started = await request({ joinInviteId: invitation!.id });
  expect(started.status()).toBe(200);
  const { options, userId, orgId: noOrg } = (await started.json()) as { options: PublicKeyCredentialCreationOptionsJSON; userId: string; orgId: string | null };
  expect(noOrg).toBeNull();
  const withOrg = await createAccountMaterial(userId, randomUUID());
  const { response } = await createCredential(joiner.page, options);
  await expectRefusal(await joiner.page.request.post('/api/auth/sign-up/verify', { data: { response, passkeyName: 'e2e', keys: withOrg.keys } }), 400, 'bad_request');
  expect(await db.query('select id from users where id = $1', [userId])).toEqual([]);

  // The honest bundle: an account, no organization, no membership.
  const again = await request({ joinInviteId: invitation!.id });
  const second = (await again.json()) as { options: PublicKeyCredentialCreationOptionsJSON; userId: string };
  const material = await createJoinerMaterial(second.userId);
  const created = await createCredential(joiner.page, second.options);
  expect((await joiner.page.request.post('/api/auth/sign-up/verify', { data: { response: created.response, passkeyName: 'e2e', keys: material.keys } })).status()).toBe(201);
  expect(await db.query('select org_id from memberships where user_id = $1', [second.userId])).toEqual([]);
  expect((await (await joiner.page.request.get('/api/account/keys')).json()).organizations).toEqual([]);

  // A revoked invitation admits no sign-up at all.
  await page.getByTestId('open-invitations').getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByTestId('open-invitations')).toHaveCount(0);
  const other = await newActor(browser, baseURL!);
  await other.page.goto('/sign-in');
  await expectRefusal(await other.page.request.post('/api/auth/sign-up/options', { data: { displayName: 'Late', email: newPerson('late').email, joinInviteId: invitation!.id } }), 409, 'conflict');

  for (const actor of [joiner, other]) await actor.context.close();
});

test('[supplier] whose form was sealed for the customer’s keys before the customer removed a member is refused at commit and told to reload and send again; after that it goes through', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(300_000);
  const { orgId, memberPerson, memberActor } = await ownerWithMember(page, auth, browser, baseURL!, db);
  const [owned] = await db.query<{ handle: string }>('select handle from organizations where id = $1', [orgId]);
  const supplierActor = await newActor(browser, baseURL!);
  await supplierActor.auth.signUp(newPerson('supplier'));
  const supplier = new InvoicePages(supplierActor.page);
  // The form holds the customer's epoch-1 keys…
  await supplier.chooseRecipient(owned!.handle);
  await supplier.fillInvoice(invoice('RACE-1'));
  // …when the customer removes a member and rotates to epoch 2.
  await page.getByTestId('member-row').filter({ hasText: memberPerson.displayName }).getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('button', { name: 'Remove and replace the keys' }).click();
  await expect(page.getByTestId('members-notice')).toContainText('key version 2');

  await supplierActor.page.getByRole('button', { name: 'Encrypt and send' }).click();
  const alert = supplierActor.page.getByRole('main').getByRole('alert').filter({ hasText: 'keys changed while this was being prepared' });
  await expect(alert).toContainText('reload the page and send again');
  await expect(alert).not.toContainText('you can retry');
  await expect(supplierActor.page.getByRole('button', { name: 'Retry sending' })).toHaveCount(0);
  expect(await db.query('select id from invoices where customer_org_id = $1', [orgId])).toEqual([]);

  // As told: a fresh form (here in-app, as a reload would unlock again) follows the rotation and sends.
  await supplier.nav('Inbox');
  await supplier.nav('New invoice');
  await supplier.chooseRecipient(owned!.handle);
  await supplier.fillInvoice(invoice('RACE-2'));
  const sent = await supplier.send();
  expect(await db.query('select distinct key_version from invoice_keys where invoice_id = $1 and org_id = $2', [sent, orgId])).toEqual([{ key_version: 2 }]);

  for (const actor of [memberActor, supplierActor]) await actor.context.close();
});
