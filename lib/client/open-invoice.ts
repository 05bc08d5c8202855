import 'client-only';

import type { MembershipCertificate } from '@/lib/crypto/certificate';
import { CryptoError } from '@/lib/crypto/errors';
import {
  canonicalManifestBytes,
  checkDekCommitment,
  computeKeyId,
  decryptHeader,
  openDekGrant,
  unwrapDekFast,
  verifyManifest,
  type FastBinding,
  type InvoiceManifest,
} from '@/lib/crypto/envelope';
import { equalBytes, fromBase64Url, toBase64Url, utf8Decode } from '@/lib/crypto/encoding';
import { sha256 } from '@/lib/crypto/kdf';
import type { InvoiceDto, InvoiceListDto, OrgPublicKeys } from '@/lib/shared/invoice-dto';
import { invoiceHeaderSchema, type InvoiceHeader } from '@/lib/shared/schemas/invoice';
import { invoiceDtoSchema, invoiceListEnvelopeSchema, orgPublicKeysSchema, signerDtoSchema } from '@/lib/shared/schemas/responses';
import type { z } from 'zod';
import { orgFingerprint, type UnlockedOrg } from './account';
import { api } from './api';
import { epochKeys, type EpochKeys } from './org-epochs';
import type { FastKeyQueue } from './fast-key-queue';
import type { Keyring, PinState } from './keyring';
import { checkCertificate, counterpartyPin, everPaid, findLookalikes, servedOrg, trustedSigningKey, type Lookalike, type SeenIdentity } from './trust';

/** A reason an invoice must not be trusted; each is shown as a blocking warning. */
export type InvoiceProblem =
  | 'signature'
  | 'certificate'
  | 'manifest-mismatch'
  | 'header-hash'
  | 'key-commitment'
  | 'decryption'
  | 'header-format'
  | 'supplier-key-changed'
  | 'no-key';

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
  /** The hashes of the manifest and sealed header checked here, for the org's list-index record (recordOf). */
  served?: ServedHashes;
}

/**
 * The invoice's DEK for this org, checked against the manifest's commitment. The current key
 * version is tried first; an invoice received before a rotation opens with the older epoch's keys,
 * which the current org secret unlocks through the epoch chain (`older`, org-epochs.ts). Within a
 * version the org's fast-path copy (DESIGN §6) is tried first; a copy that does not open, or opens
 * to a DEK the supplier did not commit to (written by a co-member's broken or hostile client),
 * falls back to the HPKE grant, which is what the supplier sealed. Only a grant that fails the
 * commitment is `bad_commitment`.
 */
export async function openDek(
  invoice: Pick<InvoiceDto, 'id' | 'keys'>,
  org: Pick<UnlockedOrg, 'orgId' | 'keyVersion' | 'dekWrapKey' | 'keys'>,
  manifest: { dekCommitment: string },
  older: (version: number) => Promise<EpochKeys | null> = async () => null,
  /** The served manifest's and sealed header's hashes; without them no fast-path record is tried. */
  served: ServedHashes | null = null,
): Promise<{ dek: Uint8Array; viaFastPath: boolean } | null> {
  const mine = invoice.keys.filter((k) => k.orgId === org.orgId);
  const versions = [...new Set(mine.map((k) => k.keyVersion))].sort((a, b) => (a === org.keyVersion ? -1 : b === org.keyVersion ? 1 : b - a));
  for (const keyVersion of versions) {
    const epoch = keyVersion === org.keyVersion ? { keys: org.keys, dekWrapKey: org.dekWrapKey } : await older(keyVersion).catch(() => null);
    if (!epoch) continue;
    const binding = { invoiceId: invoice.id, orgId: org.orgId, keyVersion };
    const fast = served && mine.find((k) => k.kind === 'fast' && k.keyVersion === keyVersion);
    if (fast) {
      try {
        const dek = await unwrapDekFast(epoch.dekWrapKey, fromBase64Url(fast.sealedDek), { ...binding, ...served });
        await checkDekCommitment(dek, manifest);
        return { dek, viaFastPath: true };
      } catch {
        // A record made for another manifest or header, an older format, or a broken copy falls
        // back to the HPKE grant, which is what the supplier sealed, and the full checks.
      }
    }
    const grant = mine.find((k) => k.kind === 'grant' && k.keyVersion === keyVersion);
    if (!grant) continue;
    const dek = await openDekGrant(epoch.keys.encryptionPrivateKey, epoch.keys.encryptionPublicKey, fromBase64Url(grant.sealedDek), binding);
    await checkDekCommitment(dek, manifest);
    // The client then verifies in full and writes a new record, which replaces the broken one.
    return { dek, viaFastPath: false };
  }
  return null;
}

