// Bundled by bench/inbox.ts: times each step openInvoice performs per invoice, one step at a time
// over many invoices in batches of 64 (as openInvoiceList batches), to show where an inbox's
// opening time goes. The steps are the real lib/crypto calls on real envelopes made in this page.
import { orgFingerprint } from '@/lib/client/account';
import { signMembershipCertificate, verifyMembershipCertificate, type MembershipCertificate } from '@/lib/crypto/certificate';
import { fromBase64Url, toBase64Url, utf8Decode, utf8Encode } from '@/lib/crypto/encoding';
import {
  checkDekCommitment,
  computeDekCommitment,
  computeKeyId,
  decryptHeader,
  encryptHeader,
  ENVELOPE_VERSION,
  generateDek,
  importOrgDekWrapKey,
  openDekGrant,
  sealDekForOrg,
  signManifest,
  unwrapDekFast,
  verifyManifest,
  wrapDekFast,
  fastBinding,
  type InvoiceManifest,
} from '@/lib/crypto/envelope';
import { sha256 } from '@/lib/crypto/kdf';
import { generateKeyPairs } from '@/lib/crypto/keys';
import { generateOrgSecret } from '@/lib/crypto/org';
import { invoiceHeaderSchema } from '@/lib/shared/schemas/invoice';

const BATCH = 64;

async function batched<T>(items: T[], step: (item: T) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < items.length; i += BATCH) await Promise.all(items.slice(i, i + BATCH).map(step));
  return performance.now() - started;
}

async function run(count: number): Promise<Record<string, number>> {
  const customerOrgId = crypto.randomUUID();
  const supplierOrgId = crypto.randomUUID();
  const userId = crypto.randomUUID();
  const [customerKeys, supplierOrgKeys, userKeys] = await Promise.all([generateKeyPairs(), generateKeyPairs(), generateKeyPairs()]);
  const dekWrapKey = await importOrgDekWrapKey(generateOrgSecret(), { orgId: customerOrgId, version: 1 });
  const certificate: MembershipCertificate = {
    v: 1, orgId: supplierOrgId, userId, userSigningKey: toBase64Url(userKeys.signingPublicKey), userEncryptionKey: toBase64Url(userKeys.encryptionPublicKey), role: 'owner', version: 1, issuedAt: new Date().toISOString(),
  };
  const certificateSignature = await signMembershipCertificate(supplierOrgKeys.signingPrivateKey, certificate);
  const signerKeyId = await computeKeyId(userKeys.signingPublicKey);
  const header = utf8Encode(JSON.stringify({
    v: 1, type: 'invoice', number: 'INV-00042', issueDate: '2026-01-02', dueDate: '2026-02-01', currency: 'EUR',
    amounts: { net: '1000.00', tax: '190.00', gross: '1190.00', payable: '1190.00' },
    seller: { name: 'Seeded Supplier GmbH', vatId: 'DE123456789' }, buyer: { name: 'Customer AG', vatId: '' },
    payment: { payeeName: 'Seeded Supplier GmbH', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', reference: 'INV-42', url: '' }, notes: '', documents: [],
  }));
  const invoices = await Promise.all(
    Array.from({ length: count }, async () => {
      const invoiceId = crypto.randomUUID();
      const dek = generateDek();
      const binding = { invoiceId, orgId: customerOrgId, keyVersion: 1 };
      const sealedHeader = await encryptHeader(dek, invoiceId, header, ENVELOPE_VERSION);
      const manifest: InvoiceManifest = {
        v: ENVELOPE_VERSION, invoiceId, supplierOrgId, customerOrgId, signerUserId: userId, signerKeyId, createdAt: new Date().toISOString(),
        header: { sha256: toBase64Url(await sha256(sealedHeader)), size: sealedHeader.byteLength }, files: [],
        dekCommitment: toBase64Url(await computeDekCommitment(dek)), recipients: [{ orgId: supplierOrgId, keyVersion: 1 }, { orgId: customerOrgId, keyVersion: 1 }],
      };
      const fastRecordBinding = await fastBinding(binding, manifest, sealedHeader);
      return {
        binding, fastRecordBinding, dek, sealedHeader, manifest,
        signature: await signManifest(userKeys.signingPrivateKey, manifest),
        grant: await sealDekForOrg(dek, customerKeys.encryptionPublicKey, binding),
        fast: await wrapDekFast(dekWrapKey, dek, fastRecordBinding),
      };
    }),
  );
  const userSigningKey = fromBase64Url(certificate.userSigningKey);
  const times: Record<string, number> = {
    orgFingerprint: await batched(invoices, () => orgFingerprint(supplierOrgId, supplierOrgKeys.signingPublicKey, supplierOrgKeys.encryptionPublicKey)),
    verifyMembershipCertificate: await batched(invoices, () => verifyMembershipCertificate(supplierOrgKeys.signingPublicKey, certificate, certificateSignature)),
    computeKeyId: await batched(invoices, () => computeKeyId(userSigningKey)),
    verifyManifest: await batched(invoices, (i) => verifyManifest(userSigningKey, i.manifest, i.signature)),
    sha256SealedHeader: await batched(invoices, (i) => sha256(i.sealedHeader)),
    openDekGrantHpke: await batched(invoices, (i) => openDekGrant(customerKeys.encryptionPrivateKey, customerKeys.encryptionPublicKey, i.grant, i.binding)),
    fastBindingHashes: await batched(invoices, (i) => fastBinding(i.binding, i.manifest, i.sealedHeader)),
    wrapDekFastAfterHpke: await batched(invoices, (i) => wrapDekFast(dekWrapKey, i.dek, i.fastRecordBinding)),
    unwrapDekFast: await batched(invoices, (i) => unwrapDekFast(dekWrapKey, i.fast, i.fastRecordBinding)),
    checkDekCommitment: await batched(invoices, (i) => checkDekCommitment(i.dek, i.manifest)),
    decryptHeader: await batched(invoices, (i) => decryptHeader(i.dek, i.binding.invoiceId, i.sealedHeader, i.manifest.v)),
  };
  const plaintexts = await Promise.all(invoices.map((i) => decryptHeader(i.dek, i.binding.invoiceId, i.sealedHeader, i.manifest.v)));
  let started = performance.now();
  for (const p of plaintexts) invoiceHeaderSchema.safeParse(JSON.parse(utf8Decode(p)));
  times.parseAndValidateHeader = performance.now() - started;
  started = performance.now();
  for (const i of invoices) JSON.parse(JSON.stringify(i.manifest));
  times.jsonRoundTripManifest = performance.now() - started;
  return times;
}

(globalThis as unknown as { zkInboxOps: unknown }).zkInboxOps = { run };
