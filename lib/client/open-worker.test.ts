import { afterAll, describe, expect, it, vi } from 'vitest';
import { signMembershipCertificate, type MembershipCertificate } from '@/lib/crypto/certificate';
import { randomBytes, toBase64Url, utf8Encode } from '@/lib/crypto/encoding';
import {
  computeDekCommitment, computeKeyId, encryptHeader, ENVELOPE_VERSION, fastBinding, generateDek, importOrgDekWrapKey, sealDekForOrg, signManifest, wrapDekFast, type FastBinding, type InvoiceManifest,
} from '@/lib/crypto/envelope';
import { sha256 } from '@/lib/crypto/kdf';
import { generateKeyPairs } from '@/lib/crypto/keys';
import type { InvoiceDto, InvoiceListDto, OrgPublicKeys } from '@/lib/shared/invoice-dto';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';
import type { UnlockedOrg } from './account';
import { FastKeyQueue } from './fast-key-queue';
import { genesisKeyring, pinOrg } from './keyring';
import { openInvoiceList, type OpenedInvoice } from './open-invoice';
import { OpenWorkerPool, type OpenJobRunner } from './open-worker-pool';
import type { WorkerReply, WorkerRequest } from './open-worker-job';

const SUPPLIER = '11111111-1111-4111-8111-111111111111';
const CUSTOMER = '22222222-2222-4222-8222-222222222222';
const SIGNER = '33333333-3333-4333-8333-333333333333';
const IMPOSTOR = '55555555-5555-4555-8555-555555555555';
const invoiceId = (n: number) => `44444444-4444-4444-8444-${n.toString(16).padStart(12, '0')}`;

