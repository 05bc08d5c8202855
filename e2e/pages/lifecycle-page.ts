import { expect, type Locator, type Page } from '@playwright/test';

/** The history and actions panels of an open invoice page, by role and label. */
export class LifecyclePage {
  constructor(readonly page: Page) {}

  status(): Locator {
    return this.page.getByTestId('lifecycle-status');
  }

  events(): Locator {
    return this.page.getByTestId('history').getByTestId('history-event');
  }

  /** The types of the history, "issued" first, once it has `count` entries. */
  async expectHistory(types: string[]): Promise<void> {
    await expect(this.events()).toHaveCount(types.length);
    expect(await this.events().evaluateAll((items) => items.map((i) => i.getAttribute('data-type')))).toEqual(types);
  }

  /** Every event of the history passed its signature and certificate checks. */
  async expectAllValid(): Promise<void> {
    await expect(this.events().and(this.page.locator('[data-valid="false"]'))).toHaveCount(0);
    for (const check of await this.page.getByTestId('history').getByTestId('event-check').all()) await expect(check).toContainText('✓ Signature valid');
  }

  /** Opens an action's disclosure (keyboard: focus the summary, press Enter) and returns its form. */
  async action(title: string): Promise<Locator> {
    const summary = this.page.locator('details > summary').filter({ hasText: new RegExp(`^${title}$`) });
    if (!(await summary.evaluate((el) => (el.parentElement as HTMLDetailsElement).open))) {
      await summary.focus();
      await this.page.keyboard.press('Enter');
    }
    const form = this.page.getByRole('form', { name: title, exact: true });
    await expect(form).toBeVisible();
    return form;
  }

  async announcePayment(amount: string, reference?: string): Promise<void> {
    const form = await this.action('I have paid');
    await form.getByLabel(/^Amount paid/).fill(amount);
    if (reference !== undefined) await form.getByLabel('Payment reference').fill(reference);
    await form.getByRole('button', { name: 'Announce payment' }).click();
  }

  async confirmPaid(amount: string): Promise<void> {
    const form = await this.action('Confirm payment received');
    await form.getByLabel(/^Amount received/).fill(amount);
    await form.getByRole('button', { name: 'Confirm payment' }).click();
  }

  async dispute(reason: string): Promise<void> {
    const form = await this.action('Dispute');
    await form.getByLabel('Reason for the dispute').fill(reason);
    await form.getByRole('button', { name: 'Send dispute' }).click();
  }

  async comment(comment: string): Promise<void> {
    const form = await this.action('Comment on the dispute');
    await form.getByLabel('Comment').fill(comment);
    await form.getByRole('button', { name: 'Send comment' }).click();
  }

  async withdrawDispute(): Promise<void> {
    const form = await this.action('Withdraw the dispute');
    await form.getByRole('button', { name: 'Withdraw dispute' }).click();
  }

  async cancel(reason: string): Promise<void> {
    const form = await this.action('Cancel this invoice');
    await form.getByLabel('Reason (optional)').fill(reason);
    await form.getByRole('button', { name: 'Cancel invoice' }).click();
  }
}
