import { readFileSync, rmSync } from 'node:fs';
import postgres from 'postgres';
import { computeAuditHash, GENESIS_PREV_HASH } from '@/lib/shared/audit-chain';
import type { Page } from '@playwright/test';
import { expect, newActor, newPerson, test } from './fixtures';
import { InvoicePages } from './pages/invoice-pages';
import { buildRelease } from './release-build';
import { dropLocation, spawnServer, type SpawnedServer } from './spawned-server';
import { spawnedPort } from './targets';
import { pdfFile, xmlFile } from './test-documents';

// Updates without surprises (issue #15): a database and blob store written by the last tagged
// release (v0.1.0, built from git by e2e/release-build.ts) with two accounts, an invoice with
// documents, its events and the audit chain; then the current server starts on the same data
// (its migrations run at start-up) and the same browsers sign in, open and verify everything.
// Runs in the `upgrade` project, on each database.

const NUMBER = 'INV-UPGRADE-1';

type Actor = Awaited<ReturnType<typeof newActor>>;

/**
 * The release's sign-up, as its own pages ask for it: they show the recovery key and check its
 * last group (the current recovery kit hides the key and asks for another group, e2e/pages).
 */
async function signUpOnRelease(actor: Actor, person: ReturnType<typeof newPerson>): Promise<void> {
  const recoveryKey = await actor.auth.signUpUntilRecoveryKit(person);
  await actor.page.getByRole('button', { name: 'I have saved it' }).click();
  await actor.page.getByLabel('Type the last group of your recovery key').fill(recoveryKey.split('-').at(-1)!);
  await actor.page.getByRole('button', { name: 'Confirm and continue' }).click();
  await expect(actor.page).toHaveURL(/\/home$/);
  await actor.auth.expectUnlocked();
}

/** The org's handle on the release's home page (its first code in the organization's details). */
async function releaseOrgHandle(pages: InvoicePages, page: Page): Promise<string> {
  await pages.nav('Home');
  return (await page.locator('dd code').first().textContent())!.trim();
}

