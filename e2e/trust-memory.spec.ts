import type { Page } from '@playwright/test';
import { formatIban } from '@/lib/shared/iban';
import { emptyKeyring, forgeKeys, forgeSignerAndManifest, readManifest, replaceOrgPublicKeys, replayKeyring, snapshotKeyring, type KeyringSnapshot } from './malicious-server';
import { expect, newActor, newPerson, test } from './fixtures';
import type { AuthPages } from './pages/auth-pages';
import { InvoicePages, type InvoiceInput } from './pages/invoice-pages';
import { LifecyclePage } from './pages/lifecycle-page';
import { shot } from './shots';
import { randomIban } from './test-documents';

// DESIGN §3.4: what a client verified must not be forgettable by the server. The keyring (pins,
// paid IBANs) is sealed v2 with its version in the AEAD, and each device keeps a high-water mark;
// the server below edits its own database as an attacker would — serving an empty keyring, or one
// it kept from before a pin or a payment — and each attack must end in the blocking keyring
// warning with nothing sent and no payment details shown. The impostor test comes first: it uses
// the same customer and supplier while their keyrings are intact.

test.describe.configure({ mode: 'serial' });

interface Actor {
  page: Page;
  auth: AuthPages;
  pages: InvoicePages;
  email: string;
  orgName: string;
  close(): Promise<void>;
}

const SUPPLIER_VAT = 'DE 811 907 980';
const PAYEE = 'Müller Bau GmbH';
const paidIban = randomIban();
const otherIban = randomIban();
const invoice = (number: string, iban: string, sellerName: string): InvoiceInput => ({
  number, net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00', sellerName, sellerVatId: SUPPLIER_VAT, payeeName: PAYEE, iban,
});

let customer: Actor;
let supplier: Actor;
const ids: Record<'paid' | 'changedIban' | 'forged', string> = { paid: '', changedIban: '', forged: '' };
let supplierBeforeContact: KeyringSnapshot;
let customerBeforeContact: KeyringSnapshot;
let customerBeforePayment: KeyringSnapshot;

async function signUpActor(browser: import('@playwright/test').Browser, baseURL: string, label: string, orgName?: string): Promise<Actor> {
  const actor = await newActor(browser, baseURL);
  const person = { ...newPerson(label), ...(orgName ? { orgName } : {}) };
  await actor.auth.signUp(person);
  return { page: actor.page, auth: actor.auth, pages: new InvoicePages(actor.page), email: person.email, orgName: person.orgName, close: () => actor.context.close() };
}

/** A reload forgets the keys: unlock again, which loads the keyring the server serves now. */
async function reopen(actor: Actor, path: string): Promise<void> {
  await actor.page.goto(path);
  await actor.auth.unlockWithPasskey();
}

