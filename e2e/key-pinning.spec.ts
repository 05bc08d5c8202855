import { generateKeyPairs } from '@/lib/crypto/keys';
import { impersonateHandle, replaceOrgPublicKeys } from './malicious-server';
import { expect, newActor, newPerson, test } from './fixtures';
import { InvoicePages } from './pages/invoice-pages';

// DESIGN §5: the supplier's browser pins the customer organization's keys on first contact (TOFU);
// a changed key for a known organization blocks sending until the user compares the new safety
// number and accepts it. The server is the one that could swap the keys, so the test does it in
// the database.

test('[supplier] is blocked from sending when the customer’s keys change after first contact, until the new safety number is accepted', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(150_000);
  const customer = await newActor(browser, baseURL!);
  const customerPerson = newPerson('customer');
  await customer.auth.signUp(customerPerson);
  const handle = await new InvoicePages(customer.page).orgHandle();
  await customer.context.close();
  const [{ id: customerOrgId }] = (await db.query<{ id: string }>('select id from organizations where handle = $1', [handle])) as [{ id: string }];

  await auth.signUp(newPerson('supplier'));
  const supplier = new InvoicePages(page);
  const recipient = page.getByTestId('recipient');
  const send = page.getByRole('button', { name: 'Encrypt and send' });
  const changed = page.getByRole('main').getByRole('alert').filter({ hasText: 'have changed' });

  await supplier.chooseRecipient(handle);
  await expect(recipient).toContainText('First contact: these keys are now pinned.');
  const pinned = (await recipient.locator('.fingerprint').textContent())!.trim();
  // The same keys again: recognised, nothing to accept.
  await supplier.chooseRecipient(handle);
  await expect(recipient).toContainText('Keys match the ones you pinned before.');
  await expect(recipient).toContainText(pinned);

  await replaceOrgPublicKeys(db, customerOrgId, await generateKeyPairs());
  await supplier.lookUpRecipient(handle);
  await expect(changed).toContainText(`The keys of ${customerPerson.orgName} have changed.`);
  await expect(changed).toContainText('Sending is blocked.');
  await expect(changed).toContainText(`pinned: ${pinned}`);
  const fresh = (await changed.locator('.fingerprint').textContent())!.match(/new: ([\d ]+?)\s*pinned:/)![1]!.trim();
  expect(fresh).not.toBe(pinned);
  await expect(recipient).toHaveCount(0);
  await supplier.fillInvoice({ number: 'PIN-0001', net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00', iban: 'DE89 3704 0044 0532 0130 00' });
  await expect(send).toBeDisabled();
  // Looking again does not make the warning go away.
  await supplier.lookUpRecipient(handle);
  await expect(changed).toBeVisible();
  await expect(send).toBeDisabled();

  await changed.getByRole('button', { name: 'I have verified the new safety number — accept it' }).click();
  await expect(changed).toHaveCount(0);
  await expect(recipient).toContainText(fresh);
  await expect(send).toBeEnabled();
  // The new keys are now the pinned ones, in the keyring the server stores for this user.
  await supplier.chooseRecipient(handle);
  await expect(recipient).toContainText('Keys match the ones you pinned before.');
  await expect(recipient).toContainText(fresh);
  await supplier.fillInvoice({ number: 'PIN-0001', net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00', iban: 'DE89 3704 0044 0532 0130 00' });
  await supplier.send();
  await supplier.nav('Sent');
  await expect(page.getByTestId('invoice-row')).toContainText('PIN-0001');
});

test('[supplier] is blocked from sending when the server answers a pinned handle with another organization of the same name', async ({ page, auth, browser, baseURL, db }) => {
  test.setTimeout(150_000);
  const customer = await newActor(browser, baseURL!);
  const customerPerson = newPerson('customer');
  await customer.auth.signUp(customerPerson);
  const handle = await new InvoicePages(customer.page).orgHandle();
  await customer.context.close();
  const [{ id: customerOrgId }] = (await db.query<{ id: string }>('select id from organizations where handle = $1', [handle])) as [{ id: string }];

  await auth.signUp(newPerson('supplier'));
  const supplier = new InvoicePages(page);
  await supplier.chooseRecipient(handle);
  const pinned = (await page.getByTestId('recipient').locator('.fingerprint').textContent())!.trim();

  // Same handle, same name, new organization id and keys: nothing was pinned for that id.
  await impersonateHandle(db, customerOrgId, await generateKeyPairs());
  await supplier.lookUpRecipient(handle);
  const changed = page.getByRole('main').getByRole('alert').filter({ hasText: 'have changed' });
  await expect(changed).toContainText(`The keys of ${customerPerson.orgName} have changed.`);
  await expect(changed).toContainText(`pinned: ${pinned}`);
  await expect(page.getByTestId('recipient')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Encrypt and send' })).toBeDisabled();
});
