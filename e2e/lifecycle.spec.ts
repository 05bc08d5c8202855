import type { Browser, Page } from '@playwright/test';
import { computeKeyId, signEventRecord, type InvoiceEventRecord } from '@/lib/crypto/envelope';
import { generateKeyPairs } from '@/lib/crypto/keys';
import { englishT } from '@/lib/shared/i18n';
import type { TestDatabase } from './db';
import { expect, newActor, newPerson, test } from './fixtures';
import { InvoicePages, type InvoiceInput } from './pages/invoice-pages';
import { LifecyclePage } from './pages/lifecycle-page';

// DESIGN §8: each lifecycle event is signed by its actor and carries encrypted details; both
// parties see the same history, checked in their browsers. In-app navigation only (nav links): a
// full page load would forget the unlocked keys.

const invoice = (number: string): InvoiceInput => ({ number, net: '1000.00', tax: '190.00', gross: '1190.00', payable: '1190.00', iban: 'DE89 3704 0044 0532 0130 00', reference: number });

async function setUp(page: Page, auth: { signUp: (p: ReturnType<typeof newPerson>) => Promise<string> }, browser: Browser, baseURL: string) {
  const customerActor = await newActor(browser, baseURL);
  await customerActor.auth.signUp(newPerson('customer'));
  const customer = new InvoicePages(customerActor.page);
  const customerHandle = await customer.orgHandle();
  await auth.signUp(newPerson('supplier'));
  const supplier = new InvoicePages(page);
  const send = async (number: string): Promise<string> => {
    await supplier.chooseRecipient(customerHandle);
    await supplier.fillInvoice(invoice(number));
    return supplier.send();
  };
  return { customerActor, customer, supplier, send, customerLife: new LifecyclePage(customerActor.page), supplierLife: new LifecyclePage(page) };
}

/** Opens an invoice (or credit note) from the inbox by its exact number. */
async function openInbox(pages: InvoicePages, number: string, kind: 'Invoice' | 'Credit note' = 'Invoice'): Promise<void> {
  await pages.nav('Inbox');
  await pages.page.getByRole('link', { name: number, exact: true }).click();
  await expect(pages.page.getByRole('heading', { name: `${kind} ${number}` })).toBeVisible();
}

const historyText = (page: Page) => page.getByTestId('history').innerText();

async function storedHistory(db: TestDatabase, invoiceId: string) {
  const events = await db.query<{ type: string; status_after: string }>('select type, status_after from invoice_events where invoice_id = $1 order by seq', [invoiceId]);
  const [row] = await db.query<{ status: string }>('select status from invoices where id = $1', [invoiceId]);
  const audits = await db.query<{ action: string }>("select action from audit_log where object_id = $1 and action like 'invoice.%' and action <> 'invoice.uploaded' order by seq", [invoiceId]);
  return { status: row?.status, events: events.map((e) => `${e.type}→${e.status_after}`), audits: audits.map((a) => a.action) };
}

test('[customer] announces a partial and then the remaining payment, the [supplier] confirms it; both see one signed history', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(240_000);
  const { customerActor, customer, supplier, send, customerLife, supplierLife } = await setUp(page, auth, browser, baseURL!);
  const invoiceId = await send('LC-PAY-1');
  await supplierLife.expectHistory(['issued']);
  await expect(supplierLife.status()).toHaveText('Issued');

  await openInbox(customer, 'LC-PAY-1');
  await customerLife.expectHistory(['issued', 'viewed']);
  await expect(customerLife.status()).toHaveText('Viewed');
  await customerLife.announcePayment('400.00', 'first instalment');
  await customerLife.expectHistory(['issued', 'viewed', 'partially_paid']);
  await expect(customerLife.status()).toHaveText('Partially paid');
  // The form offers what is still due.
  await expect((await customerLife.action('I have paid')).getByLabel(/^Amount paid/)).toHaveValue('790.00');
  await customerLife.announcePayment('790.00', 'second instalment');
  await customerLife.expectHistory(['issued', 'viewed', 'partially_paid', 'payment_announced']);
  await expect(customerLife.status()).toHaveText('Payment announced');
  await customerLife.expectAllValid();
  await expect(customerActor.page.getByTestId('history-warning')).toHaveCount(0);

  await supplier.openFromSent('LC-PAY-1');
  await supplierLife.expectHistory(['issued', 'viewed', 'partially_paid', 'payment_announced']);
  await supplierLife.expectAllValid();
  const history = page.getByTestId('history');
  for (const text of ['€400.00', 'first instalment', '€790.00', 'second instalment']) await expect(history).toContainText(text);
  await supplierLife.confirmPaid('1190.00');
  await supplierLife.expectHistory(['issued', 'viewed', 'partially_paid', 'payment_announced', 'paid']);
  await expect(supplierLife.status()).toHaveText('Paid');
  await expect(page.getByRole('heading', { name: 'Actions' })).toHaveCount(0);

  await openInbox(customer, 'LC-PAY-1');
  await customerLife.expectHistory(['issued', 'viewed', 'partially_paid', 'payment_announced', 'paid']);
  await customerLife.expectAllValid();
  expect(await historyText(customerActor.page)).toBe(await historyText(page));
  await expect(customerActor.page.getByRole('heading', { name: 'Actions' })).toHaveCount(0);

  expect(await storedHistory(db, invoiceId)).toEqual({
    status: 'paid',
    events: ['viewed→viewed', 'partially_paid→partially_paid', 'payment_announced→payment_announced', 'paid→paid'],
    audits: ['invoice.viewed', 'invoice.partially_paid', 'invoice.payment_announced', 'invoice.paid'],
  });
  await customerActor.context.close();
});

