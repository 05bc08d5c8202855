// Seeds invoices from a supplier that exists only in Node: its account and org are made with the
// same code a browser runs at sign-up (createAccountMaterial), so Node holds its private keys and
// every invoice is real — sealed header, HPKE grants, signed manifest — as sendInvoice makes it.
// Rows go in through plain SQL (drizzle builds it), so one seeder serves the e2e specs on both
// databases (e2e/db.ts) and the benchmarks (bench/lib/seed.ts).
import { randomUUID } from 'node:crypto';
import { drizzle } from 'drizzle-orm/postgres-js';
import { createAccountMaterial } from '@/lib/client/account';
import { importAccountKey, userPrivateKeysAad } from '@/lib/crypto/account';
import { fromBase64Url, toBase64Url, utf8Encode } from '@/lib/crypto/encoding';
import { computeDekCommitment, computeKeyId, encryptHeader, ENVELOPE_VERSION, generateDek, sealDekForOrg, signManifest, type InvoiceManifest } from '@/lib/crypto/envelope';
import { sha256 } from '@/lib/crypto/kdf';
import { unwrapPrivateKeys } from '@/lib/crypto/keys';
import { hashLink, type ChainLink } from '@/lib/crypto/org';
import { invoiceKeys, invoices, memberships, orgChainLinks, organizations, orgKeys, orgSecretGrants, uploads, users } from '@/lib/db/schema';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';

/** Anything that runs parameterized SQL on the server's database (TestDatabase, a postgres.js client). */
export type RunSql = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

const BATCH = 250;
// Builds SQL only; never connects.
const sqlBuilder = drizzle.mock();

interface Org {
  orgId: string;
  keyVersion: number;
  encryptionPublicKey: Uint8Array;
}

