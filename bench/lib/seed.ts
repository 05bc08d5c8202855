// Seeds invoices from a supplier that exists only in Node: its account and org are made with the
// same code a browser runs at sign-up (createAccountMaterial), so Node holds its private keys and
// every invoice is real — sealed header, HPKE grants, signed manifest — as sendInvoice makes it.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { createAccountMaterial } from '@/lib/client/account';
import { importAccountKey, userPrivateKeysAad } from '@/lib/crypto/account';
import { fromBase64Url, toBase64Url, utf8Encode } from '@/lib/crypto/encoding';
import { computeDekCommitment, computeKeyId, encryptHeader, ENVELOPE_VERSION, generateDek, sealDekForOrg, signManifest, type InvoiceManifest } from '@/lib/crypto/envelope';
import { sha256 } from '@/lib/crypto/kdf';
import { unwrapPrivateKeys } from '@/lib/crypto/keys';
import { hashLink, type ChainLink } from '@/lib/crypto/org';
import { invoiceKeys, invoices, memberships, orgChainLinks, organizations, orgKeys, orgSecretGrants, uploads, users } from '@/lib/db/schema';
import * as schema from '@/lib/db/schema';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';

const BATCH = 250;

interface Org {
  orgId: string;
  keyVersion: number;
  encryptionPublicKey: Uint8Array;
}

function headerFor(i: number, supplierName: string, buyerName: string): InvoiceHeader {
  // Spread the dates and amounts, so sorting the list has real work to do.
  const issue = new Date(Date.UTC(2024, 0, 1) + ((i * 7919) % 700) * 86_400_000);
  const due = new Date(issue.getTime() + 30 * 86_400_000);
  const net = ((i * 104_729) % 1_000_000) / 100 + 1;
  const tax = Math.round(net * 19) / 100;
  const gross = (Math.round(net * 100) + Math.round(tax * 100)) / 100;
  return {
    v: 1,
    type: 'invoice',
    number: `INV-${String(i).padStart(5, '0')}`,
    issueDate: issue.toISOString().slice(0, 10),
    dueDate: due.toISOString().slice(0, 10),
    currency: 'EUR',
    amounts: { net: net.toFixed(2), tax: tax.toFixed(2), gross: gross.toFixed(2), payable: gross.toFixed(2) },
    seller: { name: supplierName, vatId: 'DE123456789' },
    buyer: { name: buyerName, vatId: '' },
    payment: { payeeName: supplierName, iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', reference: `INV-${i}`, url: '' },
    notes: '',
    documents: [],
  };
}

/**
 * Creates a supplier user and org directly in the database (no passkey: it never signs in), then
 * `count` invoices from it to `customerHandle`'s org. Returns the supplier org id.
 */
export async function seedInvoices(databaseUrl: string, customerHandle: string, count: number, onProgress?: (done: number) => void): Promise<{ supplierOrgId: string; customerOrgId: string }> {
  const client = postgres(databaseUrl, { max: 4, onnotice: () => {} });
  const db = drizzle(client, { schema });
  try {
    const [customerRow] = await db
      .select({ orgId: organizations.id, name: organizations.name, keyVersion: organizations.currentKeyVersion, encryptionPublicKey: orgKeys.encryptionPublicKey })
      .from(organizations)
      .innerJoin(orgKeys, eq(orgKeys.orgId, organizations.id))
      .where(eq(organizations.handle, customerHandle));
    if (!customerRow) throw new Error(`no org with handle ${customerHandle}`);
    const customer: Org = customerRow;

    const userId = randomUUID();
    const orgId = randomUUID();
    const supplierName = 'Seeded Supplier GmbH';
    const material = await createAccountMaterial(userId, orgId);
    const keys = material.keys;
    const signing = await unwrapPrivateKeys(await importAccountKey(material.accountKey), fromBase64Url(keys.user.wrappedPrivateKeys), userPrivateKeysAad(userId), {
      encryptionPublicKey: fromBase64Url(keys.user.encryptionPublicKey),
      signingPublicKey: fromBase64Url(keys.user.signingPublicKey),
    });
    const buf = (b64: string) => fromBase64Url(b64);
    await db.transaction(async (tx) => {
      await tx.insert(users).values({
        id: userId,
        email: `seeded-${userId}@example.test`,
        displayName: 'Seeded supplier user',
        recoveryConfirmedAt: new Date(),
        encryptionPublicKey: buf(keys.user.encryptionPublicKey),
        signingPublicKey: buf(keys.user.signingPublicKey),
        wrappedPrivateKeys: buf(keys.user.wrappedPrivateKeys),
        recoveryWrappedAccountKey: buf(keys.recoveryWrappedAccountKey),
        recoveryAuthHash: buf(keys.recoveryAuthHash),
        encryptedKeyring: buf(keys.keyring),
        keyringVersion: 1,
      });
      await tx.insert(organizations).values({ id: orgId, name: supplierName, handle: `seeded-supplier-${orgId.slice(0, 8)}`, currentKeyVersion: 1 });
      await tx.insert(orgKeys).values({ orgId, version: 1, encryptionPublicKey: buf(keys.org.encryptionPublicKey), signingPublicKey: buf(keys.org.signingPublicKey), wrappedPrivateKeys: buf(keys.org.wrappedPrivateKeys) });
      await tx.insert(memberships).values({ orgId, userId, role: 'owner', keyVersion: 1, certificate: keys.org.certificate, certificateSignature: keys.org.certificateSignature });
      await tx.insert(orgSecretGrants).values({ orgId, epoch: 1, userId, sealedOrgSecret: buf(keys.org.sealedOrgSecret) });
      await tx.insert(orgChainLinks).values({ orgId, seq: 0, type: 'create', link: keys.org.chain.link, signature: keys.org.chain.signature, orgSignature: keys.org.chain.orgSignature ?? null, hash: await hashLink(keys.org.chain.link as ChainLink) });
    });
    const supplier: Org = { orgId, keyVersion: 1, encryptionPublicKey: buf(keys.org.encryptionPublicKey) };
    const signerKeyId = await computeKeyId(signing.signingPublicKey);

    const base = Date.now() - count * 1000;
    for (let start = 0; start < count; start += BATCH) {
      const made = await Promise.all(
        Array.from({ length: Math.min(BATCH, count - start) }, async (_, k) => {
          const i = start + k;
          const invoiceId = randomUUID();
          const createdAt = new Date(base + i * 1000);
          const dek = generateDek();
          const sealedHeader = await encryptHeader(dek, invoiceId, utf8Encode(JSON.stringify(headerFor(i, supplierName, customerRow.name))), ENVELOPE_VERSION);
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
      await db.transaction(async (tx) => {
        await tx.insert(uploads).values(made.map((m) => m.upload));
        await tx.insert(invoices).values(made.map((m) => m.invoice));
        await tx.insert(invoiceKeys).values(made.flatMap((m) => m.grants));
      });
      onProgress?.(start + made.length);
    }
    return { supplierOrgId: orgId, customerOrgId: customer.orgId };
  } finally {
    await client.end({ timeout: 5 });
  }
}