test('[customer] disputes, the [supplier] comments, the [customer] withdraws; an event the server forged is shown as invalid to both', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(240_000);
  const { customerActor, customer, supplier, send, customerLife, supplierLife } = await setUp(page, auth, browser, baseURL!);
  const invoiceId = await send('LC-DSP-1');

  await openInbox(customer, 'LC-DSP-1');
  await customerLife.expectHistory(['issued', 'viewed']);
  await customerLife.dispute('The quantity delivered was 8, not 10.');
  await customerLife.expectHistory(['issued', 'viewed', 'disputed']);
  await expect(customerLife.status()).toHaveText('Disputed');

  await supplier.openFromSent('LC-DSP-1');
  await expect(page.getByTestId('history')).toContainText('The quantity delivered was 8, not 10.');
  await supplierLife.comment('Our delivery note says 10; we will check with the driver.');
  await supplierLife.expectHistory(['issued', 'viewed', 'disputed', 'dispute_comment']);
  await expect(supplierLife.status()).toHaveText('Disputed');

  await openInbox(customer, 'LC-DSP-1');
  await expect(customerActor.page.getByTestId('history')).toContainText('we will check with the driver');
  await customerLife.withdrawDispute();
  await customerLife.expectHistory(['issued', 'viewed', 'disputed', 'dispute_comment', 'dispute_withdrawn']);
  await expect(customerLife.status()).toHaveText('Viewed');
  await customerLife.expectAllValid();
  await supplier.openFromSent('LC-DSP-1');
  await supplierLife.expectAllValid();
  expect(await historyText(customerActor.page)).toBe(await historyText(page));
  expect(await storedHistory(db, invoiceId)).toEqual({
    status: 'viewed',
    events: ['viewed→viewed', 'disputed→disputed', 'dispute_comment→disputed', 'dispute_withdrawn→viewed'],
    audits: ['invoice.viewed', 'invoice.disputed', 'invoice.dispute_comment', 'invoice.dispute_withdrawn'],
  });

  // The server (or whoever holds the database) appends a cancellation in the supplier user's name,
  // signed with a key no membership certificate vouches for, and moves the status to match.
  const [last] = await db.query<{ id: string; seq: number }>('select id, seq from invoice_events where invoice_id = $1 order by seq desc limit 1', [invoiceId]);
  const [parties] = await db.query<{ signer_user_id: string; supplier_org_id: string }>('select signer_user_id, supplier_org_id from invoices where id = $1', [invoiceId]);
  const forger = await generateKeyPairs();
  const record: InvoiceEventRecord = {
    v: 1, eventId: crypto.randomUUID(), invoiceId, type: 'cancelled', actorUserId: parties!.signer_user_id, actorOrgId: parties!.supplier_org_id,
    signerKeyId: await computeKeyId(forger.signingPublicKey), createdAt: new Date().toISOString(), prevEventId: last!.id, payloadSha256: null,
  };
  await db.query(
    `insert into invoice_events (id, invoice_id, seq, type, actor_user_id, actor_org_id, prev_event_id, status_after, record, signature, sealed_payload, created_at)
     values ($1, $2, $3, 'cancelled', $4, $5, $6, 'cancelled', $7::jsonb, $8, null, $9)`,
    [record.eventId, invoiceId, last!.seq + 1, record.actorUserId, record.actorOrgId, record.prevEventId, JSON.stringify(record), await signEventRecord(forger.signingPrivateKey, record), record.createdAt],
  );
  await db.query("update invoices set status = 'cancelled' where id = $1", [invoiceId]);

  for (const [life, open] of [[customerLife, () => openInbox(customer, 'LC-DSP-1')], [supplierLife, () => supplier.openFromSent('LC-DSP-1')]] as const) {
    await open();
    await life.expectHistory(['issued', 'viewed', 'disputed', 'dispute_comment', 'dispute_withdrawn', 'cancelled']);
    const forged = life.events().last();
    await expect(forged).toHaveAttribute('data-valid', 'false');
    await expect(forged.getByTestId('event-check')).toContainText('✗ Not valid');
    await expect(forged.getByTestId('event-check')).toContainText(englishT('history.problem.signature'));
    await expect(forged.getByTestId('event-check')).not.toContainText('✓');
    await expect(life.events().and(life.page.locator('[data-valid="true"]'))).toHaveCount(5);
    await expect(life.page.getByTestId('history-warning').first()).toContainText('failed their checks');
  }
  await customerActor.context.close();
});