/** The header of seeded invoice `i`: dates and amounts spread, so sorting and totals have real work to do. */
export function seededHeader(i: number, supplierName: string, buyerName: string): InvoiceHeader {
  const issue = new Date(Date.UTC(2024, 0, 1) + ((i * 7919) % 700) * 86_400_000);
  const due = new Date(issue.getTime() + 30 * 86_400_000);
  const netCents = ((i * 104_729) % 1_000_000) + 100;
  const taxCents = Math.round(netCents * 0.19);
  const cents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;
  return {
    v: 1,
    type: 'invoice',
    number: `INV-${String(i).padStart(5, '0')}`,
    issueDate: issue.toISOString().slice(0, 10),
    dueDate: due.toISOString().slice(0, 10),
    currency: 'EUR',
    amounts: { net: cents(netCents), tax: cents(taxCents), gross: cents(netCents + taxCents), payable: cents(netCents + taxCents) },
    seller: { name: supplierName, vatId: 'DE123456789' },
    buyer: { name: buyerName, vatId: '' },
    payment: { payeeName: supplierName, iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', reference: `INV-${i}`, url: '' },
    notes: '',
    documents: [],
  };
}

async function run(runSql: RunSql, query: { toSQL(): { sql: string; params: unknown[] } }): Promise<void> {
  const { sql, params } = query.toSQL();
  await runSql(sql, params);
}

/**
 * Creates a supplier user and org directly in the database (no passkey: it never signs in), then
 * `count` invoices from it to `customerHandle`'s org, numbered INV-00000 onwards (seededHeader).
 */
export async function seedInvoices(
  runSql: RunSql,
  customerHandle: string,
  count: number,
  options: { supplierName?: string; onProgress?: (done: number) => void } = {},
): Promise<{ supplierOrgId: string; customerOrgId: string; invoiceIds: string[] }> {
  const [customerRow] = await runSql(
    'select o.id, o.name, o.current_key_version, k.encryption_public_key from organizations o join org_keys k on k.org_id = o.id and k.version = o.current_key_version where o.handle = $1',
    [customerHandle],
  );
  if (!customerRow) throw new Error(`no org with handle ${customerHandle}`);
  const customer: Org = { orgId: String(customerRow.id), keyVersion: Number(customerRow.current_key_version), encryptionPublicKey: new Uint8Array(customerRow.encryption_public_key as Uint8Array) };
  const customerName = String(customerRow.name);

  const userId = randomUUID();
  const orgId = randomUUID();
  const supplierName = options.supplierName ?? 'Seeded Supplier GmbH';
  const material = await createAccountMaterial(userId, orgId);
  const keys = material.keys;
  const signing = await unwrapPrivateKeys(await importAccountKey(material.accountKey), fromBase64Url(keys.user.wrappedPrivateKeys), userPrivateKeysAad(userId), {
    encryptionPublicKey: fromBase64Url(keys.user.encryptionPublicKey),
    signingPublicKey: fromBase64Url(keys.user.signingPublicKey),
  });
  const buf = (b64: string) => fromBase64Url(b64);
  await run(runSql, sqlBuilder.insert(users).values({
    id: userId,
    email: `seeded-${userId}@example.test`,
    displayName: 'Seeded supplier user',
    recoveryConfirmedAt: new Date(),
    encryptionPublicKey: buf(keys.user.encryptionPublicKey),
    signingPublicKey: buf(keys.user.signingPublicKey),
    wrappedPrivateKeys: buf(keys.user.wrappedPrivateKeys),
    recoveryWrappedAccountKey: buf(keys.recoveryWrappedAccountKey),
    recoveryAuthHash: buf(keys.recoveryAuthHash),
  }));
  await run(runSql, sqlBuilder.insert(organizations).values({ id: orgId, name: supplierName, handle: `seeded-supplier-${orgId.slice(0, 8)}`, currentKeyVersion: 1 }));
  await run(runSql, sqlBuilder.insert(orgKeys).values({ orgId, version: 1, encryptionPublicKey: buf(keys.org.encryptionPublicKey), signingPublicKey: buf(keys.org.signingPublicKey), wrappedPrivateKeys: buf(keys.org.wrappedPrivateKeys) }));
  await run(runSql, sqlBuilder.insert(memberships).values({ orgId, userId, role: 'owner', keyVersion: 1, certificate: keys.org.certificate, certificateSignature: keys.org.certificateSignature }));
  await run(runSql, sqlBuilder.insert(orgSecretGrants).values({ orgId, epoch: 1, userId, sealedOrgSecret: buf(keys.org.sealedOrgSecret) }));
  await run(runSql, sqlBuilder.insert(orgChainLinks).values({ orgId, seq: 0, type: 'create', link: keys.org.chain.link, signature: keys.org.chain.signature, orgSignature: keys.org.chain.orgSignature ?? null, hash: await hashLink(keys.org.chain.link as ChainLink) }));
  const supplier: Org = { orgId, keyVersion: 1, encryptionPublicKey: buf(keys.org.encryptionPublicKey) };
  const signerKeyId = await computeKeyId(signing.signingPublicKey);

  const invoiceIds: string[] = [];
  const base = Date.now() - count * 1000;
  for (let start = 0; start < count; start += BATCH) {
    const made = await Promise.all(
      Array.from({ length: Math.min(BATCH, count - start) }, async (_, k) => {
        const i = start + k;
        const invoiceId = randomUUID();
        const createdAt = new Date(base + i * 1000);
        const dek = generateDek();
        const sealedHeader = await encryptHeader(dek, invoiceId, utf8Encode(JSON.stringify(seededHeader(i, supplierName, customerName))), ENVELOPE_VERSION);
        const recipients = [supplier, customer];
        const manifest: InvoiceManifest = {
          v: ENVELOPE_VERSION,
          invoiceId,
          supplierOrgId: supplier.orgId,
          customerOrgId: customer.orgId,
          signerUserId: userId,
          signerKeyId,
          createdAt: createdAt.toISOString(),
          header: { sha256: toBase64Url(await sha256(sealedHeader)), size: sealedHeader.byteLength },
          files: [],
          dekCommitment: toBase64Url(await computeDekCommitment(dek)),
          recipients: recipients.map((r) => ({ orgId: r.orgId, keyVersion: r.keyVersion })),
        };
        const grants = await Promise.all(
          recipients.map(async (r) => ({
            invoiceId,
            orgId: r.orgId,
            keyVersion: r.keyVersion,
            kind: 'grant' as const,
            sealedDek: await sealDekForOrg(dek, r.encryptionPublicKey, { invoiceId, orgId: r.orgId, keyVersion: r.keyVersion }),
          })),
        );
        return {
          upload: { id: invoiceId, supplierOrgId: supplier.orgId, customerOrgId: customer.orgId, createdBy: userId, files: [], createdAt, expiresAt: createdAt, committedAt: createdAt },
          invoice: { id: invoiceId, supplierOrgId: supplier.orgId, customerOrgId: customer.orgId, signerUserId: userId, manifest, manifestSignature: await signManifest(signing.signingPrivateKey, manifest), sealedHeader, createdAt, updatedAt: createdAt },
          grants,
        };
      }),
    );
    await run(runSql, sqlBuilder.insert(uploads).values(made.map((m) => m.upload)));
    await run(runSql, sqlBuilder.insert(invoices).values(made.map((m) => m.invoice)));
    await run(runSql, sqlBuilder.insert(invoiceKeys).values(made.flatMap((m) => m.grants)));
    invoiceIds.push(...made.map((m) => m.invoice.id));
    options.onProgress?.(start + made.length);
  }
  return { supplierOrgId: orgId, customerOrgId: customer.orgId, invoiceIds };
}
