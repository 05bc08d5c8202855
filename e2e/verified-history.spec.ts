import type { Page } from '@playwright/test';
import { dropLastEvents, editManifest, setInvoiceStatus } from './malicious-server';
import { expect, newActor, newPerson, test } from './fixtures';
import type { AuthPages } from './pages/auth-pages';
import { InvoicePages } from './pages/invoice-pages';
import { LifecyclePage } from './pages/lifecycle-page';
import { shot } from './shots';

// DESIGN §8 and §3.4: status, payment panel and actions follow the signed history replayed in the
// browser, and each device remembers how long a history it has seen. A server that deletes the end
// of a history (a payment announcement and its confirmation) or reports another status must cause
// a blocking warning, with no payment details and no action offered — else the customer pays twice.

test.describe.configure({ mode: 'serial' });

interface Actor {
  page: Page;
  auth: AuthPages;
  pages: InvoicePages;
  life: LifecyclePage;
  close(): Promise<void>;
}

let customer: Actor;
let supplier: Actor;
const ids = { shortened: '', status: '' };

async function signUpActor(browser: import('@playwright/test').Browser, baseURL: string, label: string): Promise<Actor> {
  const actor = await newActor(browser, baseURL);
  await actor.auth.signUp(newPerson(label));
  return { page: actor.page, auth: actor.auth, pages: new InvoicePages(actor.page), life: new LifecyclePage(actor.page), close: () => actor.context.close() };
}

/** A reload forgets the keys: unlock again, then the invoice is fetched and verified afresh. */
async function reopenInvoice(actor: Actor, id: string): Promise<void> {
  await actor.page.goto(`/invoices/${id}`);
  await actor.auth.unlockWithPasskey();
  await expect(actor.page.getByTestId('signature-status')).toContainText('Valid signature');
}

async function expectHistoryBlocked(actor: Actor, text: string): Promise<void> {
  const page = actor.page;
  await expect(page.locator('[data-testid="history-warning"][data-blocking="true"]')).toContainText(text);
  await expect(page.getByTestId('payment-blocked')).toBeVisible();
  await expect(page.getByTestId('payment-details')).toHaveCount(0);
  await expect(page.getByTestId('first-payment')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Actions' })).toHaveCount(0);
  await expect(page.locator('details > summary')).toHaveCount(0);
  await expect(page.getByTestId('verification-badge')).toHaveText('⚠ Signed, but read the warning');
  await shot(page, 'history-blocked');
}

test.beforeAll(async ({ browser }, testInfo) => {
  testInfo.setTimeout(240_000);
  const baseURL = testInfo.project.use.baseURL!;
  customer = await signUpActor(browser, baseURL, 'customer');
  const handle = await customer.pages.orgHandle();
  supplier = await signUpActor(browser, baseURL, 'supplier');
  for (const [name, number] of [['shortened', 'HIST-1'], ['status', 'HIST-2']] as const) {
    await supplier.pages.chooseRecipient(handle);
    await supplier.pages.fillInvoice({ number, net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00', iban: 'DE89 3704 0044 0532 0130 00' });
    ids[name] = await supplier.pages.send();
  }
});

test.afterAll(async () => {
  await customer?.close();
  await supplier?.close();
});

test('[malicious server] deletes the payment announcement and its confirmation: [customer] and [supplier] see the history blocked, nothing to pay or do', async ({ db }) => {
  await customer.pages.openFromInbox('HIST-1');
  await customer.life.announcePayment('119.00');
  await expect(customer.life.status()).toHaveText('Payment announced');
  await supplier.pages.openFromSent('HIST-1');
  await supplier.life.confirmPaid('119.00');
  await expect(supplier.life.status()).toHaveText('Paid');
  await customer.pages.openFromInbox('HIST-1');
  await customer.life.expectHistory(['issued', 'viewed', 'payment_announced', 'paid']);

  await dropLastEvents(db, ids.shortened, 2);
  for (const actor of [customer, supplier]) {
    await reopenInvoice(actor, ids.shortened);
    await actor.life.expectHistory(['issued', 'viewed']);
    await expectHistoryBlocked(actor, 'but this device has already seen 3: events were removed from it');
  }
});

test('[malicious server] reports another status than the signed history: [customer] sees the history blocked, nothing to pay or do', async ({ db }) => {
  await customer.pages.openFromInbox('HIST-2');
  await customer.life.expectHistory(['issued', 'viewed']);
  await setInvoiceStatus(db, ids.status, 'issued');
  await reopenInvoice(customer, ids.status);
  await expect(customer.life.status()).toHaveText('Viewed');
  await expectHistoryBlocked(customer, 'The server reports the status “Issued”, but the signed history leads to “Viewed”');
  // The status the server claims does not make the browser record a first view again.
  await customer.life.expectHistory(['issued', 'viewed']);
});

test('[malicious server] serves one invoice with a malformed manifest: [customer] sees that one flagged and the rest of the inbox', async ({ db }) => {
  await editManifest(db, ids.status, '{recipients}', 'all');
  await customer.pages.nav('Inbox');
  await expect(customer.page.getByTestId('malformed-invoices')).toContainText(ids.status);
  await expect(customer.page.getByTestId('invoice-row')).toHaveCount(1);
  await expect(customer.page.getByTestId('invoice-row')).toContainText('HIST-1');
  await shot(customer.page, 'inbox');
});