/** SHA-256 of the canonical manifest and of the sealed header, as served: what a fast-path record binds. */
export type ServedHashes = Pick<FastBinding, 'manifestSha256' | 'headerSha256'>;

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
  /**
   * findLookalikes and everPaid, once per keyring and input: both scan the whole keyring (every
   * pinned org; every payment remembered), which per row made a list of n invoices cost n times
   * the keyring's size — quadratic for an org that has paid most of its invoices.
   */
  lookalikes(keyring: Keyring, supplier: OrgPublicKeys, seen: SeenIdentity): Lookalike[];
  neverPaid(keyring: Keyring, orgId: string): boolean;
}

export function createListChecks(): ListChecks {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    let entry = memo.get(key) as Promise<T> | undefined;
    if (!entry) memo.set(key, (entry = compute()));
    return entry;
  };
  // Keyed by the keyring object too: a list that follows a rotation goes on with a new keyring.
  const byKeyring = new WeakMap<Keyring, Map<string, unknown>>();
  const onceFor = <T>(keyring: Keyring, key: string, compute: () => T): T => {
    let entries = byKeyring.get(keyring);
    if (!entries) byKeyring.set(keyring, (entries = new Map()));
    if (!entries.has(key)) entries.set(key, compute());
    return entries.get(key) as T;
  };
  return {
    lookalikes: (keyring, supplier, seen) =>
      onceFor(keyring, JSON.stringify(['lookalikes', supplier.orgId, supplier.name, seen.vatIds, seen.payeeNames]), () => findLookalikes(keyring, supplier, seen)),
    neverPaid: (keyring, orgId) => onceFor(keyring, JSON.stringify(['neverPaid', orgId]), () => !everPaid(keyring, orgId)),
    fingerprint: (orgId, signing, encryption) => once(JSON.stringify(['fingerprint', orgId, signing, encryption]), () => orgFingerprint(orgId, fromBase64Url(signing), fromBase64Url(encryption))),
    certified: (supplierSigningKey, certificate, certificateSignature, userId, orgId, signedAt) =>
      // A member's certificate holds whenever it signed, so its check is shared across the list; a
      // former member's depends on when each invoice was signed.
      once(JSON.stringify(['certificate', toBase64Url(supplierSigningKey), certificate, certificateSignature, userId, orgId, certificate.removedAt === undefined ? null : signedAt]), async () =>
        checkCertificate(supplierSigningKey, certificate, certificateSignature, { userId, orgId, signedAt }),
      ),
    // computeKeyId keeps each key's id itself (lib/crypto/envelope/manifest.ts).
    keyId: (userSigningKey) => computeKeyId(fromBase64Url(userSigningKey)),
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
  const supplier = servedOrg(list.orgs, invoice.supplierOrgId);
  const customer = servedOrg(list.orgs, invoice.customerOrgId);
  const problems = new Set<InvoiceProblem>();
  const result: OpenedInvoice = {
    invoice, supplier, customer, header: null, dek: null, problems: [], signer: null, supplierPin: 'pinned', supplierFingerprint: null, supplierSeen: null, lookalikes: [], neverPaid: false,
  };
  const manifest = invoice.manifest as InvoiceManifest;

  if (supplier) {
    result.supplierFingerprint = await checks.fingerprint(supplier.orgId, supplier.signingPublicKey, supplier.encryptionPublicKey);
    // The own org's keys were proven at unlock; a counterparty's are checked against the pin.
    result.supplierPin = counterpartyPin(keyring, supplier, isOwnOrgSupplier);
    if (result.supplierPin === 'changed') problems.add('supplier-key-changed');
  }
  const supplierSigningKey = supplier ? trustedSigningKey(keyring, supplier.orgId, supplier, isOwnOrgSupplier ? org : null) : null;

  if (manifest.invoiceId !== invoice.id || manifest.supplierOrgId !== invoice.supplierOrgId || manifest.customerOrgId !== invoice.customerOrgId || manifest.signerUserId !== invoice.signerUserId) {
    problems.add('manifest-mismatch');
  }
  const signer = list.signers[`${invoice.signerUserId}|${invoice.supplierOrgId}`];
  const certificate = signer?.certificate as MembershipCertificate | undefined;
  const keyId = certificate ? await checks.keyId(certificate.userSigningKey) : null;
  if (certificate) result.signer = { userId: invoice.signerUserId, displayName: signer?.displayName ?? 'unknown', keyId: keyId! };

  const sealedHeader = fromBase64Url(invoice.sealedHeader);
  // The bytes the signature is over, made once: hashed here and verified below.
  const canonical = canonicalManifestBytes(manifest);
  const served: ServedHashes = { manifestSha256: await sha256(canonical), headerSha256: await sha256(sealedHeader) };
  result.served = served;
  if (manifest.header.size !== sealedHeader.byteLength || !equalBytes(served.headerSha256, fromBase64Url(manifest.header.sha256))) problems.add('header-hash');

  // Verified once per organization (DESIGN §6): a fast-path record that opens under the hashes of
  // this very manifest and sealed header was made by a member's client after it had checked the
  // signature, certificate and commitment of exactly these bytes, so those checks are not redone.
  // It is tried only when nothing cheaper already failed, the supplier's keys are served and trusted
  // (pinned, or this org's own), and the served signer is the one the manifest names; the supplier
  // pin above still applies.
  const fastPathAllowed = problems.size === 0 && !!supplierSigningKey && keyId === manifest.signerKeyId;
  let verifiedBefore = false;
  try {
    const opened = await openDek(invoice, org, manifest, (version) => epochKeys(org, version), fastPathAllowed ? served : null);
    if (!opened) problems.add('no-key');
    else {
      result.dek = opened.dek;
      verifiedBefore = opened.viaFastPath;
    }
  } catch (error) {
    problems.add(error instanceof CryptoError && error.code === 'bad_commitment' ? 'key-commitment' : 'decryption');
  }

  if (!verifiedBefore) {
    const certified =
      !!signer && !!certificate && !!supplierSigningKey &&
      (await checks.certified(supplierSigningKey, certificate, signer.certificateSignature, invoice.signerUserId, invoice.supplierOrgId, manifest.createdAt));
    if (!certified) problems.add('certificate');
    if (!certificate || keyId !== manifest.signerKeyId || !(await verifyManifest(fromBase64Url(certificate.userSigningKey), manifest, invoice.manifestSignature, canonical))) problems.add('signature');
  }

  if (result.dek && problems.size === 0) {
    try {
      const parsed = invoiceHeaderSchema.safeParse(JSON.parse(utf8Decode(await decryptHeader(result.dek, invoice.id, sealedHeader, manifest.v))));
      const manifestFiles = new Set(manifest.files.map((f) => f.fileId));
      if (parsed.success && parsed.data.documents.every((d) => manifestFiles.has(d.fileId))) result.header = parsed.data;
      else problems.add('header-format');
    } catch {
      problems.add('decryption');
    }
  }
  if (problems.size) result.dek = null;
  // Fully verified through the grant: this org's record for these exact bytes, for next time.
  else if (!verifiedBefore && fastKeys && result.dek) void fastKeys.add(org, result.dek, { invoiceId: invoice.id, orgId: org.orgId, keyVersion: org.keyVersion, ...served });
  result.problems = [...problems];
  if (result.header && supplier && !isOwnOrgSupplier) {
    result.supplierSeen = { vatIds: result.header.seller.vatId ? [result.header.seller.vatId] : [], payeeNames: [result.header.payment.payeeName] };
    result.lookalikes = checks.lookalikes(keyring, supplier, result.supplierSeen);
    result.neverPaid = checks.neverPaid(keyring, supplier.orgId);
  }
  return result;
}

const BATCH = 64;

/**
 * Opens a list (or one page of it) in parallel batches (WebCrypto is fastest with a few calls in
 * flight). `checks` may be shared across the pages of one list.
 */
export async function openInvoiceList(
  list: InvoiceListDto,
  org: UnlockedOrg,
  keyring: Keyring,
  options: { onProgress?: (done: number, total: number) => void; checks?: ListChecks; fastKeys?: FastKeyQueue } = {},
): Promise<OpenedInvoice[]> {
  const opened: OpenedInvoice[] = [];
  const checks = options.checks ?? createListChecks();
  for (let i = 0; i < list.invoices.length; i += BATCH) {
    const batch = list.invoices.slice(i, i + BATCH);
    opened.push(...(await Promise.all(batch.map((invoice) => openInvoice(invoice, list, org, keyring, invoice.supplierOrgId === org.orgId, checks, options.fastKeys)))));
    options.onProgress?.(opened.length, list.invoices.length);
  }
  return opened;
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
