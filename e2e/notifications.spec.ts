import { confirmAddress, mailTo, receivedMail, waitForMail } from './mail';
import { expect, newActor, newPerson, test } from './fixtures';
import { InvoicePages, type InvoiceInput } from './pages/invoice-pages';
import { LifecyclePage } from './pages/lifecycle-page';

// DESIGN §12, end to end against a real SMTP server (scripts/e2e-smtp.mjs): sign-up sends a
// confirmation link and nothing else until it is opened; notices go to the other side of an
// invoice, follow each user's choices, and carry organization names and a link, never content.

const invoice = (number: string): InvoiceInput => ({ number, net: '731.00', tax: '138.89', gross: '869.89', payable: '869.89', iban: 'DE89 3704 0044 0532 0130 00', reference: `ref ${number}` });

test('[supplier] and [customer] learn by e-mail what the other side did, as each chose', async ({ page, auth, browser, baseURL, db, dbTarget }) => {
  test.setTimeout(240_000);
  const customerPerson = newPerson('customer');
  const supplierPerson = newPerson('supplier');
  const customerActor = await newActor(browser, baseURL!);
  await customerActor.auth.signUp(customerPerson);
  const customer = new InvoicePages(customerActor.page);
  const customerHandle = await customer.orgHandle();
  await auth.signUp(supplierPerson);
  const supplier = new InvoicePages(page);

  // Only the supplier confirms its address at first.
  await confirmAddress(page.context(), dbTarget, supplierPerson.email);
  await supplier.nav('Settings');
  await expect(page.getByTestId('email-status')).toContainText('confirmed');
  await expect(page.getByTestId('email-status')).not.toContainText('not confirmed');

  const numbers = [`NT-${Date.now().toString(36)}-1`, `NT-${Date.now().toString(36)}-2`];
  await supplier.chooseRecipient(customerHandle);
  await supplier.fillInvoice(invoice(numbers[0]!));
  const first = await supplier.send();
  // Written in the commit's transaction: an unconfirmed address has nothing but its link waiting.
  const queuedFor = async (address: string) => (await db.query<{ kind: string }>('select kind from mail_outbox where recipient = $1 order by created_at', [address])).map((r) => r.kind);
  expect(await queuedFor(customerPerson.email)).toEqual(['verification']);

  // The customer sees why, confirms, and turns off notices of cancellations.
  await customer.nav('Settings');
  await expect(customerActor.page.getByTestId('email-status')).toContainText('not confirmed');
  // The open Settings tab learns of the confirmation in the other tab by itself.
  await confirmAddress(customerActor.context, dbTarget, customerPerson.email);
  await expect(customerActor.page.getByTestId('email-status')).not.toContainText('not confirmed');
  await customerActor.page.getByLabel('A supplier cancels an invoice').uncheck();
  await expect(customerActor.page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(customerActor.page.getByLabel('A supplier cancels an invoice')).not.toBeChecked();

  await supplier.chooseRecipient(customerHandle);
  await supplier.fillInvoice(invoice(numbers[1]!));
  const second = await supplier.send();
  const received = await waitForMail(dbTarget, customerPerson.email, /^New invoice from /);
  expect(received.parsed.subject).toBe(`New invoice from ${supplierPerson.orgName}`);
  expect(received.parsed.text).toContain(`${baseURL}/invoices/${second}`);
  expect(received.parsed.html).toContain(`href="${baseURL}/invoices/${second}"`);

  // The customer announces payment: the supplier hears of it, the customer does not.
  await customer.openFromInbox(numbers[1]!);
  await new LifecyclePage(customerActor.page).announcePayment('869.89');
  await new LifecyclePage(customerActor.page).expectHistory(['issued', 'viewed', 'payment_announced']);
  await waitForMail(dbTarget, supplierPerson.email, new RegExp(`^${customerPerson.orgName} announced a payment$`));

  // The supplier cancels the first invoice: the customer turned that notice off.
  await supplier.openFromSent(numbers[0]!);
  await new LifecyclePage(page).cancel('sent twice');
  await new LifecyclePage(page).expectHistory(['issued', 'cancelled']);
  expect(await queuedFor(customerPerson.email)).toEqual(['verification', 'invoice_received']);
  expect((await db.query('select 1 from invoices where id = $1', [first])).length).toBe(1);

  // Nobody else got anything, and no message holds an invoice number, an amount or a reference.
  const everything = await receivedMail(dbTarget);
  const ours = everything.filter((m) => m.envelopeTo.some((a) => a === customerPerson.email || a === supplierPerson.email));
  expect(ours.map((m) => m.parsed.subject).sort()).toEqual(
    [`${customerPerson.orgName} announced a payment`, 'Confirm your e-mail address for zkinvoice', 'Confirm your e-mail address for zkinvoice', `New invoice from ${supplierPerson.orgName}`].sort(),
  );
  expect(await mailTo(dbTarget, customerPerson.email)).toHaveLength(2);
  for (const mail of ours) {
    const raw = mail.raw.toString('utf8');
    for (const secret of [...numbers, '869.89', '869,89', 'ref NT-', '3704 0044', '370400440532013000']) expect(raw, `${mail.parsed.subject} must not contain ${secret}`).not.toContain(secret);
    expect(mail.parsed.text, 'a plain-text part').toBeTruthy();
    expect(mail.parsed.html, 'an HTML part').toBeTruthy();
    for (const href of (mail.parsed.text ?? '').match(/https?:\/\/\S+/g) ?? []) expect(new URL(href.replace(/[.,;:)]+$/, '')).origin, href).toBe(baseURL);
  }
  await customerActor.context.close();
});
