import { expect, type Locator, type Page } from '@playwright/test';

export type PasskeyColumn = 'Name' | 'Created' | 'Last used' | 'Backed up' | 'Unlocks keys';
const COLUMNS: PasskeyColumn[] = ['Name', 'Created', 'Last used', 'Backed up', 'Unlocks keys'];

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Settings: the passkey table (add, rename, remove), by role and label. */
export class SettingsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    // Through the menu, not page.goto: a full load would forget the keys held in memory.
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await expect(this.page.getByRole('heading', { name: 'Passkeys' })).toBeVisible();
    await expect(this.passkeyRows().first()).toBeVisible();
  }

  get passkeyTable(): Locator {
    return this.page.getByRole('region', { name: 'Passkeys' }).getByRole('table');
  }

  passkeyRows(): Locator {
    return this.passkeyTable.getByRole('row').filter({ has: this.page.getByRole('cell') });
  }

  /** The row of the passkey with this exact name (the current session's is marked "this session"). */
  passkey(name: string): Locator {
    const exactName = new RegExp(`^${escapeRegExp(name)}( this session)?$`);
    return this.passkeyRows().filter({ has: this.page.getByRole('cell').first().filter({ hasText: exactName }) });
  }

  async passkeyNames(): Promise<string[]> {
    const cells = await this.passkeyRows().all();
    const names = await Promise.all(cells.map((row) => this.cell(row, 'Name').textContent()));
    return names.map((name) => (name ?? '').replace(/\s*this session$/, '').trim());
  }

  async expectCurrentSession(name: string): Promise<void> {
    await expect(this.cell(this.passkey(name), 'Name')).toHaveText(`${name} this session`);
  }

  cell(row: Locator, column: PasskeyColumn): Locator {
    return row.getByRole('cell').nth(COLUMNS.indexOf(column));
  }

  /** The passkeys listed, oldest first. */
  async expectPasskeyNames(names: string[]): Promise<void> {
    await expect.poll(() => this.passkeyNames()).toEqual(names);
  }

  async expectUnlocksKeys(name: string, answer: 'Yes' | 'No — use the recovery key'): Promise<void> {
    await expect(this.cell(this.passkey(name), 'Unlocks keys')).toHaveText(answer);
  }

  /** Adds a passkey: the app asks an existing passkey first (step-up), then registers the new one. */
  async addPasskey(name: string): Promise<void> {
    const before = await this.passkeyRows().count();
    await this.page.getByRole('region', { name: 'Passkeys' }).getByRole('textbox', { name: 'New passkey name' }).fill(name);
    await this.page.getByRole('button', { name: 'Add a passkey' }).click();
    await expect(this.passkeyRows()).toHaveCount(before + 1);
    await expect(this.passkey(name)).toHaveCount(1);
  }

  async renamePasskey(from: string, to: string): Promise<void> {
    await this.passkey(from).getByRole('button', { name: `Rename ${from}` }).click();
    await this.passkeyTable.getByRole('textbox', { name: 'New passkey name' }).fill(to);
    await this.passkeyTable.getByRole('button', { name: 'Save' }).click();
    await expect(this.passkey(to)).toHaveCount(1);
  }

  removeButton(name: string): Locator {
    return this.page.getByRole('button', { name: `Remove ${name}` });
  }

  /** Removes a passkey, accepting the browser's confirmation; the app asks for a passkey first. */
  async removePasskey(name: string): Promise<void> {
    const before = await this.passkeyRows().count();
    this.page.once('dialog', (dialog) => void dialog.accept());
    await this.removeButton(name).click();
    await expect(this.passkeyRows()).toHaveCount(before - 1);
    await expect(this.passkey(name)).toHaveCount(0);
  }
}
