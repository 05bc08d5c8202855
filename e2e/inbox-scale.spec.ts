import { expect, test, newPerson } from './fixtures';
import { InvoicePages } from './pages/invoice-pages';
import { seededHeader, seedInvoices } from './seeded-invoices';

// A large inbox (DESIGN §6): the list arrives in cursor-paged chunks, every row is opened and
// verified in the browser, and only the rows on screen are in the DOM, while sort, search and the
// totals cover every row. Invoices that fail a check are listed without any of their content.

const COUNT = 1100;
/** How the list writes a count in English (with a thousands separator since the i18n work of #14). */
const shown = (n: number) => n.toLocaleString('en');
const PAGE_SIZE = 500;
const SUPPLIER = 'Seeded Supplier GmbH';

const euros = (cents: bigint) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(`${cents / 100n}.${String(cents % 100n).padStart(2, '0')}` as unknown as number);
const centsOf = (amount: string) => BigInt(amount.replace('.', ''));

test('[customer] opens an inbox of 1,100 invoices in pages: few rows in the DOM, sort, search and totals over all, tampered invoices shown without content, the org’s list index lists the same', async ({ page, auth, db }) => {
  test.setTimeout(420_000);
  const person = newPerson('customer');
  await auth.signUp(person);
  const inbox = new InvoicePages(page);
  const handle = await inbox.orgHandle();
  const { customerOrgId, invoiceIds } = await seedInvoices((sql, params) => db.query(sql, params), handle, COUNT, { supplierName: SUPPLIER });

  // Two invoices the server (or anyone with the database) altered: a sealed header that no longer
  // matches the signed manifest, and the customer's key grant broken.
  const badHeader = 17;
  const badGrant = 600;
  await db.query('update invoices set sealed_header = set_byte(sealed_header, 30, get_byte(sealed_header, 30) # 1) where id = $1', [invoiceIds[badHeader]]);
  await db.query("update invoice_keys set sealed_dek = set_byte(sealed_dek, 40, get_byte(sealed_dek, 40) # 1) where invoice_id = $1 and org_id = $2 and kind = 'grant'", [invoiceIds[badGrant], customerOrgId]);
  const good = Array.from({ length: COUNT }, (_, i) => i).filter((i) => i !== badHeader && i !== badGrant);
  const due = good.reduce((sum, i) => sum + centsOf(seededHeader(i, SUPPLIER, person.orgName).amounts.payable), 0n);

  const listRequests: URL[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/api/invoices' && url.searchParams.get('box') === 'inbox') listRequests.push(url);
  });
  await inbox.nav('Inbox');
  const status = page.getByText(`${shown(COUNT)} of ${shown(COUNT)} invoices`, { exact: true });
  // Opening 1,100 envelopes through their HPKE grants on a busy two-core machine takes a while.
  await expect(status).toBeVisible({ timeout: 240_000 });

  // Three chunks (500, 500, 100), each asked for after the last invoice of the one before.
  expect(listRequests.map((u) => u.searchParams.get('limit'))).toEqual([String(PAGE_SIZE), String(PAGE_SIZE), String(PAGE_SIZE)]);
  expect(listRequests[0]!.searchParams.has('after')).toBe(false);
  expect(listRequests.slice(1).every((u) => /^[0-9a-f-]{36}$/.test(u.searchParams.get('after') ?? ''))).toBe(true);

  const rows = page.getByTestId('invoice-row');
  const table = page.getByRole('table', { name: 'Received invoices', exact: true });
  await expect(table).toHaveAttribute('aria-rowcount', String(COUNT + 1));
  const inDom = await rows.count();
  expect(inDom).toBeGreaterThan(0);
  expect(inDom).toBeLessThan(200);

  // The totals cover every verified invoice, not the rows on screen.
  const summary = page.getByTestId('invoice-summary');
  await expect(summary.getByRole('row', { name: /^EUR/ })).toContainText(`${euros(due)} (${shown(good.length)})`);
  const totalsOnFirstOpen = await summary.textContent();

  // Sorted by number, ascending: the two unreadable invoices (no number) first, without content.
  await page.getByRole('button', { name: 'Number' }).click();
  await expect(table.getByRole('columnheader', { name: /Number/ })).toHaveAttribute('aria-sort', 'ascending');
  const unreadable = rows.filter({ hasText: '(unreadable)' });
  await expect(unreadable).toHaveCount(2);
  for (const row of await unreadable.all()) {
    await expect(row).toContainText('not verified');
    await expect(row).not.toContainText('€');
    await expect(row).not.toContainText('INV-');
  }
  await expect(rows.nth(2)).toContainText('INV-00000');

  // Scrolled to the end, the last invoice is in the DOM and the first ones are not.
  await page.locator('.invoice-rows').evaluate((viewport) => viewport.scrollTo({ top: viewport.scrollHeight }));
  const last = rows.filter({ hasText: `INV-0${COUNT - 1}` });
  await expect(last).toHaveAttribute('aria-rowindex', String(COUNT + 1));
  await expect(rows.filter({ hasText: 'INV-00000' })).toHaveCount(0);
  expect(await rows.count()).toBeLessThan(200);

  // Search runs over every decrypted row; nothing of an unreadable invoice is searchable.
  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.fill('INV-00777');
  await expect(page.getByText(`1 of ${shown(COUNT)} invoices`, { exact: true })).toBeVisible();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(euros(centsOf(seededHeader(777, SUPPLIER, person.orgName).amounts.payable)));
  await search.fill(`INV-000${badHeader}`);
  await expect(page.getByText(`0 of ${shown(COUNT)} invoices`, { exact: true })).toBeVisible();
  await search.fill('');

  // The first open stored the org's fast-path records and one list-index segment, each for the
  // invoices it verified in full (not the two tampered ones). One fast-path record is then swapped
  // for another invoice's: bound to the other invoice, it must not open wherever it is tried.
  await expect.poll(async () => Number((await db.query("select count(*)::int as n from invoice_keys where org_id = $1 and kind = 'fast'", [customerOrgId]))[0]!.n), { timeout: 120_000 }).toBe(COUNT - 2);
  await db.query(
    "update invoice_keys set sealed_dek = (select sealed_dek from invoice_keys where invoice_id = $2 and org_id = $3 and kind = 'fast') where invoice_id = $1 and org_id = $3 and kind = 'fast'",
    [invoiceIds[5], invoiceIds[6], customerOrgId],
  );

  const segments = async () => (await db.query('select segment_id, record_count from list_index_segments where org_id = $1', [customerOrgId])) as { segment_id: string; record_count: number }[];
  await expect.poll(async () => (await segments()).map((s) => Number(s.record_count))).toEqual([COUNT - 2]);

  // A fresh load (the router may keep the list it showed before), unlocked again: the list comes
  // from the compact list (no manifests) and the index; only the two invoices it has no record for
  // are fetched in full, and the list equals the one the full path built. The compact list's first
  // chunk is asked for together with where the list splits (view=bounds; one chunk here).
  await page.reload();
  await auth.unlockWithPasskey();
  await inbox.nav('Inbox');
  await expect(status).toBeVisible({ timeout: 240_000 });
  const fromIndex = listRequests.slice(3);
  expect(fromIndex.map((u) => u.searchParams.get('view'))).toEqual(['compact', 'bounds', null]);
  expect(fromIndex[2]!.searchParams.get('ids')!.split(',').sort()).toEqual([invoiceIds[badHeader], invoiceIds[badGrant]].sort());
  await expect(summary).toHaveText(totalsOnFirstOpen!);
  await search.fill('INV-00005');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(euros(centsOf(seededHeader(5, SUPPLIER, person.orgName).amounts.payable)));
  await expect(rows.first()).not.toContainText('not verified');
  await search.fill('');
  await page.getByRole('button', { name: 'Number' }).click();
  await expect(table.getByRole('columnheader', { name: /Number/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect(rows.filter({ hasText: '(unreadable)' })).toHaveCount(2);

  // Verified once, for those exact bytes (DESIGN §6): the server now serves invoice 7 with another
  // manifest (its date moved), while its fast-path record stays. The record is bound to the
  // manifest a member verified, so it does not open; the full path finds the signature broken and
  // the row is shown without content, like the other tampered ones.
  const tamperedManifest = 7;
  // (As text: the seeder's manifest is a JSON object on PGlite and a JSON string on PostgreSQL; its
  // createdAt is the one date-time in it.)
  const moved = await db.query("update invoices set manifest = regexp_replace(manifest::text, '\\d{4}-(\\d{2})-(\\d{2})T', '1999-\\1-\\2T')::jsonb where id = $1 and manifest::text ~ '\\d{4}-\\d{2}-\\d{2}T' returning id", [invoiceIds[tamperedManifest]]);
  expect(moved).toHaveLength(1);
  // And the server alters one byte of the index segment: it no longer opens, so every invoice takes
  // the per-invoice path again, and what that verified is indexed anew (invoice 7 no more).
  await db.query('update list_index_segments set ciphertext = set_byte(ciphertext, 40, get_byte(ciphertext, 40) # 1) where org_id = $1', [customerOrgId]);
  const beforeThirdOpen = listRequests.length;
  await page.reload();
  await auth.unlockWithPasskey();
  await inbox.nav('Inbox');
  await expect(status).toBeVisible({ timeout: 240_000 });
  await page.getByRole('button', { name: 'Number' }).click();
  await expect(table.getByRole('columnheader', { name: /Number/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect(rows.filter({ hasText: '(unreadable)' })).toHaveCount(3);
  await search.fill(`INV-0000${tamperedManifest}`);
  await expect(page.getByText(`0 of ${shown(COUNT)} invoices`, { exact: true })).toBeVisible();
  await search.fill('');
  // No record opened, so the list took the full paged list, as on the first open (the compact list,
  // and where it splits, asked for while the listed segment was being opened, are left unused).
  const thirdOpen = listRequests.slice(beforeThirdOpen);
  expect(thirdOpen.filter((u) => !['compact', 'bounds'].includes(u.searchParams.get('view') ?? '')).map((u) => u.searchParams.get('limit'))).toEqual([String(PAGE_SIZE), String(PAGE_SIZE), String(PAGE_SIZE)]);
  await expect.poll(async () => (await segments()).map((s) => Number(s.record_count)).sort((a, b) => a - b)).toEqual([COUNT - 3, COUNT - 2]);
});
