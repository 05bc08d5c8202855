import { randomBytes } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { expect, newClientContext, newPerson, test, uniqueClientIp, unrelatedRecoveryKey, VirtualAuthenticator } from './fixtures';

// The limits of lib/server/recovery.ts: per account from one address, and per address in all.
const PER_ACCOUNT_AND_ADDRESS = 10;
const PER_ADDRESS = 30;
const TOO_MANY = 'Too many attempts. Please wait a moment and try again.';

/** One recovery attempt as any client can make it: an email and a proof derived from some key. */
async function attempt(request: APIRequestContext, email: string): Promise<string> {
  const answer = await request.post('/api/recovery/start', { data: { email, recoveryAuth: randomBytes(32).toString('base64url') } });
  return ((await answer.json()) as { error?: { code: string } }).error?.code ?? `status ${answer.status()}`;
}

// The limits count in windows of an hour; a run that crosses the hour starts its counts again.
const hour = () => Math.floor(Date.now() / 3_600_000);

test('[stranger] guessing recovery keys for an account is stopped, and the [user] still recovers the account from their own address', async ({ browser, baseURL, page, auth, authenticator }) => {
  const person = newPerson();
  const recoveryKey = await auth.signUp(person);
  await auth.signOut();

  for (let tries = 0; ; tries++) {
    const startedIn = hour();
    const stranger = await newClientContext(browser, baseURL!, uniqueClientIp());
    const codes: string[] = [];
    for (let i = 0; i < PER_ACCOUNT_AND_ADDRESS + 1; i++) codes.push(await attempt(stranger.request, person.email));
    // Other accounts from the same address still get an answer, until the address has used its own allowance.
    const others: string[] = [];
    for (let i = codes.length; i < PER_ADDRESS + 1; i++) others.push(await attempt(stranger.request, newPerson().email));

    // The stranger's page says so in words, not with a wrong-key message that invites more guesses.
    const strangerPage = await stranger.newPage();
    await strangerPage.goto('/recover');
    await strangerPage.getByLabel('Email').fill(person.email);
    await strangerPage.getByLabel('Recovery key').fill(unrelatedRecoveryKey());
    await strangerPage.getByRole('button', { name: 'Recover and create a new passkey' }).click();
    await expect(strangerPage.getByRole('main').getByRole('alert')).toHaveText(TOO_MANY);
    await stranger.close();
    if (hour() !== startedIn && tries === 0) continue;

    expect(codes).toEqual([...Array<string>(PER_ACCOUNT_AND_ADDRESS).fill('recovery_failed'), 'rate_limited']);
    expect(others).toEqual([...Array<string>(PER_ADDRESS - PER_ACCOUNT_AND_ADDRESS - 1).fill('recovery_failed'), 'rate_limited']);
    break;
  }

  // The owner, from their own address, is not locked out by any of that.
  await authenticator.remove();
  await VirtualAuthenticator.attach(page);
  await auth.recover(person.email, recoveryKey);
  await auth.expectKeyCheckPasses();
});

test('[user] who mistypes the recovery key many times from one address is told to wait, and recovers from another', async ({ browser, baseURL, page, auth, authenticator }) => {
  const person = newPerson();
  const recoveryKey = await auth.signUp(person);
  await auth.signOut();

  const startedIn = hour();
  for (let i = 0; i < PER_ACCOUNT_AND_ADDRESS; i++) {
    await auth.submitRecovery(person.email, unrelatedRecoveryKey());
    await auth.expectError('The email or recovery key is not right.');
  }
  // Even the right key waits now: the limit cannot tell the owner from a guesser at this address.
  await auth.submitRecovery(person.email, recoveryKey);
  test.skip(hour() !== startedIn, 'the hourly window turned during the attempts');
  await auth.expectError(TOO_MANY);
  await expect(page).toHaveURL(/\/recover$/);

  // Another address (the phone's network, the office) has its own allowance.
  const elsewhere = await newClientContext(browser, baseURL!, uniqueClientIp());
  const phone = await elsewhere.newPage();
  await authenticator.remove();
  await VirtualAuthenticator.attach(phone);
  await phone.goto('/recover');
  await phone.getByLabel('Email').fill(person.email);
  await phone.getByLabel('Recovery key').fill(recoveryKey);
  await phone.getByRole('button', { name: 'Recover and create a new passkey' }).click();
  await expect(phone).toHaveURL(/\/home$/);
  await expect(phone.getByText('Keys unlocked', { exact: true })).toBeVisible();
  await elsewhere.close();
});
