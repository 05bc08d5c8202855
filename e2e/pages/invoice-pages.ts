import { expect, type Download, type Page } from '@playwright/test';

export interface InvoiceInput {
  number: string;
  issueDate?: string;
  dueDate?: string;
  currency?: string;
  net: string;
  tax: string;
  gross: string;
  payable: string;
  sellerName?: string;
  sellerVatId?: string;
  buyerName?: string;
  buyerVatId?: string;
  payeeName?: string;
  iban: string;
  bic?: string;
  reference?: string;
  paymentUrl?: string;
  notes?: string;
}

export interface UploadFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** New-invoice form, lists and the invoice page, by role and label. */
export class InvoicePages {
  constructor(readonly page: Page) {}

  /** Navigates inside the app: a full page load would forget the unlocked keys. */
  async nav(name: 'Home' | 'Inbox' | 'Sent' | 'New invoice' | 'Settings'): Promise<void> {
    const nav = this.page.getByRole('navigation', { name: 'Main' });
    // On a phone the links are behind the menu button.
    const menu = nav.getByRole('button', { name: 'Menu' });
    if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
    const link = nav.getByRole('link', { name, exact: true });
    const href = (await link.getAttribute('href'))!;
    await link.click();
    // Arrived before the next step: a navigation still under way would fold the menu again.
    await expect(this.page).toHaveURL((url) => url.pathname === href);
  }

  async orgHandle(): Promise<string> {
    await this.nav('Home');
    return (await this.page.getByTestId('org-handle').textContent())!.trim();
  }

  /** Looks the customer up on a fresh new-invoice form, without judging the outcome. */
  async lookUpRecipient(handle: string): Promise<void> {
    await this.nav('New invoice');
    await this.page.getByLabel('Customer’s organization handle').fill(handle);
    await this.page.getByRole('button', { name: 'Find' }).click();
  }

  async chooseRecipient(handle: string): Promise<void> {
    await this.lookUpRecipient(handle);
    await expect(this.page.getByTestId('recipient')).toBeVisible();
  }

  async fillInvoice(input: InvoiceInput): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Invoice details' });
    const set = async (label: string, value: string | undefined) => {
      if (value !== undefined) await form.getByLabel(label, { exact: true }).fill(value);
    };
    await set('Invoice number', input.number);
    await set('Issue date', input.issueDate);
    await set('Due date', input.dueDate);
    await set('Currency', input.currency);
    await set('Net', input.net);
    await set('Tax', input.tax);
    await set('Gross', input.gross);
    await set('Payable', input.payable);
    await set('Seller name', input.sellerName);
    await set('Seller VAT id', input.sellerVatId);
    await set('Buyer name', input.buyerName);
    await set('Buyer VAT id', input.buyerVatId);
    await set('Payee name', input.payeeName);
    await set('IBAN', input.iban);
    await set('BIC', input.bic);
    await set('Remittance reference', input.reference);
    await set('Payment link (optional)', input.paymentUrl);
    if (input.notes !== undefined) await form.getByLabel('Notes').fill(input.notes);
  }

  async attach(files: UploadFile[]): Promise<void> {
    await this.page.getByLabel('Add documents').setInputFiles(files);
  }

  /** Sends and waits for the sender's own view of the delivered invoice; returns its id. */
  async send(): Promise<string> {
    await this.page.getByRole('button', { name: 'Encrypt and send' }).click();
    await expect(this.page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/, { timeout: 120_000 });
    await expect(this.page.getByTestId('verification-badge')).toBeVisible();
    return this.page.url().split('/').at(-1)!;
  }

  async openFromInbox(number: string): Promise<void> {
    await this.nav('Inbox');
    await this.page.getByRole('link', { name: number }).click();
    await expect(this.page.getByRole('heading', { name: `Invoice ${number}` })).toBeVisible();
  }

  async openFromSent(number: string, kind: 'Invoice' | 'Credit note' = 'Invoice'): Promise<void> {
    await this.nav('Sent');
    await this.page.getByRole('link', { name: number, exact: true }).click();
    await expect(this.page.getByRole('heading', { name: `${kind} ${number}` })).toBeVisible();
  }

  /**
   * Opens an invoice from the inbox by its id: an invoice that fails verification is listed as
   * "(unreadable)", so its number cannot name the link.
   */
  async openFromInboxById(id: string): Promise<void> {
    await this.nav('Inbox');
    await this.page.getByRole('link').and(this.page.locator(`[href="/invoices/${id}"]`)).click();
    await expect(this.page).toHaveURL(new RegExp(`/invoices/${id}$`));
    // Verified or not, the opened invoice has a heading; while it is being verified it has none.
    await expect(this.page.getByRole('heading', { level: 1, name: /^(Invoice|Credit note)\b/ })).toBeVisible();
  }

  /** A first payment to an organization is an explicit step (DESIGN §3.4): take it to see the payment details. */
  async confirmFirstPayment(): Promise<void> {
    const step = this.page.getByTestId('first-payment');
    await expect(step).toBeVisible();
    await expect(this.page.getByTestId('payment-details')).toHaveCount(0);
    await step.getByRole('button', { name: /^This is my first payment to / }).click();
  }

  async download(name: string): Promise<Download> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByRole('button', { name: `Download ${name}` }).click()]);
    return download;
  }
}
