import 'client-only';

import type { MembershipCertificate } from '@/lib/crypto/certificate';
import { computeKeyId, type InvoiceManifest } from '@/lib/crypto/envelope';
import { fromBase64Url, toBase64Url } from '@/lib/crypto/encoding';
import type { InvoiceDto, InvoiceListDto, OrgPublicKeys } from '@/lib/shared/invoice-dto';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';
import { invoiceDtoSchema, invoiceListEnvelopeSchema, orgPublicKeysSchema, signerDtoSchema } from '@/lib/shared/schemas/responses';
import type { z } from 'zod';
import { orgFingerprint, type UnlockedOrg } from './account';
import { api } from './api';
import { epochKeys } from './org-epochs';
import type { FastKeyQueue } from './fast-key-queue';
import type { OpenJobRunner } from './open-worker-pool';
import { runOpenJob, type InvoiceProblem, type OpenJob, type OpenOutcome } from './open-worker-job';
import type { Keyring, PinState } from './keyring';
import { checkCertificate, counterpartyPin, everPaid, findLookalikes, servedOrg, trustedSigningKey, type Lookalike, type SeenIdentity } from './trust';

export type { InvoiceProblem, ServedHashes } from './open-worker-job';
export { openDek } from './open-worker-job';

/**
 * The header fields a list shows, sorts, searches, sums and exports, in the header's own shape: a
 * full header is one, and so is a list-index record's (DESIGN §6, lib/client/list-index.ts).
 */
export type ListHeader = Pick<InvoiceHeader, 'type' | 'number' | 'issueDate' | 'dueDate' | 'currency' | 'amounts' | 'notes' | 'documents'> & {
  seller: Pick<InvoiceHeader['seller'], 'name' | 'vatId'>;
  buyer: Pick<InvoiceHeader['buyer'], 'name'>;
  payment: Pick<InvoiceHeader['payment'], 'payeeName' | 'reference'>;
  /** The list shows only how many there are. */
  einvoiceMismatches?: ArrayLike<unknown>;
};

/** What a list row needs of an invoice's server metadata. */
export type ListedInvoiceMeta = Pick<InvoiceDto, 'id' | 'supplierOrgId' | 'customerOrgId' | 'status' | 'createdAt' | 'updatedAt'>;

/** A list row: opened in full (OpenedInvoice) or from the org's list index, with the same per-org trust checks. */
export interface ListedInvoice {
  invoice: ListedInvoiceMeta;
  supplier: OrgPublicKeys | undefined;
  customer: OrgPublicKeys | undefined;
  /** Decrypted details; null when any check failed — never shown as if fine. */
  header: ListHeader | null;
  dek: Uint8Array | null;
  problems: InvoiceProblem[];
  supplierPin: PinState;
  supplierFingerprint: string | null;
  /** For a received invoice: how its supplier presented itself, and the pinned orgs it looks like. */
  supplierSeen: SeenIdentity | null;
  lookalikes: Lookalike[];
  /** A received invoice from a supplier this user never paid ("new supplier — never paid"). */
  neverPaid: boolean;
}

export interface OpenedInvoice extends ListedInvoice {
  invoice: InvoiceDto;
  /** Decrypted details; null when any check failed — never shown as if fine. */
  header: InvoiceHeader | null;
  signer: { userId: string; displayName: string; keyId: string } | null;
}

/**
 * Results that depend only on data shared by many invoices of one list — an org's public keys, a
 * signer's membership certificate — computed once per list rather than once per invoice. Keyed by
 * every input they depend on, so an entry is reused only for the very same bytes; what belongs to
 * one invoice (its manifest signature, header hash, key, commitment) is never cached.
 */
export interface ListChecks {
  fingerprint(orgId: string, signingPublicKey: string, encryptionPublicKey: string): Promise<string>;
  /** The certificate is checked against `supplierSigningKey`, and must name this user and org. */
  certified(supplierSigningKey: Uint8Array, certificate: MembershipCertificate, certificateSignature: string, userId: string, orgId: string, signedAt: string): Promise<boolean>;
  keyId(userSigningKey: string): Promise<string>;
}

export function createListChecks(): ListChecks {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    let entry = memo.get(key) as Promise<T> | undefined;
    if (!entry) memo.set(key, (entry = compute()));
    return entry;
  };
  return {
    fingerprint: (orgId, signing, encryption) => once(JSON.stringify(['fingerprint', orgId, signing, encryption]), () => orgFingerprint(orgId, fromBase64Url(signing), fromBase64Url(encryption))),
    certified: (supplierSigningKey, certificate, certificateSignature, userId, orgId, signedAt) =>
      // A member's certificate holds whenever it signed, so its check is shared across the list; a
      // former member's depends on when each invoice was signed.
      once(JSON.stringify(['certificate', toBase64Url(supplierSigningKey), certificate, certificateSignature, userId, orgId, certificate.removedAt === undefined ? null : signedAt]), async () =>
        checkCertificate(supplierSigningKey, certificate, certificateSignature, { userId, orgId, signedAt }),
      ),
    keyId: (userSigningKey) => once(JSON.stringify(['keyId', userSigningKey]), () => computeKeyId(fromBase64Url(userSigningKey))),
  };
}

