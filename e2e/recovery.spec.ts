import { expect, mistypedRecoveryKey, newPerson, test, unrelatedRecoveryKey, VirtualAuthenticator } from './fixtures';

const RECOVERY_REFUSED = 'The email or recovery key is not right.';

test('[user] who lost every passkey recovers with the recovery key, gets a new passkey and signs in with it', async ({ page, auth, authenticator, settings, api }) => {
  const person = newPerson();
  const recoveryKey = await auth.signUp(person);
  await auth.signOut();
  await authenticator.remove();
  const newDevice = await VirtualAuthenticator.attach(page);

  await auth.recover(person.email, recoveryKey);
  await auth.expectKeyCheckPasses();
  const [newId] = await newDevice.credentialIds();
  const passkeys = await api.passkeys();
  expect(passkeys).toHaveLength(2);
  expect(passkeys.find((p) => p.current)).toMatchObject({ id: newId, canUnlock: true });

  await auth.signOut();
  await auth.signIn();
  await auth.expectUnlocked();
  await auth.expectKeyCheckPasses();
  expect((await api.passkeys()).find((p) => p.current)?.id).toBe(newId);
  await settings.open();
  await settings.expectPasskeyNames(passkeys.map((p) => p.name));
  await expect(settings.passkeyRows().filter({ hasText: 'this session' })).toHaveCount(1);
});

test('[user] with a wrong recovery key is refused on the recovery page, and nothing changes', async ({ page, auth, authenticator, api }) => {
  const person = newPerson();
  const recoveryKey = await auth.signUp(person);
  await auth.signOut();

  await auth.submitRecovery(person.email, unrelatedRecoveryKey());
  await auth.expectError(RECOVERY_REFUSED);
  // An unknown email answers exactly like a wrong key, so the page does not reveal who has an account.
  await auth.submitRecovery(newPerson().email, recoveryKey);
  await auth.expectError(RECOVERY_REFUSED);
  await auth.submitRecovery(person.email, mistypedRecoveryKey(recoveryKey));
  await auth.expectError('That recovery key is not valid. Check each group and try again.');
  await expect(page).toHaveURL(/\/recover$/);
  expect(await api.sessionEmail()).toBeNull();
  expect(await authenticator.credentials()).toHaveLength(1);

  await auth.signIn();
  await auth.expectUnlocked();
  expect(await api.passkeys()).toHaveLength(1);
});

test('[user] who reloads before confirming the recovery key unlocks with the passkey and gets a new key; only the new one recovers the account', async ({ page, auth, authenticator }) => {
  const person = newPerson();
  const oldKey = await auth.signUpUntilRecoveryKit(person);

  await page.reload();
  await auth.expectLocked();
  await expect(page.getByTestId('recovery-key')).toHaveCount(0);
  await expect(page.getByText(oldKey)).toHaveCount(0);
  await auth.unlockWithPasskey();
  await page.getByRole('button', { name: 'Create a new recovery key' }).click();
  const newKey = await auth.shownRecoveryKey();
  expect(newKey).not.toBe(oldKey);
  await auth.confirmRecoveryKey(newKey);
  await auth.expectUnlocked();
  await auth.signOut();

  await auth.submitRecovery(person.email, oldKey);
  await auth.expectError(RECOVERY_REFUSED);

  await authenticator.remove();
  await VirtualAuthenticator.attach(page);
  await auth.recover(person.email, newKey);
  await auth.expectKeyCheckPasses();
});