function header(n: number): InvoiceHeader {
  return {
    v: 1, type: 'invoice', number: `INV-${n}`, issueDate: '2025-01-02', dueDate: '2025-03-01', currency: 'EUR',
    amounts: { net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00' },
    seller: { name: 'Supplier GmbH', vatId: 'DE123456789' }, buyer: { name: 'Customer AG', vatId: '' },
    payment: { payeeName: 'Supplier GmbH', iban: 'DE89370400440532013000', bic: '', reference: `REF-${n}`, url: '' },
    notes: '', documents: [],
  };
}

/**
 * The open workers' code (open-invoice.worker.ts) run in this process, behind the message boundary
 * it has in a browser: every request and reply goes through structuredClone, replies with their
 * transfer lists, so a worker that relied on shared objects would fail here too.
 */
async function inProcessWorker(org: UnlockedOrg): Promise<OpenJobRunner & { batches: number }> {
  let onMessage: ((event: { data: WorkerRequest }) => void) | null = null;
  const answers = new Map<number, (reply: WorkerReply) => void>();
  vi.stubGlobal('addEventListener', (type: string, listener: typeof onMessage) => type === 'message' && (onMessage = listener));
  vi.stubGlobal('postMessage', (reply: WorkerReply, transfer: Transferable[]) => {
    const moved = structuredClone(reply, { transfer });
    answers.get(moved.batch)?.(moved);
  });
  vi.resetModules();
  // The stand-ins stay until the end of this file: the worker answers through them.
  await import('./open-invoice.worker');
  // The keys go as they would to a worker (CryptoKeys are cloned by reference to the same key).
  onMessage!({ data: { type: 'keys', org: { orgId: org.orgId, keyVersion: org.keyVersion, keys: org.keys, dekWrapKey: org.dekWrapKey } } });
  let next = 0;
  const runner = {
    batches: 0,
    run: (jobs: Parameters<OpenJobRunner['run']>[0]) =>
      new Promise<Awaited<ReturnType<OpenJobRunner['run']>>>((resolve) => {
        const batch = next++;
        runner.batches++;
        answers.set(batch, (reply) => resolve(reply.outcomes));
        onMessage!({ data: structuredClone({ type: 'open', batch, jobs }) });
      }),
  };
  return runner;
}

describe('opening a list in the open workers', async () => {
  const [supplierKeys, customerKeys, signerKeys, impostorKeys, otherKeys] = await Promise.all([generateKeyPairs(), generateKeyPairs(), generateKeyPairs(), generateKeyPairs(), generateKeyPairs()]);
  const orgSecret = randomBytes(32);
  const org = {
    orgId: CUSTOMER, name: 'Customer AG', handle: 'customer', role: 'owner', keyVersion: 1, keys: customerKeys, orgSecret, fingerprint: 'f',
    dekWrapKey: await importOrgDekWrapKey(orgSecret, { orgId: CUSTOMER, version: 1 }),
  } as unknown as UnlockedOrg;
  const publicKeys = (orgId: string, name: string, keys: typeof supplierKeys): OrgPublicKeys => ({
    orgId, name, handle: name.toLowerCase(), keyVersion: 1, encryptionPublicKey: toBase64Url(keys.encryptionPublicKey), signingPublicKey: toBase64Url(keys.signingPublicKey),
  });
  const orgs = { [SUPPLIER]: publicKeys(SUPPLIER, 'Supplier', supplierKeys), [CUSTOMER]: publicKeys(CUSTOMER, 'Customer', customerKeys), [IMPOSTOR]: publicKeys(IMPOSTOR, 'Impostor', impostorKeys) };
  const certificateOf = (orgId: string): MembershipCertificate => ({
    v: 1, orgId, userId: SIGNER, userSigningKey: toBase64Url(signerKeys.signingPublicKey), userEncryptionKey: toBase64Url(signerKeys.encryptionPublicKey), role: 'owner', version: 1, issuedAt: '2025-01-01T00:00:00.000Z',
  });
  const signers = {
    [`${SIGNER}|${SUPPLIER}`]: { userId: SIGNER, orgId: SUPPLIER, displayName: 'Signer', signingPublicKey: toBase64Url(signerKeys.signingPublicKey), certificate: certificateOf(SUPPLIER), certificateSignature: await signMembershipCertificate(supplierKeys.signingPrivateKey, certificateOf(SUPPLIER)) },
    [`${SIGNER}|${IMPOSTOR}`]: { userId: SIGNER, orgId: IMPOSTOR, displayName: 'Signer', signingPublicKey: toBase64Url(signerKeys.signingPublicKey), certificate: certificateOf(IMPOSTOR), certificateSignature: await signMembershipCertificate(impostorKeys.signingPrivateKey, certificateOf(IMPOSTOR)) },
  };

  type Variant = 'good' | 'fast' | 'stale-fast' | 'other-header' | 'other-signature' | 'mismatch' | 'wrong-grant' | 'no-key' | 'bad-header' | 'changed-pin' | 'unknown-supplier' | 'old-epoch';
  async function sealedInvoice(n: number, variant: Variant): Promise<InvoiceDto> {
    const id = invoiceId(n);
    const supplierOrgId = variant === 'changed-pin' ? IMPOSTOR : variant === 'unknown-supplier' ? '66666666-6666-4666-8666-666666666666' : SUPPLIER;
    const dek = generateDek();
    const plaintext = variant === 'bad-header' ? '{"v":1}' : JSON.stringify(header(n));
    const sealedHeader = await encryptHeader(dek, id, utf8Encode(plaintext), ENVELOPE_VERSION);
    const manifest: InvoiceManifest = {
      v: ENVELOPE_VERSION, invoiceId: id, supplierOrgId, customerOrgId: CUSTOMER, signerUserId: SIGNER, signerKeyId: await computeKeyId(signerKeys.signingPublicKey), createdAt: '2025-01-02T00:00:00.000Z',
      header: { sha256: toBase64Url(await sha256(sealedHeader)), size: sealedHeader.byteLength }, files: [], dekCommitment: toBase64Url(await computeDekCommitment(dek)),
      recipients: [{ orgId: supplierOrgId, keyVersion: 1 }, { orgId: CUSTOMER, keyVersion: 1 }],
    };
    const keyVersion = variant === 'old-epoch' ? 0 : 1;
    const binding = { invoiceId: id, orgId: CUSTOMER, keyVersion };
    const keys: InvoiceDto['keys'] = variant === 'no-key' ? [] : [{ kind: 'grant', orgId: CUSTOMER, keyVersion, sealedDek: toBase64Url(await sealDekForOrg(variant === 'wrong-grant' ? generateDek() : dek, customerKeys.encryptionPublicKey, binding)) }];
    if (variant === 'fast' || variant === 'stale-fast') {
      const bound = await fastBinding(binding, variant === 'fast' ? manifest : { ...manifest, createdAt: '2025-01-03T00:00:00.000Z' }, sealedHeader);
      keys.push({ kind: 'fast', orgId: CUSTOMER, keyVersion, sealedDek: toBase64Url(await wrapDekFast(org.dekWrapKey, dek, bound)) });
    }
    const signature = await signManifest(signerKeys.signingPrivateKey, variant === 'other-signature' ? { ...manifest, createdAt: '2025-01-03T00:00:00.000Z' } : manifest);
    return {
      id, supplierOrgId, customerOrgId: CUSTOMER, signerUserId: SIGNER, status: 'issued', createdAt: manifest.createdAt, updatedAt: manifest.createdAt,
      manifest: (variant === 'mismatch' ? { ...manifest, customerOrgId: SUPPLIER } : manifest) as InvoiceDto['manifest'],
      manifestSignature: signature,
      sealedHeader: toBase64Url(variant === 'other-header' ? await encryptHeader(dek, id, utf8Encode(JSON.stringify(header(n + 1))), ENVELOPE_VERSION) : sealedHeader),
      keys, files: [],
    };
  }

  const variants: Variant[] = ['good', 'fast', 'stale-fast', 'other-header', 'other-signature', 'mismatch', 'wrong-grant', 'no-key', 'bad-header', 'changed-pin', 'unknown-supplier'];
  // Enough for several batches, every kind of failure in each, and one batch with an older epoch's key (opened on the page).
  const kinds = [...Array.from({ length: 150 }, (_, n) => variants[n % variants.length]!), 'old-epoch' as const];
  const list: InvoiceListDto = { invoices: await Promise.all(kinds.map((kind, n) => sealedInvoice(n, kind))), orgs, signers };
  const keyring = genesisKeyring();
  pinOrg(keyring, orgs[SUPPLIER]!, 'supplier-fingerprint');
  pinOrg(keyring, publicKeys(IMPOSTOR, 'Impostor', otherKeys), 'pinned-before');

  /** Opens the list, with what it queued as fast-path copies: invoice, DEK and the hashes they bind. */
  async function open(workers?: OpenJobRunner) {
    const queued: string[] = [];
    class Recording extends FastKeyQueue {
      override async add(_org: UnlockedOrg, dek: Uint8Array, binding: FastBinding) {
        queued.push([binding.invoiceId, binding.orgId, binding.keyVersion, toBase64Url(dek), toBase64Url(binding.manifestSha256), toBase64Url(binding.headerSha256)].join('|'));
      }
    }
    const progress: number[] = [];
    const rows = await openInvoiceList(list, org, keyring, { fastKeys: new Recording(), workers, onProgress: (done) => progress.push(done) });
    return { rows, queued: queued.sort(), progress };
  }
  const onPage = await open();
  afterAll(() => vi.unstubAllGlobals());

  it('covers every outcome on the page path', () => {
    const problems = new Set(onPage.rows.flatMap((r) => r.problems));
    expect([...problems].sort()).toEqual(['certificate', 'header-format', 'header-hash', 'key-commitment', 'manifest-mismatch', 'no-key', 'signature', 'supplier-key-changed'].sort());
    expect(onPage.rows.filter((r) => r.problems.length === 0).length).toBeGreaterThan(30);
    // Every fully verified HPKE open queues its copy; the fast-path opens do not.
    expect(onPage.queued.length).toBe(onPage.rows.filter((r) => r.problems.length === 0).length - kinds.filter((k) => k === 'fast').length);
  });

  it('gives exactly the rows of the page path: same problems in the same order, headers, DEKs, pins and fast-path copies', async () => {
    const workers = await inProcessWorker(org);
    const off = await open(workers);
    expect(workers.batches).toBe(2); // the third batch holds an invoice of an older epoch
    expect(off.rows).toEqual(onPage.rows);
    expect(off.rows.map((r: OpenedInvoice) => r.invoice.id)).toEqual(list.invoices.map((i) => i.id));
    expect(off.queued).toEqual(onPage.queued);
    expect(off.progress.at(-1)).toBe(list.invoices.length);
  });

  it('opens on the page what the workers do not answer: a failed worker never makes a row verified', async () => {
    const failing: OpenJobRunner = { run: async () => null };
    const off = await open(failing);
    expect(off.rows).toEqual(onPage.rows);
    expect(off.queued).toEqual(onPage.queued);
  });

  it('starts no workers where there are none (Node, old browsers)', () => {
    expect(typeof Worker).toBe('undefined');
    expect(OpenWorkerPool.start(org)).toBeNull();
  });
});