/**
 * Opens and checks one invoice (DESIGN §4–§5): the manifest must name this invoice and its parties,
 * be signed by a user whose membership certificate the supplier org's key signed, and commit to the
 * DEK that opened; the sealed header must hash to the signed value. Only then is it decrypted.
 */
export async function openInvoice(
  invoice: InvoiceDto,
  list: Pick<InvoiceListDto, 'orgs' | 'signers'>,
  org: UnlockedOrg,
  keyring: Keyring,
  isOwnOrgSupplier: boolean,
  checks: ListChecks = createListChecks(),
  /** Where the org's fast-path copy goes after an HPKE open; none: no copy is made. */
  fastKeys?: FastKeyQueue,
): Promise<OpenedInvoice> {
  const prepared = await prepareOpen(invoice, list, org, keyring, isOwnOrgSupplier, checks);
  const outcome = await runOpenJob(prepared.job, org, (version) => epochKeys(org, version), prepared.certified);
  return finishOpen(prepared, outcome, org, keyring, isOwnOrgSupplier, fastKeys);
}

interface PreparedOpen {
  result: OpenedInvoice;
  job: OpenJob;
  /** Whether the served signer's certificate holds (supplier key, user, org, time); asked only when needed. */
  certified: () => Promise<boolean>;
}

/** The checks of an invoice's open that need the keyring or the list's shared data (supplier pin, signer): done on the page. */
async function prepareOpen(
  invoice: InvoiceDto,
  list: Pick<InvoiceListDto, 'orgs' | 'signers'>,
  org: UnlockedOrg,
  keyring: Keyring,
  isOwnOrgSupplier: boolean,
  checks: ListChecks,
): Promise<PreparedOpen> {
  const supplier = servedOrg(list.orgs, invoice.supplierOrgId);
  const customer = servedOrg(list.orgs, invoice.customerOrgId);
  const problems: InvoiceProblem[] = [];
  const result: OpenedInvoice = {
    invoice, supplier, customer, header: null, dek: null, problems: [], signer: null, supplierPin: 'pinned', supplierFingerprint: null, supplierSeen: null, lookalikes: [], neverPaid: false,
  };
  const manifest = invoice.manifest as InvoiceManifest;

  if (supplier) {
    result.supplierFingerprint = await checks.fingerprint(supplier.orgId, supplier.signingPublicKey, supplier.encryptionPublicKey);
    // The own org's keys were proven at unlock; a counterparty's are checked against the pin.
    result.supplierPin = counterpartyPin(keyring, supplier, isOwnOrgSupplier);
    if (result.supplierPin === 'changed') problems.push('supplier-key-changed');
  }
  const supplierSigningKey = supplier ? trustedSigningKey(keyring, supplier.orgId, supplier, isOwnOrgSupplier ? org : null) : null;

  if (manifest.invoiceId !== invoice.id || manifest.supplierOrgId !== invoice.supplierOrgId || manifest.customerOrgId !== invoice.customerOrgId || manifest.signerUserId !== invoice.signerUserId) {
    problems.push('manifest-mismatch');
  }
  const signer = list.signers[`${invoice.signerUserId}|${invoice.supplierOrgId}`];
  const certificate = signer?.certificate as MembershipCertificate | undefined;
  const keyId = certificate ? await checks.keyId(certificate.userSigningKey) : null;
  if (certificate) result.signer = { userId: invoice.signerUserId, displayName: signer?.displayName ?? 'unknown', keyId: keyId! };

  const job: OpenJob = {
    invoiceId: invoice.id,
    manifest,
    manifestSignature: invoice.manifestSignature,
    sealedHeader: invoice.sealedHeader,
    keys: invoice.keys.filter((k) => k.orgId === org.orgId),
    problems,
    // A fast-path record is tried only for trusted supplier keys (pinned, or this org's own) and the signer the manifest names.
    fastPathCandidate: !!supplierSigningKey && keyId === manifest.signerKeyId,
    signingKey: certificate && keyId === manifest.signerKeyId ? certificate.userSigningKey : null,
  };
  const certified = async () =>
    !!signer && !!certificate && !!supplierSigningKey &&
    (await checks.certified(supplierSigningKey, certificate, signer.certificateSignature, invoice.signerUserId, invoice.supplierOrgId, manifest.createdAt));
  return { result, job, certified };
}

/** Puts the crypto's outcome into the row; a fully verified HPKE open queues the org's fast-path copy. */
function finishOpen(prepared: PreparedOpen, outcome: OpenOutcome, org: UnlockedOrg, keyring: Keyring, isOwnOrgSupplier: boolean, fastKeys: FastKeyQueue | undefined): OpenedInvoice {
  const { result } = prepared;
  const { supplier } = result;
  result.header = outcome.header;
  result.dek = outcome.dek;
  result.problems = outcome.problems;
  // Fully verified through the grant: this org's record for these exact bytes, for next time.
  if (!outcome.problems.length && !outcome.verifiedBefore && fastKeys && outcome.dek) void fastKeys.add(org, outcome.dek, { invoiceId: result.invoice.id, orgId: org.orgId, keyVersion: org.keyVersion, ...outcome.served });
  if (result.header && supplier && !isOwnOrgSupplier) {
    result.supplierSeen = { vatIds: result.header.seller.vatId ? [result.header.seller.vatId] : [], payeeNames: [result.header.payment.payeeName] };
    result.lookalikes = findLookalikes(keyring, supplier, result.supplierSeen);
    result.neverPaid = !everPaid(keyring, supplier.orgId);
  }
  return result;
}

