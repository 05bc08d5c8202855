import { adminNav, newAdmin } from './admin';
import { expect, newActor, newPerson, test } from './fixtures';
import { expectRefusal, prepareSignUp } from './webauthn';

// Registration is instance-wide: while this test holds it at "by invitation", no other spec could
// sign up. So it runs in a project of its own, after everything else on its server
// (playwright.config.ts), and puts the setting back at the end.

test('[admin] makes registration invitation-only: sign-up without a valid link is refused and explained, and an invitation creates one account, once', async ({ browser, baseURL, db }) => {
  test.setTimeout(180_000);
  const admin = await newAdmin(browser, baseURL!, db);
  await adminNav(admin.page, 'Settings');
  await admin.page.getByLabel('Only people with a one-time sign-up invitation link').check();
  await admin.page.getByRole('button', { name: 'Save registration setting' }).click();
  await expect(admin.page.getByRole('status')).toHaveText('Registration setting saved.');
  try {
    // Without a link: the page explains, the API refuses.
    const stranger = await newActor(browser, baseURL!);
    await stranger.page.goto('/sign-up');
    await expect(stranger.page.getByRole('main').getByRole('alert')).toContainText('Sign-up on this instance is by invitation');
    await expect(stranger.page.getByRole('button', { name: 'Create account with a passkey' })).toHaveCount(0);
    const person = newPerson('uninvited');
    await expectRefusal(await stranger.page.request.post('/api/auth/sign-up/options', { data: person }), 403, 'invitation_required');
    await expectRefusal(await stranger.page.request.post('/api/auth/sign-up/options', { data: { ...person, invitation: 'A'.repeat(43) } }), 403, 'invitation_required');

    await admin.page.getByRole('button', { name: 'Create sign-up invitation' }).click();
    const link = await admin.page.getByLabel('Sign-up invitation link', { exact: true }).inputValue();
    expect(link).toMatch(new RegExp(`^${baseURL}/sign-up#invitation=[A-Za-z0-9_-]{43}$`));
    const invitation = new URL(link).hash.slice('#invitation='.length);

    // Options with the link, then a verify that leaves it out: refused at the last step too.
    const withLink = { ...newPerson('sneaky'), invitation };
    const prepared = await prepareSignUp(stranger.page, withLink);
    await expectRefusal(await stranger.page.request.post('/api/auth/sign-up/verify', { data: prepared.body }), 403, 'invitation_required');
    expect(await db.query('select id from users where id = $1', [prepared.userId])).toHaveLength(0);
    await stranger.context.close();

    // The invited person signs up through the page the link opens.
    const invited = await newActor(browser, baseURL!);
    const invitedPerson = newPerson('invited');
    await invited.page.goto(link);
    await expect(invited.page.getByRole('note')).toContainText('one-time invitation link');
    await invited.page.getByLabel('Your name').fill(invitedPerson.displayName);
    await invited.page.getByLabel('Work email').fill(invitedPerson.email);
    await invited.page.getByLabel('Organization').fill(invitedPerson.orgName);
    await invited.page.getByRole('button', { name: 'Create account with a passkey' }).click();
    await expect(invited.page).toHaveURL(/\/recovery-kit/);
    await invited.auth.confirmRecoveryKey(await invited.auth.shownRecoveryKey());
    const [user] = await db.query<{ id: string }>('select id from users where email = $1', [invitedPerson.email]);
    expect(await db.query("select reason from audit_log where action = 'account.sign_up' and actor_user_id = $1", [user!.id])).toEqual([{ reason: 'invitation' }]);
    expect(await db.query("select used_by from setup_tokens where purpose = 'sign-up-invite' and used_by = $1", [user!.id])).toHaveLength(1);
    await invited.context.close();

    // The same link once more: used up.
    const late = await newActor(browser, baseURL!);
    const latePerson = newPerson('late');
    await late.page.goto(link);
    await late.page.getByLabel('Your name').fill(latePerson.displayName);
    await late.page.getByLabel('Work email').fill(latePerson.email);
    await late.page.getByLabel('Organization').fill(latePerson.orgName);
    await late.page.getByRole('button', { name: 'Create account with a passkey' }).click();
    await late.auth.expectError(/invitation link is invalid, expired or already used/);
    expect(await db.query('select id from users where email = $1', [latePerson.email])).toHaveLength(0);
    await late.context.close();
  } finally {
    expect((await admin.page.request.put('/api/admin/settings/registration', { data: { registration: 'open' } })).status()).toBe(200);
  }
  const changes = await db.query<{ reason: string }>("select reason from audit_log where action = 'admin.registration_set' order by seq desc limit 2");
  expect(changes.map((c) => c.reason)).toEqual(['open', 'invitation']);
  await admin.context.close();
});
