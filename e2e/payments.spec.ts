import { expect, newActor, newPerson, test } from './fixtures';
import { InvoicePages, type InvoiceInput } from './pages/invoice-pages';
import { LifecyclePage } from './pages/lifecycle-page';
import { randomIban } from './test-documents';
import { formatIban } from '@/lib/shared/iban';

// DESIGN §5: payment details come from the signed header only, and the keyring remembers the IBAN
// last paid per supplier, so a different one is flagged before payment. The signed "I have paid"
// announcement is what records the IBAN as paid.

const invoice = (number: string, iban: string, extra: Partial<InvoiceInput> = {}): InvoiceInput => ({
  number, net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00', payeeName: 'Müller Bau GmbH', iban, bic: 'COBADEFFXXX', reference: 'RF18 5390 0754 7034', ...extra,
});

test('[customer] must acknowledge a changed IBAN before the payment details show; the IBAN paid before shows without a warning', async ({ page, auth, browser, baseURL }) => {
  test.setTimeout(240_000);
  const customer = await newActor(browser, baseURL!);
  await customer.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await customer.auth.signUp(newPerson('customer'));
  const inbox = new InvoicePages(customer.page);
  const handle = await inbox.orgHandle();
  await auth.signUp(newPerson('supplier'));
  const supplier = new InvoicePages(page);

  const paidIban = randomIban();
  const newIban = randomIban();
  const sends = [
    invoice('PAY-1', paidIban, { paymentUrl: 'https://pay.example.test/i/PAY-1' }),
    invoice('PAY-2', newIban),
    invoice('PAY-3', paidIban),
    invoice('PAY-4', paidIban, { currency: 'USD' }),
  ];
  for (const input of sends) {
    await supplier.chooseRecipient(handle);
    await supplier.fillInvoice(input);
    await supplier.send();
  }

  const cx = customer.page;
  const panel = cx.getByTestId('payment-panel');
  const details = cx.getByTestId('payment-details');
  const warning = cx.getByTestId('iban-change-warning');

  // First payment to this supplier: no warning, but an explicit step before everything to pay with.
  await inbox.openFromInbox('PAY-1');
  await expect(cx.getByTestId('first-payment')).toContainText('First payment to');
  await expect(warning).toHaveCount(0);
  await inbox.confirmFirstPayment();
  await expect(cx.getByTestId('payee-note')).toContainText('First payment to');
  await expect(details).toContainText(formatIban(paidIban));
  await expect(details).toContainText('€119.00');
  await expect(details).toContainText('RF18 5390 0754 7034');
  await expect(cx.getByTestId('invoice-details')).not.toContainText(formatIban(paidIban));
  await expect(panel.getByRole('img', { name: /^EPC QR code: transfer of €119\.00 to Müller Bau GmbH$/ })).toBeVisible();
  await panel.getByText('What the QR code contains').click();
  await expect(cx.getByTestId('epc-payload')).toHaveText(`BCD\n002\n1\nSCT\nCOBADEFFXXX\nMüller Bau GmbH\n${paidIban}\nEUR119\n\nRF18539007547034\n\nInvoice PAY-1`);
  const link = cx.getByTestId('payment-link');
  await expect(link).toHaveText('https://pay.example.test/i/PAY-1');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(link).toHaveAttribute('referrerpolicy', 'no-referrer');

  // Copy buttons copy the machine form, by keyboard too.
  await details.getByRole('button', { name: 'Copy IBAN' }).focus();
  await cx.keyboard.press('Enter');
  await expect(details.getByRole('status').filter({ hasText: 'IBAN copied' })).toBeVisible();
  expect(await cx.evaluate(() => navigator.clipboard.readText())).toBe(paidIban);
  await details.getByRole('button', { name: 'Copy Amount' }).click();
  await expect(details.getByRole('status').filter({ hasText: 'Amount copied' })).toBeVisible();
  expect(await cx.evaluate(() => navigator.clipboard.readText())).toBe('119.00');

  const life = new LifecyclePage(cx);
  await life.announcePayment('119.00');
  await expect(life.status()).toContainText('Payment announced');

  // Another IBAN from the same supplier: nothing to pay with until the change is acknowledged.
  await inbox.openFromInbox('PAY-2');
  await expect(warning).toContainText('The bank account for');
  await expect(cx.getByTestId('previous-iban')).toContainText(formatIban(paidIban));
  await expect(cx.getByTestId('new-iban')).toContainText(formatIban(newIban));
  await expect(warning).toContainText('a phone number you already know');
  await expect(details).toHaveCount(0);
  await expect(cx.getByTestId('epc-qr')).toHaveCount(0);
  await warning.getByRole('button', { name: /I have confirmed this IBAN/ }).click();
  await expect(warning).toHaveCount(0);
  await expect(details).toContainText(formatIban(newIban));
  await expect(cx.getByTestId('epc-qr')).toBeVisible();

  // The IBAN paid before: no warning.
  await inbox.openFromInbox('PAY-3');
  await expect(cx.getByTestId('payee-note')).toContainText('Same IBAN as your earlier payment');
  await expect(warning).toHaveCount(0);
  await expect(details).toContainText(formatIban(paidIban));

  // Not in euro: the details, and why there is no QR code.
  await inbox.openFromInbox('PAY-4');
  await expect(details).toContainText(formatIban(paidIban));
  await expect(cx.getByTestId('epc-refused')).toHaveText('No QR code: EPC QR codes carry euro transfers only; this invoice is in USD.');
  await expect(cx.getByTestId('epc-qr')).toHaveCount(0);
  await customer.context.close();
});
