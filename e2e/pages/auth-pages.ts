import { expect, type Locator, type Page } from '@playwright/test';

export interface Person {
  displayName: string;
  email: string;
  orgName: string;
}

/** The sign-up, recovery-kit, sign-in, unlock and recovery screens, by role and label. */
export class AuthPages {
  constructor(readonly page: Page) {}

  /** Fills in the sign-up form and starts the passkey ceremony, without waiting for the outcome. */
  async submitSignUp(person: Person): Promise<void> {
    await this.page.goto('/sign-up');
    await this.page.getByLabel('Your name').fill(person.displayName);
    await this.page.getByLabel('Work email').fill(person.email);
    await this.page.getByLabel('Organization').fill(person.orgName);
    await this.page.getByRole('button', { name: 'Create account with a passkey' }).click();
  }

  /** Signs up and stops on the recovery kit, returning the recovery key shown there. */
  async signUpUntilRecoveryKit(person: Person): Promise<string> {
    await this.submitSignUp(person);
    await expect(this.page).toHaveURL(/\/recovery-kit/);
    return this.shownRecoveryKey();
  }

  async shownRecoveryKey(): Promise<string> {
    const key = (await this.page.getByTestId('recovery-key').textContent())?.trim();
    expect(key).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4})+$/);
    return key!;
  }

  /** The warning shown (on the recovery kit and when unlocking) when the passkey has no PRF. */
  get noPrfNote(): Locator {
    return this.page.getByRole('note');
  }

  /** The page's error message (inside main: Next.js keeps a route announcer alert outside it). */
  async expectError(message: string | RegExp): Promise<void> {
    await expect(this.page.getByRole('main').getByRole('alert')).toHaveText(message);
  }

  async confirmRecoveryKey(recoveryKey: string): Promise<void> {
    await this.page.getByRole('button', { name: 'I have saved it' }).click();
    // The key is hidden now; the page asks for one of its groups, as found in the saved kit.
    await expect(this.page.getByTestId('recovery-key')).toHaveCount(0);
    const field = this.page.getByLabel(/^Type group \d+ of your recovery key$/);
    const index = Number(await field.getAttribute('data-group'));
    expect(index).toBeGreaterThan(1);
    await field.fill(recoveryKey.split('-')[index - 1]!);
    await this.page.getByRole('button', { name: 'Confirm and continue' }).click();
    await expect(this.page).toHaveURL(/\/home$/);
  }

  /** The full sign-up: passkey, recovery key shown and confirmed, landing on the unlocked home page. */
  async signUp(person: Person): Promise<string> {
    const recoveryKey = await this.signUpUntilRecoveryKit(person);
    await this.confirmRecoveryKey(recoveryKey);
    await this.expectUnlocked();
    return recoveryKey;
  }

  async signOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Sign out' }).click();
    await expect(this.page).toHaveURL(/\/sign-in$/);
  }

  async signIn(): Promise<void> {
    await this.submitSignIn();
    await expect(this.page).toHaveURL(/\/home/);
  }

  /** Starts a passkey sign-in without waiting for the outcome. */
  async submitSignIn(): Promise<void> {
    await this.page.goto('/sign-in');
    await this.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  }

  async expectUnlocked(): Promise<void> {
    await expect(this.page.getByText('Keys unlocked', { exact: true })).toBeVisible();
    try {
      await expect(this.page.getByTestId('org-fingerprint').first()).toHaveText(/^\d{5}( \d{5}){5}$/);
    } catch (error) {
      // Unlocked but no organization panel: say what the page shows instead (a keyring warning, an
      // error, a page still checking), which CI's output otherwise leaves to a trace nobody can open.
      const shown = await this.page.getByRole('main').innerText({ timeout: 1_000 }).catch(() => '(no main element)');
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nThe page's main content instead:\n${shown.slice(0, 1_500)}`);
    }
  }

  /** Signed in, but the keys are not open in this tab: the unlock panel is offered. */
  async expectLocked(): Promise<void> {
    await expect(this.page.getByText('Keys locked', { exact: true })).toBeVisible();
    await expect(this.page.getByRole('heading', { name: 'Unlock your keys' })).toBeVisible();
    await expect(this.page.getByTestId('org-fingerprint')).toHaveCount(0);
  }

  async unlockWithPasskey(): Promise<void> {
    await this.page.getByRole('button', { name: 'Unlock with passkey' }).click();
    await expect(this.page.getByText('Keys unlocked', { exact: true })).toBeVisible();
  }

  /** Submits a recovery key on the unlock panel, without waiting for the outcome. */
  async submitRecoveryKey(recoveryKey: string): Promise<void> {
    await this.page.getByLabel('Recovery key').fill(recoveryKey);
    await this.page.getByRole('button', { name: 'Unlock with recovery key' }).click();
  }

  async unlockWithRecoveryKey(recoveryKey: string): Promise<void> {
    await this.submitRecoveryKey(recoveryKey);
    await this.expectUnlocked();
  }

  /** Fills in /recover and starts recovery (which registers a new passkey), without waiting for the outcome. */
  async submitRecovery(email: string, recoveryKey: string): Promise<void> {
    await this.page.goto('/recover');
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Recovery key').fill(recoveryKey);
    await this.page.getByRole('button', { name: 'Recover and create a new passkey' }).click();
  }

  /** Recovers the account on /recover and lands on the unlocked home page. */
  async recover(email: string, recoveryKey: string): Promise<void> {
    await this.submitRecovery(email, recoveryKey);
    await expect(this.page).toHaveURL(/\/home$/);
    await this.expectUnlocked();
  }

  /**
   * Proves the unlocked private keys are real: the browser seals fresh random values to the
   * public keys the server publishes and opens them again with the keys it unlocked.
   */
  async expectKeyCheckPasses(): Promise<void> {
    await this.page.getByRole('link', { name: 'Settings' }).click();
    await this.page.getByRole('button', { name: 'Check my keys' }).click();
    const results = this.page.getByRole('list', { name: 'Key check results' }).getByRole('listitem');
    await expect(results).toHaveCount(2);
    await expect(results.filter({ hasText: 'your private keys open what is encrypted to the published keys' })).toHaveCount(2);
  }
}