test('[supplier] cancels one invoice and issues a credit note for another; the [customer] sees both, signed', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(240_000);
  const { customerActor, customer, supplier, send, customerLife, supplierLife } = await setUp(page, auth, browser, baseURL!);
  const cancelledId = await send('LC-CAN-1');
  await supplierLife.cancel('Sent to the wrong department.');
  await supplierLife.expectHistory(['issued', 'cancelled']);
  await expect(supplierLife.status()).toHaveText('Cancelled');

  const originalId = await send('LC-CRD-1');
  await openInbox(customer, 'LC-CRD-1');
  await customerLife.expectHistory(['issued', 'viewed']);

  await supplier.openFromSent('LC-CRD-1');
  await page.getByRole('link', { name: 'Issue credit note' }).click();
  await expect(page.getByRole('heading', { name: 'New credit note' })).toBeVisible();
  await expect(page.getByTestId('recipient')).toContainText('LC-CRD-1');
  await expect(page.getByLabel('Credit note number')).toHaveValue('CN-LC-CRD-1');
  await expect(page.getByLabel('Payable')).toHaveValue('1190.00');
  const creditNoteId = await supplier.send();
  await expect(page.getByRole('heading', { name: 'Credit note CN-LC-CRD-1' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'invoice LC-CRD-1' })).toBeVisible();

  await supplier.openFromSent('LC-CRD-1');
  await supplierLife.expectHistory(['issued', 'viewed', 'credited']);
  await expect(supplierLife.status()).toHaveText('Credited');
  await expect(page.getByTestId('history').getByRole('link', { name: 'CN-LC-CRD-1' })).toBeVisible();
  await supplierLife.expectAllValid();

  await openInbox(customer, 'LC-CAN-1');
  await customerLife.expectHistory(['issued', 'cancelled']);
  await expect(customerActor.page.getByTestId('history')).toContainText('Sent to the wrong department.');
  await customerLife.expectAllValid();
  await expect(customerActor.page.getByRole('heading', { name: 'Actions' })).toHaveCount(0);

  await openInbox(customer, 'LC-CRD-1');
  await customerLife.expectHistory(['issued', 'viewed', 'credited']);
  await customerLife.expectAllValid();
  expect(await historyText(customerActor.page)).toBe(await historyText(page));
  await customerActor.page.getByTestId('history').getByRole('link', { name: 'CN-LC-CRD-1' }).click();
  await expect(customerActor.page.getByRole('heading', { name: 'Credit note CN-LC-CRD-1' })).toBeVisible();
  await expect(customerActor.page.getByRole('link', { name: 'invoice LC-CRD-1' })).toBeVisible();

  expect(await storedHistory(db, cancelledId)).toEqual({ status: 'cancelled', events: ['cancelled→cancelled'], audits: ['invoice.cancelled'] });
  expect(await storedHistory(db, originalId)).toEqual({ status: 'credited', events: ['viewed→viewed', 'credited→credited'], audits: ['invoice.viewed', 'invoice.credited'] });
  expect(await db.query('select credits_invoice_id from invoices where id = $1', [creditNoteId])).toEqual([{ credits_invoice_id: originalId }]);
  await customerActor.context.close();
});