/** The blocking warning, in place of anything that could send, pay or pin. */
async function expectKeyringBlocked(page: Page, kind: 'missing' | 'rollback' | 'fork'): Promise<void> {
  const warning = page.getByTestId('keyring-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toHaveAttribute('data-problem', kind);
  await expect(warning).toContainText('this portal sends nothing, records nothing and shows no payment details');
  for (const id of ['payment-panel', 'payment-details', 'invoice-details', 'signature-status', 'invoice-row', 'recipient']) await expect(page.getByTestId(id)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Encrypt and send' })).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'I have paid' })).toHaveCount(0);
  await shot(page, `keyring-${kind}`);
}

test.beforeAll(async ({ browser, db }, testInfo) => {
  testInfo.setTimeout(300_000);
  const baseURL = testInfo.project.use.baseURL!;
  customer = await signUpActor(browser, baseURL, 'customer');
  customerBeforeContact = await snapshotKeyring(db, customer.email);
  const handle = await customer.pages.orgHandle();
  supplier = await signUpActor(browser, baseURL, 'supplier');
  supplierBeforeContact = await snapshotKeyring(db, supplier.email);
  const sends = { paid: invoice('TRUST-1', paidIban, supplier.orgName), changedIban: invoice('TRUST-2', otherIban, supplier.orgName), forged: invoice('TRUST-3', paidIban, supplier.orgName) };
  for (const [name, input] of Object.entries(sends) as [keyof typeof ids, InvoiceInput][]) {
    await supplier.pages.chooseRecipient(handle);
    await supplier.pages.fillInvoice(input);
    ids[name] = await supplier.pages.send();
  }
});

test.afterAll(async () => {
  await customer?.close();
  await supplier?.close();
});

test('[customer] sees a new supplier as never paid until the first payment, which is an explicit step', async ({ db }) => {
  const cx = customer.page;
  await customer.pages.nav('Inbox');
  await expect(cx.getByTestId('new-supplier-badge').first()).toHaveText('New supplier — never paid');
  await customer.pages.openFromInbox('TRUST-1');
  await expect(cx.getByTestId('new-supplier')).toHaveText('New supplier — never paid');
  customerBeforePayment = await snapshotKeyring(db, customer.email);
  const first = cx.getByTestId('first-payment');
  await expect(first).toContainText(`First payment to ${supplier.orgName}.`);
  await expect(cx.getByTestId('verification-badge')).toHaveText('✓ Verified');
  await expect(cx.getByTestId('payment-details')).toHaveCount(0);
  await shot(cx, 'first-payment');
  await first.getByRole('button', { name: /This is my first payment/ }).click();
  await expect(cx.getByTestId('payment-details')).toContainText(formatIban(paidIban));
  const life = new LifecyclePage(cx);
  await life.announcePayment('119.00');
  await expect(life.status()).toContainText('Payment announced');
  await customer.pages.nav('Inbox');
  await expect(cx.getByTestId('invoice-row').first()).toBeVisible();
  await expect(cx.getByTestId('new-supplier-badge')).toHaveCount(0);
});

test('[impostor] registers an org with the paid supplier’s name and VAT id and asks for another IBAN: [customer] sees the impostor and IBAN warnings', async ({ browser, baseURL }) => {
  const impostor = await signUpActor(browser, baseURL!, 'impostor', supplier.orgName);
  try {
    await impostor.pages.chooseRecipient(await customer.pages.orgHandle());
    await impostor.pages.fillInvoice(invoice('TRUST-IMPOSTOR', otherIban, supplier.orgName));
    await impostor.pages.send();
  } finally {
    await impostor.close();
  }
  const cx = customer.page;
  await customer.pages.nav('Inbox');
  const row = cx.getByTestId('invoice-row').filter({ hasText: 'TRUST-IMPOSTOR' });
  await expect(row.getByTestId('impostor-badge')).toContainText(`looks like ${supplier.orgName}, but is a different organization`);
  await expect(row.getByTestId('new-supplier-badge')).toBeVisible();
  await expect(cx.getByTestId('invoice-row').filter({ hasText: 'TRUST-1' }).getByTestId('impostor-badge')).toHaveCount(0);
  await shot(cx, 'inbox');

  await customer.pages.openFromInbox('TRUST-IMPOSTOR');
  await expect(cx.getByTestId('impostor-warning')).toContainText(`looks like ${supplier.orgName} (same name and VAT id and payee name), but it is a different organization`);
  const ibanWarning = cx.getByTestId('iban-change-warning');
  await expect(ibanWarning).toContainText(`another bank account than the one you paid to ${supplier.orgName}`);
  await expect(cx.getByTestId('previous-iban')).toContainText(formatIban(paidIban));
  await expect(cx.getByTestId('new-iban')).toContainText(formatIban(otherIban));
  await expect(cx.getByTestId('payment-details')).toHaveCount(0);
  // The summary card above the warnings does not contradict them with a green tick and a Pay button.
  await expect(cx.getByTestId('verification-badge')).toHaveText('⚠ Signed, but read the warning');
  await expect(cx.getByTestId('primary-action')).toHaveText('Check before paying');
  await shot(cx, 'invoice');
  // Opened again (now pinned itself), it is still flagged.
  await customer.pages.openFromInbox('TRUST-IMPOSTOR');
  await expect(cx.getByTestId('impostor-warning')).toBeVisible();
});

test('[malicious server] replays the supplier’s keyring from before first contact: [supplier] sees the rollback warning and cannot send', async ({ db }) => {
  const current = await snapshotKeyring(db, supplier.email);
  await replayKeyring(db, supplierBeforeContact);
  await reopen(supplier, '/invoices/new');
  await expectKeyringBlocked(supplier.page, 'rollback');
  await supplier.pages.nav('Sent');
  await expectKeyringBlocked(supplier.page, 'rollback');
  // The warning stands while the rollback does: the newest keyring served again lifts it.
  await replayKeyring(db, current);
  await supplier.page.getByRole('button', { name: 'Check again' }).click();
  await expect(supplier.page.getByTestId('invoice-row').first()).toBeVisible();
});

test('[malicious server] replays the customer’s keyring from before a payment: [customer] sees the rollback warning, not a first payment to another IBAN', async ({ db }) => {
  const current = await snapshotKeyring(db, customer.email);
  await replayKeyring(db, customerBeforePayment);
  await reopen(customer, `/invoices/${ids.changedIban}`);
  await expectKeyringBlocked(customer.page, 'rollback');
  await expect(customer.page.getByTestId('first-payment')).toHaveCount(0);
  await replayKeyring(db, current);
  await customer.page.getByRole('button', { name: 'Check again' }).click();
  await expect(customer.page.getByTestId('iban-change-warning')).toContainText(`The bank account for ${supplier.orgName} has changed.`);
  await expect(customer.page.getByTestId('verification-badge')).toHaveText('⚠ Signed, but read the warning');
});

test('[malicious server] empties the customer’s keyring: [customer] sees the missing-keyring warning', async ({ db }) => {
  const current = await snapshotKeyring(db, customer.email);
  await emptyKeyring(db, current.userId);
  await reopen(customer, '/inbox');
  await expectKeyringBlocked(customer.page, 'missing');
  await customer.pages.nav('New invoice');
  await expectKeyringBlocked(customer.page, 'missing');
  await replayKeyring(db, current);
});

// Last: it replaces the supplier's keys for every invoice of this file.
test('[malicious server] rolls the customer’s keyring back to before first contact and swaps the supplier’s keys: [customer] sees the rollback warning, not a valid signature', async ({ db }) => {
  const keys = await forgeKeys();
  await forgeSignerAndManifest(db, ids.forged, keys);
  await replaceOrgPublicKeys(db, (await readManifest(db, ids.forged)).supplierOrgId, keys.org);
  await replayKeyring(db, customerBeforeContact);
  await reopen(customer, `/invoices/${ids.forged}`);
  await expectKeyringBlocked(customer.page, 'rollback');
  await customer.pages.nav('Inbox');
  await expectKeyringBlocked(customer.page, 'rollback');
});