const BATCH = 64;

/**
 * Opens a list (or one page of it) in parallel batches (WebCrypto is fastest with a few calls in
 * flight). `checks` may be shared across the pages of one list. With `workers`, the crypto of each
 * batch whose keys are all of the org's current version runs off the page (open-worker-pool.ts);
 * a batch the workers do not answer is opened here, as is everything without them.
 */
export async function openInvoiceList(
  list: InvoiceListDto,
  org: UnlockedOrg,
  keyring: Keyring,
  options: { onProgress?: (done: number, total: number) => void; checks?: ListChecks; fastKeys?: FastKeyQueue; workers?: OpenJobRunner | null } = {},
): Promise<OpenedInvoice[]> {
  const checks = options.checks ?? createListChecks();
  const own = (invoice: InvoiceDto) => invoice.supplierOrgId === org.orgId;
  const onPage = (invoice: InvoiceDto) => openInvoice(invoice, list, org, keyring, own(invoice), checks, options.fastKeys);
  const { workers } = options;
  let done = 0;
  const batches: Promise<OpenedInvoice[]>[] = [];
  for (let i = 0; i < list.invoices.length; i += BATCH) {
    const batch = list.invoices.slice(i, i + BATCH);
    const count = () => {
      done += batch.length;
      options.onProgress?.(done, list.invoices.length);
    };
    if (!workers) {
      // One batch at a time: the crypto here shares the page's thread with everything else.
      batches.push(Promise.all(batch.map(onPage)));
      await batches[batches.length - 1];
      count();
      continue;
    }
    // Prepared here, batch after batch, while the workers open the batches before.
    const prepared = await Promise.all(batch.map((invoice) => prepareOpen(invoice, list, org, keyring, own(invoice), checks)));
    batches.push((async () => {
      // An invoice with an older epoch's keys needs the epoch chain, which stays on the page.
      const current = prepared.every((p) => p.job.keys.every((k) => k.keyVersion === org.keyVersion));
      const outcomes = current ? await workers.run(await Promise.all(prepared.map(async (p) => ({ ...p.job, certified: await p.certified() })))) : null;
      // For the inbox bench's waterfall: a batch the workers were given and did not answer.
      if (current && !outcomes) performance.mark('zkinvoice:open-worker-fallback');
      const opened = outcomes
        ? prepared.map((p, n) => finishOpen(p, outcomes[n]!, org, keyring, own(p.result.invoice), options.fastKeys))
        : await Promise.all(batch.map(onPage));
      count();
      return opened;
    })());
    // Seen by the Promise.all below; not reported as unhandled if a later batch's preparation throws first.
    batches[batches.length - 1]!.catch(() => {});
  }
  return (await Promise.all(batches)).flat();
}

/** An invoice list as served, each item checked for shape on its own: `malformed` holds what failed. */
export interface ParsedInvoiceList {
  list: InvoiceListDto & { viewerOrgId?: string };
  /** The ids (when there was one) of items of the wrong shape: flagged, never opened. */
  malformed: (string | null)[];
}

/**
 * Fetches an invoice list (or one invoice) and checks its shape item by item (STYLE §21): one
 * malformed invoice, org or signer entry is left out and reported, the rest still opens.
 */
export async function fetchInvoiceList(path: string): Promise<ParsedInvoiceList> {
  return parseInvoiceList(await api(path, {}, invoiceListEnvelopeSchema));
}

/** Checks a fetched list envelope (or one page of it) item by item: see fetchInvoiceList. */
export function parseInvoiceList(envelope: z.infer<typeof invoiceListEnvelopeSchema>): ParsedInvoiceList {
  const invoices: InvoiceDto[] = [];
  const malformed: (string | null)[] = [];
  for (const item of envelope.invoices) {
    const parsed = invoiceDtoSchema.safeParse(item);
    if (parsed.success) invoices.push(parsed.data);
    else malformed.push(item && typeof item === 'object' && 'id' in item && typeof item.id === 'string' ? item.id : null);
  }
  return {
    list: { invoices, orgs: validEntries(envelope.orgs, orgPublicKeysSchema), signers: validEntries(envelope.signers, signerDtoSchema), viewerOrgId: envelope.viewerOrgId },
    malformed,
  };
}

/** The entries of a served map that have the right shape; the others are left out (their invoices then fail their checks). */
export function validEntries<T>(record: Record<string, unknown>, schema: z.ZodType<T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).flatMap(([key, value]) => {
    const parsed = schema.safeParse(value);
    return parsed.success ? [[key, parsed.data]] : [];
  })) as Record<string, T>;
}
