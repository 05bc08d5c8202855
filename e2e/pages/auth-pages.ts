import { expect, type Page } from '@playwright/test';

export interface Person {
  displayName: string;
  email: string;
  orgName: string;
}

/** The sign-up, recovery-kit, sign-in, unlock and recovery screens, by role and label. */
export class AuthPages {
  constructor(readonly page: Page) {}

  /** Signs up and stops on the recovery kit, returning the recovery key shown there. */
  async signUpUntilRecoveryKit(person: Person): Promise<string> {
    await this.page.goto('/sign-up');
    await this.page.getByLabel('Your name').fill(person.displayName);
    await this.page.getByLabel('Work email').fill(person.email);
    await this.page.getByLabel('Organization').fill(person.orgName);
    await this.page.getByRole('button', { name: 'Create account with a passkey' }).click();
    await expect(this.page).toHaveURL(/\/recovery-kit/);
    const key = (await this.page.getByTestId('recovery-key').textContent())?.trim();
    expect(key).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4})+$/);
    return key!;
  }

  async confirmRecoveryKey(recoveryKey: string): Promise<void> {
    await this.page.getByRole('button', { name: 'I have saved it' }).click();
    await this.page.getByLabel('Type the last group of your recovery key').fill(recoveryKey.split('-').at(-1)!);
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
    await this.page.goto('/sign-in');
    await this.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(this.page).toHaveURL(/\/home/);
  }

  async expectUnlocked(): Promise<void> {
    await expect(this.page.getByText('Keys unlocked', { exact: true })).toBeVisible();
    await expect(this.page.getByTestId('org-fingerprint').first()).toHaveText(/^\d{5}( \d{5}){5}$/);
  }

  async unlockWithRecoveryKey(recoveryKey: string): Promise<void> {
    await this.page.getByLabel('Recovery key').fill(recoveryKey);
    await this.page.getByRole('button', { name: 'Unlock with recovery key' }).click();
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
