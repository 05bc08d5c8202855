import type { Page } from '@playwright/test';
import { expect, newPerson, test, VirtualAuthenticator } from './fixtures';
import type { SettingsPage } from './pages/settings-page';
import { expectRefusal } from './portal-api';

/**
 * Adds a passkey on a new authenticator. The app first asks an existing passkey (step-up) and then
 * registers the new one with the existing credentials excluded; the authenticator that holds one
 * would refuse, so it goes away between the two prompts, as when a user switches to a security key.
 */
async function addPasskeyOnNewAuthenticator(page: Page, settings: SettingsPage, current: VirtualAuthenticator, name: string): Promise<VirtualAuthenticator> {
  const added = await VirtualAuthenticator.attach(page, { transport: 'usb' });
  await page.route('**/api/passkeys/options', async (route) => {
    await current.remove();
    await route.continue();
  }, { times: 1 });
  await settings.addPasskey(name);
  return added;
}

test('[user] adds a second passkey on another authenticator and signs in with it, keys unlocked', async ({ page, auth, authenticator, settings, api }) => {
  await auth.signUp(newPerson());
  await settings.open();
  const [firstName] = await settings.passkeyNames();

  // The authenticator that already holds this account's passkey is excluded from registering another.
  await page.getByRole('region', { name: 'Passkeys' }).getByRole('textbox', { name: 'New passkey name' }).fill('Same laptop again');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await auth.expectError('This authenticator already holds a passkey for this account.');
  await settings.expectPasskeyNames([firstName!]);

  const securityKey = await addPasskeyOnNewAuthenticator(page, settings, authenticator, 'Security key');
  await settings.expectPasskeyNames([firstName!, 'Security key']);
  await settings.expectUnlocksKeys('Security key', 'Yes');
  const [newId] = await securityKey.credentialIds();
  expect((await api.passkeys()).find((p) => p.name === 'Security key')).toMatchObject({ id: newId, canUnlock: true });

  await auth.signOut();
  await auth.signIn();
  await auth.expectUnlocked();
  await auth.expectKeyCheckPasses();
  await settings.expectCurrentSession('Security key');
});

test('[user] renames a passkey, removes a lost one (ending the sessions opened with it elsewhere), and cannot remove the last', async ({ page, auth, authenticator, settings, api, db }) => {
  await auth.signUp(newPerson());
  const [lostCredential] = await authenticator.credentials();
  await settings.open();
  const [firstName] = await settings.passkeyNames();
  await expect(settings.removeButton(firstName!)).toBeDisabled();

  const securityKey = await addPasskeyOnNewAuthenticator(page, settings, authenticator, 'Security key');
  await settings.renamePasskey(firstName!, 'Lost laptop');
  await settings.expectPasskeyNames(['Lost laptop', 'Security key']);
  expect((await api.passkeys()).map((p) => p.name).sort()).toEqual(['Lost laptop', 'Security key']);

  // The lost laptop is also signed in somewhere else: removing its passkey ends that session (#9).
  const elsewhere = await db.query<{ id: string }>('insert into sessions (id, token_hash, user_id, credential_id, expires_at) select gen_random_uuid(), sha256(gen_random_uuid()::text::bytea), user_id, id, now() + interval \'1 hour\' from credentials where name = $1 returning id', ['Lost laptop']);
  await expect(settings.removeButton('Lost laptop')).toBeEnabled();
  await settings.removePasskey('Lost laptop');
  expect(await db.query('select id from sessions where id = $1 and revoked_at is not null', [elsewhere[0]!.id])).toHaveLength(1);
  await settings.expectPasskeyNames(['Security key']);
  await expect(settings.removeButton('Security key')).toBeDisabled();

  // The server refuses too, even right after a fresh passkey assertion (the removal's step-up).
  const passkeys = await api.passkeys();
  expect(passkeys.map((p) => p.name)).toEqual(['Security key']);
  await expectRefusal(await api.deletePasskey(passkeys[0]!.id), 409, 'last_passkey');
  expect(await api.passkeys()).toHaveLength(1);

  // The removed passkey no longer signs in, even if the lost laptop turns up again.
  await auth.signOut();
  await securityKey.remove();
  const foundLaptop = await VirtualAuthenticator.attach(page);
  await foundLaptop.addCredential(lostCredential!);
  await auth.submitSignIn();
  await auth.expectError('This passkey is not registered here.');
  await expect(page).toHaveURL(/\/sign-in$/);
});
