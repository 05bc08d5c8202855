import { readFileSync } from 'node:fs';
import { expect, newPerson, test } from './fixtures';

// Issue #14: the recovery kit names the portal and the account, and the confirmation asks for a
// group the user looks up in the saved kit while the key is hidden — not the last group, read off
// the screen a moment ago.

test('[new user] downloads a kit naming this portal and the account, then proves it readable by a group looked up in it', async ({ page, auth, baseURL }) => {
  const person = newPerson('kit');
  const key = await auth.signUpUntilRecoveryKit(person);
  const groups = key.split('-');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download recovery kit' }).click()]);
  expect(download.suggestedFilename()).toBe('zkinvoice-recovery-kit.txt');
  const kit = readFileSync(await download.path(), 'utf8');
  expect(kit).toContain(`Portal: ${baseURL}`);
  expect(kit).toContain(`Account: ${person.email}`);
  expect(kit).toContain(`Recovery key: ${key}`);
  groups.forEach((group, i) => expect(kit).toMatch(new RegExp(`^ *${i + 1}  ${group}$`, 'm')));

  await page.getByRole('button', { name: 'I have saved it' }).click();
  await expect(page.getByTestId('recovery-key')).toHaveCount(0);
  await expect(page.getByText(key)).toHaveCount(0);
  const field = page.getByLabel(/^Type group \d+ of your recovery key$/);
  await expect(field).toBeFocused();
  const index = Number(await field.getAttribute('data-group'));
  expect(index).toBeGreaterThan(1);
  expect(index).toBeLessThanOrEqual(groups.length);

  // Another group (the last one, say) is refused with the group asked for.
  const wrong = groups[index === groups.length ? 0 : groups.length - 1]!;
  await field.fill(wrong);
  await page.getByRole('button', { name: 'Confirm and continue' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(`That is not group ${index} of your recovery key. Look it up in your recovery kit again.`);
  await expect(page).toHaveURL(/\/recovery-kit/);

  await field.fill(groups[index - 1]!.toLowerCase());
  await page.getByRole('button', { name: 'Confirm and continue' }).click();
  await expect(page).toHaveURL(/\/home$/);
  await auth.expectUnlocked();
});
