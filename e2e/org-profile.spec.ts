import { expect, newActor, newPerson, test } from './fixtures';
import { InvoicePages } from './pages/invoice-pages';
import { randomIban } from './test-documents';

// Issue #14: the supplier's own details are saved once, encrypted for the organization, and every
// new invoice starts from them; the due date follows the payment terms.

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

test('[supplier] saves the organization profile encrypted and every new invoice starts from it; an altered profile is not used', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(150_000);
  const person = newPerson('supplier');
  await auth.signUp(person);
  const pages = new InvoicePages(page);
  const handle = await pages.orgHandle();
  const [{ id: orgId }] = (await db.query<{ id: string }>('SELECT id FROM organizations WHERE handle = $1', [handle])) as [{ id: string }];
  const iban = randomIban();
  const vatId = `DE${Date.now().toString().slice(-9)}`;

  await pages.nav('Settings');
  const profile = page.getByRole('form', { name: 'Organization profile' });
  await expect(profile.getByLabel('Legal name', { exact: true })).toHaveValue(person.orgName);
  await profile.getByLabel('Street and number').fill('Hauptstraße 5');
  await profile.getByLabel('Postal code').fill('10115');
  await profile.getByLabel('City').fill('Berlin');
  await profile.getByLabel('Country code').fill('de');
  await profile.getByLabel('VAT id').fill(vatId);
  await profile.getByLabel('IBAN').fill('not an iban');
  await profile.getByLabel('BIC').fill('COBADEFFXXX');
  await profile.getByLabel(/^Payment terms/).fill('14');
  await profile.getByRole('button', { name: 'Save profile' }).click();
  await expect(profile.getByLabel('IBAN')).toHaveAccessibleDescription('This IBAN is not valid (check digits).');
  await profile.getByLabel('IBAN').fill(iban);
  await profile.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByTestId('org-profile-saved')).toBeVisible();

  // Stored as ciphertext only.
  const [row] = await db.query<{ sealed_profile: Buffer; revision: number }>('SELECT sealed_profile, revision FROM org_profiles WHERE org_id = $1', [orgId]);
  expect(row!.revision).toBe(1);
  for (const needle of [iban, vatId, 'Hauptstraße', 'Berlin', 'COBADEFFXXX']) expect(row!.sealed_profile.includes(Buffer.from(needle))).toBe(false);

  // Another account is told the organization does not exist.
  const outsider = await newActor(browser, baseURL!);
  await outsider.auth.signUp(newPerson('outsider'));
  expect((await outsider.page.request.get(`/api/orgs/${orgId}/profile`)).status()).toBe(404);
  await outsider.context.close();

  await pages.nav('New invoice');
  const form = page.getByRole('form', { name: 'Invoice details' });
  await expect(form.getByLabel('Seller name', { exact: true })).toHaveValue(person.orgName);
  await expect(form.getByLabel('Seller VAT id')).toHaveValue(vatId);
  await expect(form.getByLabel('IBAN')).toHaveValue(iban);
  await expect(form.getByLabel('BIC')).toHaveValue('COBADEFFXXX');
  await expect(form.getByLabel('Payee name')).toHaveValue(person.orgName);
  const issueDate = await form.getByLabel('Issue date', { exact: true }).inputValue();
  await expect(form.getByLabel('Due date', { exact: true })).toHaveValue(addDays(issueDate, 14));
  await form.getByLabel('Issue date', { exact: true }).fill('2026-12-20');
  await expect(form.getByLabel('Due date', { exact: true })).toHaveValue('2027-01-03');
  // Once the user sets the due date, the issue date no longer moves it.
  await form.getByLabel('Due date', { exact: true }).fill('2027-02-01');
  await form.getByLabel('Issue date', { exact: true }).fill('2026-12-21');
  await expect(form.getByLabel('Due date', { exact: true })).toHaveValue('2027-02-01');

  // A profile the server altered does not open: not used, and said so.
  await db.query('UPDATE org_profiles SET sealed_profile = set_byte(sealed_profile, 20, get_byte(sealed_profile, 20) # 1) WHERE org_id = $1', [orgId]);
  // A fresh load (the router may keep a page it showed before), then unlock again.
  await page.reload();
  await auth.unlockWithPasskey();
  await pages.nav('New invoice');
  await expect(page.getByTestId('profile-problem')).toContainText('could not be opened');
  await expect(form.getByLabel('IBAN')).toHaveValue('');
  await pages.nav('Settings');
  await expect(page.getByTestId('org-profile-unreadable')).toBeVisible();
});
