import { expect, newPerson, test } from './fixtures';

test('[user] signs up, confirms the recovery key, signs out and in again, and the keys unlock', async ({ page, auth, authenticator }) => {
  await auth.signUp(newPerson());
  expect(await authenticator.credentials()).toHaveLength(1);
  await auth.signOut();
  await auth.signIn();
  await auth.expectUnlocked();
  await auth.expectKeyCheckPasses();
  await expect(page.getByTestId('passkey-row')).toHaveCount(1);
});