test('[supplier] and [customer] whose data the last release wrote sign in after the upgrade, and the invoice opens and verifies byte for byte', async ({ browser, dbTarget }) => {
  test.setTimeout(900_000);
  // The release's build is kept between runs; the first run builds it (several minutes).
  const release = buildRelease();
  const kind = dbTarget.kind;
  const port = spawnedPort(40, kind);
  const servers: SpawnedServer[] = [];
  const started = async (options: { cwd?: string; location?: string; blobDir?: string }) => {
    const server = await spawnServer({ kind, port, keepData: true, ...options, readyPath: options.cwd ? '/api/health' : '/api/ready', env: { AUTH_RATE_LIMIT_PER_MINUTE: '40' } });
    servers.push(server);
    return server;
  };
  const old = await started({ cwd: release.dir });
  const { location, blobDir } = old;
  try {
    const supplier = await newActor(browser, old.url);
    const customer = await newActor(browser, old.url);
    const supplierInvoices = new InvoicePages(supplier.page);
    const customerInvoices = new InvoicePages(customer.page);
    await signUpOnRelease(customer, newPerson('customer'));
    const customerHandle = await releaseOrgHandle(customerInvoices, customer.page);
    await signUpOnRelease(supplier, newPerson('supplier'));

    // Several parts, so the upgraded server reads a multi-part blob the release wrote.
    const files = [pdfFile('upgrade.pdf', 'Invoice written by the last release', 2_500_000), xmlFile('upgrade.xml', 'written by the last release')];
    await supplierInvoices.chooseRecipient(customerHandle);
    await supplierInvoices.fillInvoice({ number: NUMBER, net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX', reference: NUMBER });
    await supplierInvoices.attach(files);
    await supplier.page.getByRole('button', { name: 'Encrypt and send' }).click();
    await expect(supplier.page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/, { timeout: 120_000 });
    const invoiceId = supplier.page.url().split('/').at(-1)!;
    // The customer's first open records the signed `viewed` event.
    await customerInvoices.openFromInbox(NUMBER);
    await expect(customer.page.getByTestId('signature-status')).toContainText('Valid signature');
    // It is posted in the background: the supplier's page shows it once stored (reopened until then).
    await expect(async () => {
      await supplierInvoices.openFromSent(NUMBER);
      await expect(viewedEvent(supplier.page)).toHaveCount(1, { timeout: 2000 });
    }).toPass({ timeout: 60_000 });
    await supplier.auth.signOut();
    await customer.auth.signOut();

    old.child.kill('SIGTERM');
    await old.exited;
    const current = await started({ location, blobDir });
    expect(current.lines().some((line) => line.includes('"event":"server.listening"'))).toBe(true);

    for (const actor of [supplier, customer]) {
      await actor.auth.signIn();
      await actor.auth.expectUnlocked();
    }
    await customerInvoices.openFromInbox(NUMBER);
    await expect(customer.page.getByTestId('signature-status')).toContainText('Valid signature');
    for (const original of files) {
      const download = await customerInvoices.download(original.name);
      expect(readFileSync(await download.path())).toEqual(original.buffer);
    }
    await supplierInvoices.openFromSent(NUMBER);
    expect(supplier.page.url()).toMatch(new RegExp(`/invoices/${invoiceId}$`));
    await expect(supplier.page.getByTestId('verification-badge')).toBeVisible();
    // The history the release wrote verifies under the current code.
    await expect(viewedEvent(supplier.page)).toHaveCount(1);
    await expect(supplier.page.getByTestId('history-warning')).toHaveCount(0);
    // And the upgraded server goes on writing beside the old data.
    await supplierInvoices.nav('New invoice');
    await supplierInvoices.chooseRecipient(customerHandle);
    await supplierInvoices.fillInvoice({ number: 'INV-UPGRADE-2', net: '10.00', tax: '1.90', gross: '11.90', payable: '11.90', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX', reference: 'INV-UPGRADE-2' });
    await supplierInvoices.attach([pdfFile('after.pdf', 'Invoice after the upgrade')]);
    await supplierInvoices.send();
    await customerInvoices.openFromInbox('INV-UPGRADE-2');
    await expect(customer.page.getByTestId('signature-status')).toContainText('Valid signature');

    await supplier.context.close();
    await customer.context.close();
    if (kind === 'postgres') await expectAuditChainIntact(location);
  } finally {
    for (const server of servers.reverse()) await server.dispose();
    await dropLocation(kind, location);
    rmSync(blobDir, { recursive: true, force: true });
  }
});

const viewedEvent = (page: Page) => page.locator('[data-testid="history-event"][data-type="viewed"][data-valid="true"]');

/** Every audit row, those the release wrote and those after the upgrade, links to the one before. */
async function expectAuditChainIntact(location: string): Promise<void> {
  const sql = postgres(location, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ seq: string; at: Date; actor_user_id: string | null; credential_id: string | null; action: string; object_type: string | null; object_id: string | null; outcome: string; reason: string | null; ip: string | null; user_agent: string | null; prev_hash: Uint8Array; hash: Uint8Array }[]>`select * from audit_log order by seq`;
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['invoice.uploaded', 'invoice.viewed']));
    let prev: Uint8Array = GENESIS_PREV_HASH;
    for (const row of rows) {
      expect(Buffer.from(row.prev_hash)).toEqual(Buffer.from(prev));
      const hash = await computeAuditHash(prev, {
        seq: Number(row.seq),
        at: row.at.toISOString(),
        actorUserId: row.actor_user_id,
        credentialId: row.credential_id,
        action: row.action,
        objectType: row.object_type,
        objectId: row.object_id,
        outcome: row.outcome,
        reason: row.reason,
        ip: row.ip,
        userAgent: row.user_agent,
      });
      expect(Buffer.from(row.hash), `audit row ${row.seq}`).toEqual(Buffer.from(hash));
      prev = row.hash;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
