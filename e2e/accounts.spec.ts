import { clearUserVerificationAtSignUp, resignNextSignIn } from './forged-responses';
import { expect, mistypedRecoveryKey, newPerson, test, unrelatedRecoveryKey, VirtualAuthenticator } from './fixtures';

test('[user] signs up, confirms the recovery key, signs out and in again, and the keys unlock', async ({ page, auth, authenticator }) => {
  await auth.signUp(newPerson());
  expect(await authenticator.credentials()).toHaveLength(1);
  await auth.signOut();
  await auth.signIn();
  await auth.expectUnlocked();
  await auth.expectKeyCheckPasses();
  await expect(page.getByTestId('passkey-row')).toHaveCount(1);
});

test.describe('with an authenticator that gives PRF results only at get()', () => {
  test.use({ authenticatorOptions: { prf: 'get-only' } });

  test('[user] signs up, the app asks the passkey once more, and after signing in again the passkey unlocks the keys', async ({ auth, authenticator, settings, api }) => {
    const recoveryKey = await auth.signUpUntilRecoveryKit(newPerson());
    await expect(auth.noPrfNote).toHaveCount(0);
    // create() gave no PRF output, so only the second ceremony can have stored the passkey's wrap.
    expect((await api.passkeys()).map((p) => p.canUnlock)).toEqual([true]);
    // One registration and one assertion so far.
    expect((await authenticator.credentials())[0]?.signCount).toBe(2);
    await auth.confirmRecoveryKey(recoveryKey);
    await auth.signOut();
    await auth.signIn();
    await auth.expectUnlocked();
    await auth.expectKeyCheckPasses();
    await settings.open();
    const [name] = await settings.passkeyNames();
    await settings.expectUnlocksKeys(name!, 'Yes');
  });
});

test.describe('with an authenticator without PRF', () => {
  test.use({ authenticatorOptions: { prf: 'none' } });

  test('[user] is warned at sign-up, and after signing in again unlocks the keys with the recovery key', async ({ page, auth, settings, api }) => {
    const recoveryKey = await auth.signUpUntilRecoveryKit(newPerson());
    await expect(auth.noPrfNote).toContainText('your authenticator cannot unlock your encryption keys (no PRF support)');
    expect((await api.passkeys()).map((p) => p.canUnlock)).toEqual([false]);
    await auth.confirmRecoveryKey(recoveryKey);
    await auth.signOut();
    await auth.signIn();
    await expect(page).toHaveURL(/\/home\?locked=no-prf$/);
    await auth.expectLocked();
    await expect(auth.noPrfNote).toContainText('This passkey signs you in but cannot unlock your encryption keys');
    await expect(page.getByRole('button', { name: 'Unlock with passkey' })).toHaveCount(0);
    await auth.unlockWithRecoveryKey(recoveryKey);
    await auth.expectKeyCheckPasses();
    await settings.open();
    const [name] = await settings.passkeyNames();
    await settings.expectUnlocksKeys(name!, 'No — use the recovery key');
  });

  test('[user] who enters another recovery key or mistypes theirs is told so, and the keys stay locked', async ({ auth }) => {
    const recoveryKey = await auth.signUp(newPerson());
    await auth.signOut();
    await auth.signIn();
    await auth.expectLocked();

    await auth.submitRecoveryKey(unrelatedRecoveryKey());
    await auth.expectError('Your keys could not be opened with this secret. It may belong to another account.');
    await auth.expectLocked();

    await auth.submitRecoveryKey(mistypedRecoveryKey(recoveryKey));
    await auth.expectError('That recovery key is not valid. Check each group and try again.');
    await auth.expectLocked();

    await auth.unlockWithRecoveryKey(recoveryKey);
  });
});

test.describe('on an authenticator that cannot verify the user', () => {
  test.use({ authenticatorOptions: { isUserVerified: false } });

  test('[user] cannot sign up, and the refused attempts leave no account behind', async ({ page, auth, authenticator, api }) => {
    const person = newPerson();
    await auth.submitSignUp(person);
    // Chromium ends the ceremony itself when the authenticator cannot verify the user.
    await auth.expectError('The passkey prompt was closed or timed out. Please try again.');
    expect(await authenticator.credentials()).toHaveLength(0);
    expect(await api.sessionEmail()).toBeNull();

    // After a failed verification the virtual authenticator stays blocked; carry on with a new one.
    await authenticator.remove();
    await VirtualAuthenticator.attach(page);
    // A client that sends a registration without the UV flag anyway is refused by the server.
    await clearUserVerificationAtSignUp(page);
    await auth.submitSignUp(person);
    await auth.expectError('The passkey could not be verified.');
    await expect(page).toHaveURL(/\/sign-up$/);
    expect(await api.sessionEmail()).toBeNull();

    // Neither attempt created the account: the same email signs up without a conflict.
    await auth.signUp(person);
    expect(await api.sessionEmail()).toBe(person.email);
  });
});

test('[user] cannot sign in with a passkey when the user is not verified', async ({ page, auth, authenticator, api }) => {
  const person = newPerson();
  await auth.signUp(person);
  const [credential] = await authenticator.credentials();
  await auth.signOut();

  // A validly signed assertion whose UV flag is clear is refused by the server.
  await resignNextSignIn(page, credential!, { userVerified: false });
  await auth.submitSignIn();
  await auth.expectError('The passkey could not be verified.');
  await expect(page).toHaveURL(/\/sign-in$/);
  expect(await api.sessionEmail()).toBeNull();

  // The control: the same re-signing with the UV flag kept is accepted.
  await resignNextSignIn(page, credential!, { userVerified: true });
  await auth.signIn();
  await auth.expectUnlocked();
  expect(await api.sessionEmail()).toBe(person.email);
  await auth.signOut();

  // With verification failing on the authenticator, Chromium refuses to complete the sign-in.
  await authenticator.setUserVerified(false);
  await auth.submitSignIn();
  await auth.expectError('The passkey prompt was closed or timed out. Please try again.');
  await expect(page).toHaveURL(/\/sign-in$/);
  expect(await api.sessionEmail()).toBeNull();
});

// The counterpart of "no account is left behind" above: a taken email is refused before any passkey prompt.
test('[user] cannot sign up again with an email that already has an account', async ({ page, auth, authenticator }) => {
  const person = newPerson();
  await auth.signUp(person);
  await auth.signOut();
  await auth.submitSignUp(person);
  await auth.expectError('An account with this email already exists. Sign in instead, or use recovery if you lost your passkey.');
  await expect(page).toHaveURL(/\/sign-up$/);
  expect(await authenticator.credentials()).toHaveLength(1);
});
