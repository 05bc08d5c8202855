import { expect, newActor, newPerson, test } from './fixtures';
import { InvoicePages } from './pages/invoice-pages';
import { LifecyclePage } from './pages/lifecycle-page';
import { randomIban } from './test-documents';

// Issue #14 and DESIGN §8: an announcement above what is still payable needs a confirmation that
// names the difference; the customer corrects or withdraws an announcement until the supplier
// confirms; the supplier's form starts from the amount payable and says when it confirms another.
// The page's status follows the verified history everywhere, also after the other side acted.

test('[customer] confirms an over-payment, corrects and withdraws announcements; the [supplier] confirms a different amount and the customer’s open page follows', async ({ page, auth, browser, baseURL }) => {
  test.setTimeout(180_000);
  const customer = await newActor(browser, baseURL!);
  await customer.auth.signUp(newPerson('customer'));
  const inbox = new InvoicePages(customer.page);
  const handle = await inbox.orgHandle();
  await auth.signUp(newPerson('supplier'));
  const supplier = new InvoicePages(page);
  await supplier.chooseRecipient(handle);
  await supplier.fillInvoice({ number: 'PAY-OVER-1', net: '1250.00', tax: '237.50', gross: '1487.50', payable: '1487.50', iban: randomIban(), reference: 'PAY-OVER-1' });
  await supplier.send();

  const cx = customer.page;
  const life = new LifecyclePage(cx);
  const card = cx.getByTestId('invoice-summary-card');
  await inbox.openFromInbox('PAY-OVER-1');
  // The first open is recorded, and the summary and the history say so alike.
  await expect(life.status()).toHaveText('Viewed');
  await expect(card.getByTestId('summary-status')).toHaveText('Viewed');
  await expect(card.getByTestId('summary-amount-due')).toHaveText('€1,487.50');

  // Ten times the amount, as a slip of the finger: nothing is sent until confirmed.
  await card.getByRole('button', { name: 'I have paid' }).click();
  const announce = cx.getByRole('form', { name: 'I have paid', exact: true });
  await expect(announce.getByLabel(/^Amount paid/)).toBeFocused();
  await expect(announce.getByLabel(/^Amount paid/)).toHaveValue('1487.50');
  await announce.getByLabel(/^Amount paid/).fill('14875.00');
  await announce.getByRole('button', { name: 'Announce payment' }).click();
  await expect(announce.getByTestId('overpayment-warning')).toHaveText('You are announcing €14,875.00, which is €13,387.50 more than the €1,487.50 still payable. Check the amount; if you really paid more, confirm it.');
  await life.expectHistory(['issued', 'viewed']);
  await announce.getByLabel(/^Amount paid/).fill('1000.00');
  await expect(announce.getByTestId('overpayment-warning')).toHaveCount(0);
  await announce.getByRole('button', { name: 'Announce payment' }).click();
  const notice = cx.getByTestId('action-notice');
  await expect(notice).toHaveText(/^Payment of €1,000\.00 announced\./);
  await expect(notice).toBeFocused();
  await expect(life.status()).toHaveText('Partially paid');
  await expect(card.getByTestId('summary-amount-due')).toHaveText('€487.50');

  // A correction replaces the announcement; the first one stays in the history as corrected.
  await life.action('Correct the payment announcement');
  const correct = cx.getByRole('form', { name: 'Correct the payment announcement', exact: true });
  await expect(correct.getByLabel(/^Correct amount paid/)).toHaveValue('1000.00');
  await correct.getByLabel(/^Correct amount paid/).fill('1487.50');
  await correct.getByRole('button', { name: 'Save correction' }).click();
  await expect(notice).toHaveText('Payment announcement corrected to €1,487.50.');
  await expect(life.status()).toHaveText('Payment announced');
  await expect(card.getByTestId('summary-amount-due')).toHaveText('€0.00');
  await life.expectHistory(['issued', 'viewed', 'partially_paid', 'payment_announced']);
  await expect(life.events().nth(2)).toHaveAttribute('data-fate', 'replaced');
  await expect(life.events().nth(3)).toContainText('Payment announcement corrected');

  // Withdrawn: nothing announced any more, the invoice is open again.
  await card.getByRole('button', { name: 'Correct or withdraw the payment' }).click();
  await life.action('Withdraw the payment announcement');
  await cx.getByRole('form', { name: 'Withdraw the payment announcement', exact: true }).getByRole('button', { name: 'Withdraw announcement' }).click();
  await expect(notice).toHaveText('Payment announcement withdrawn. The invoice is open for payment again.');
  await expect(life.status()).toHaveText('Viewed');
  await expect(card.getByTestId('summary-amount-due')).toHaveText('€1,487.50');
  await expect(life.events().nth(3)).toHaveAttribute('data-fate', 'withdrawn');

  // An over-payment made on purpose: the second click names the difference and sends it.
  await life.announcePayment('14875.00');
  await expect(announce.getByTestId('overpayment-warning')).toBeVisible();
  await announce.getByRole('button', { name: 'Announce €14,875.00 anyway (€13,387.50 more than payable)' }).click();
  await expect(life.status()).toHaveText('Payment announced');
  await life.expectAllValid();

  // The supplier's form starts from what is payable, and names a different amount.
  await supplier.openFromSent('PAY-OVER-1');
  const sup = new LifecyclePage(page);
  await expect(page.getByTestId('invoice-summary-card').getByTestId('summary-status')).toHaveText('Payment announced');
  await page.getByTestId('primary-action').filter({ hasText: 'Confirm payment received' }).click();
  const confirm = page.getByRole('form', { name: 'Confirm payment received', exact: true });
  await expect(confirm.getByLabel(/^Amount received/)).toHaveValue('1487.50');
  await expect(confirm.getByTestId('announced-amount')).toHaveText('The customer announced €14,875.00.');
  await confirm.getByLabel(/^Amount received/).fill('1400.00');
  await expect(confirm.getByTestId('paid-difference-notice')).toHaveText('You are confirming €1,400.00, €87.50 less than the €1,487.50 payable.');
  await confirm.getByRole('button', { name: 'Confirm payment' }).click();
  await expect(page.getByTestId('action-notice')).toHaveText('Payment of €1,400.00 confirmed as received. The invoice is paid. That is €87.50 less than the €1,487.50 payable.');
  await expect(page.getByTestId('action-notice')).toBeFocused();
  await expect(sup.status()).toHaveText('Paid');
  await expect(sup.events().last()).toContainText('(€87.50 less than the €1,487.50 payable)');

  // The customer's page, still open, follows when the window is focused again: no reload.
  await cx.evaluate(() => window.dispatchEvent(new Event('focus')));
  await expect(life.status()).toHaveText('Paid');
  await expect(card.getByTestId('summary-status')).toHaveText('Paid');
  await expect(card.getByTestId('summary-amount-due')).toHaveText('Nothing to pay');
  await expect(cx.locator('details.action')).toHaveCount(0);
  await customer.context.close();
});
