import { z } from 'zod';
import { canonicalManifestBytes, importListIndexKey, openListIndexSegment, sealListIndexSegment, type InvoiceManifest, type ListFields, type ListIndexRecord } from '@/lib/crypto/envelope';
import { equalBytes, fromBase64Url } from '@/lib/crypto/encoding';
import { sha256 } from '@/lib/crypto/kdf';
import type { OrgPublicKeys } from '@/lib/shared/invoice-dto';
import { decodeListChunk, isoTime, LIST_CHUNK_RECORD, LIST_CHUNK_RECORD_BYTES, type ListChunk } from '@/lib/shared/list-chunk';
import { INVOICE_STATUSES, type InvoiceHeader, type InvoiceStatus } from '@/lib/shared/schemas/invoice';
import { LIST_INDEX_SEGMENT_MAX_BYTES, LIST_INDEX_SEGMENT_MAX_RECORDS, listIndexSegmentsSchema } from '@/lib/shared/schemas/list-index';
import type { UnlockedOrg } from './account';
import { api, ApiError, apiErrorFrom } from './api';
import type { Keyring, PinState } from './keyring';
import type { ListChecks, ListedInvoice, ListHeader, OpenedInvoice } from './open-invoice';
import { counterpartyPin, servedOrg, trustedSigningKey, type Lookalike } from './trust';

/**
 * The org's encrypted list index on the client (DESIGN §6): open the segments of the current epoch,
 * show an invoice from its record when the record was made for exactly the invoice, parties,
 * manifest and sealed header the server lists now, and append what the per-invoice path verified.
 * Anything else — no record (never indexed, or its segment withheld), a segment that does not open
 * (tampered, or another org's, epoch's or segment id's), a record for other bytes — takes the
 * per-invoice path with its full checks.
 */
export interface ListIndex {
  /** Records by invoice id; several when members indexed different states of an invoice. */
  records: Map<string, ListIndexRecord[]>;
  /** Segments listed but not opened (withheld, tampered or swapped); their invoices take the full path. */
  unreadable: number;
}

/** How the index reaches the server; replaced in tests. */
export interface ListIndexTransport {
  listSegments(orgId: string): Promise<{ epoch: number; segments: { segmentId: string }[] }>;
  readSegment(orgId: string, segmentId: string): Promise<Uint8Array>;
  appendSegment(orgId: string, epoch: number, segmentId: string, records: number, sealed: Uint8Array): Promise<void>;
}

const SEGMENT_URL = (orgId: string, segmentId: string) => `/api/orgs/${orgId}/list-index/${segmentId}`;

export const HTTP_LIST_INDEX: ListIndexTransport = {
  listSegments: (orgId) => api(`/api/orgs/${orgId}/list-index`, {}, listIndexSegmentsSchema),
  async readSegment(orgId, segmentId) {
    const response = await fetch(SEGMENT_URL(orgId, segmentId), { credentials: 'same-origin' });
    if (!response.ok) throw apiErrorFrom(await response.json().catch(() => null), response.status);
    return new Uint8Array(await response.arrayBuffer());
  },
  async appendSegment(orgId, epoch, segmentId, records, sealed) {
    const response = await fetch(`${SEGMENT_URL(orgId, segmentId)}?epoch=${epoch}&records=${records}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: sealed.slice().buffer,
      credentials: 'same-origin',
    });
    if (!response.ok) throw apiErrorFrom(await response.json().catch(() => null), response.status);
  },
};

/** Segments fetched at once: a handful of requests, leaving connections free for the list pages. */
const SEGMENT_FETCHES = 4;

type IndexOrg = Pick<UnlockedOrg, 'orgId' | 'keyVersion' | 'orgSecret'>;
/** The org's segments as the server lists them now. */
export type ListedSegments = Awaited<ReturnType<ListIndexTransport['listSegments']>>;

/**
 * Segments this tab has opened, by the org secret they were opened with (gone with the unlocked org
 * when the account locks) and then by org, epoch and segment id, the very binding of a segment's
 * AAD. A segment id is written once (the server refuses to replace one), so an opened segment is
 * what opening it again would give; only segments that opened are kept, and only the ones the
 * server lists now are read from here, so a withheld segment is still noticed.
 */
export type OpenedSegments = WeakMap<Uint8Array, Map<string, Promise<ListIndexRecord[]>>>;

/** The tab's opened segments (see OpenedSegments), shared by its lists (home page, inbox, sent). */
export const TAB_OPENED_SEGMENTS: OpenedSegments = new WeakMap();

/** Whether this tab has opened segments of the org's current epoch before (a warm open: the index is there to use). */
export function hasOpenedSegments(org: IndexOrg, opened: OpenedSegments): boolean {
  const prefix = `${org.orgId}|${org.keyVersion}|`;
  for (const key of opened.get(org.orgSecret)?.keys() ?? []) if (key.startsWith(prefix)) return true;
  return false;
}

/**
 * Fetches and opens the org's segments. Only the current epoch's count: a removed member knows the
 * secrets of older epochs and could, with the server, have sealed records for them. A segment that
 * does not open is counted and skipped, never a reason to fail the list.
 */
export async function loadListIndex(org: IndexOrg, transport: ListIndexTransport = HTTP_LIST_INDEX, opened?: OpenedSegments): Promise<ListIndex> {
  return openListIndex(org, await transport.listSegments(org.orgId), transport, opened);
}

/**
 * The index last merged from a tab's opened segments, by the listing it was merged for (org, epoch
 * and segment ids in the server's order). Merging 100,000 records into one map takes a fifth of a
 * second; a later open listed exactly the same segments gets the same map, which nothing changes
 * once made. Only an index whose every segment opened is kept.
 */
const MERGED = new WeakMap<Map<string, Promise<ListIndexRecord[]>>, { listing: string; index: ListIndex }>();

/** Opens the segments of a listing (see loadListIndex); with `opened`, a segment this tab opened before is not fetched again. */
export async function openListIndex(org: IndexOrg, listed: ListedSegments, transport: ListIndexTransport = HTTP_LIST_INDEX, opened?: OpenedSegments): Promise<ListIndex> {
  const index: ListIndex = { records: new Map(), unreadable: 0 };
  if (listed.epoch !== org.keyVersion) return index;
  let keyPromise: Promise<CryptoKey> | null = null;
  const key = () => (keyPromise ??= importListIndexKey(org.orgSecret, org.orgId, org.keyVersion));
  let cache = opened?.get(org.orgSecret);
  if (opened && !cache) opened.set(org.orgSecret, (cache = new Map<string, Promise<ListIndexRecord[]>>()));
  const listing = `${org.orgId}|${org.keyVersion}|${listed.segments.map((s) => s.segmentId).join(',')}`;
  const merged = cache && MERGED.get(cache);
  if (merged?.listing === listing) return merged.index;
  const openSegment = (segmentId: string): Promise<ListIndexRecord[]> => {
    const cacheKey = `${org.orgId}|${org.keyVersion}|${segmentId}`;
    const known = cache?.get(cacheKey);
    if (known) return known;
    const opening = (async () => openListIndexSegment(await key(), await transport.readSegment(org.orgId, segmentId), { orgId: org.orgId, epoch: org.keyVersion, segmentId }))();
    if (cache) {
      const kept = cache;
      kept.set(cacheKey, opening);
      opening.catch(() => kept.delete(cacheKey));
    }
    return opening;
  };
  const queue = [...listed.segments];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      try {
        for (const record of await openSegment(next.segmentId)) {
          const known = index.records.get(record.invoiceId);
          if (known) known.push(record);
          else index.records.set(record.invoiceId, [record]);
        }
      } catch {
        index.unreadable++;
      }
    }
  };
  await Promise.all(Array.from({ length: SEGMENT_FETCHES }, worker));
  if (cache && index.unreadable === 0) MERGED.set(cache, { listing, index });
  return index;
}

/** The list fields of a verified header, as a record keeps them. */
export function listFieldsOf(header: InvoiceHeader): ListFields {
  return {
    type: header.type,
    number: header.number,
    issueDate: header.issueDate,
    dueDate: header.dueDate,
    currency: header.currency,
    net: header.amounts.net,
    tax: header.amounts.tax,
    gross: header.amounts.gross,
    payable: header.amounts.payable,
    sellerName: header.seller.name,
    sellerVatId: header.seller.vatId,
    buyerName: header.buyer.name,
    payeeName: header.payment.payeeName,
    reference: header.payment.reference,
    notes: header.notes,
    einvoiceMismatches: header.einvoiceMismatches?.length ?? 0,
    documents: header.documents.map(({ fileId, name, mediaType, size, role }) => ({ fileId, name, mediaType, size, role })),
  };
}

/** A record's fields in the header's shape, as the list components read them. */
export function listHeaderOf(fields: ListFields): ListHeader {
  return {
    type: fields.type,
    number: fields.number,
    issueDate: fields.issueDate,
    dueDate: fields.dueDate,
    currency: fields.currency,
    amounts: { net: fields.net, tax: fields.tax, gross: fields.gross, payable: fields.payable },
    seller: { name: fields.sellerName, vatId: fields.sellerVatId },
    buyer: { name: fields.buyerName },
    payment: { payeeName: fields.payeeName, reference: fields.reference },
    notes: fields.notes,
    documents: fields.documents,
    einvoiceMismatches: { length: fields.einvoiceMismatches },
  };
}

/**
 * The record of an invoice this client has just verified in full: bound to the hashes of the very
 * manifest and sealed header it checked. Null for anything not fully verified.
 */
export async function recordOf(opened: OpenedInvoice): Promise<ListIndexRecord | null> {
  if (opened.problems.length || !opened.header || !opened.dek) return null;
  const { invoice } = opened;
  // openInvoice hashed these very bytes as it checked them; only an invoice opened otherwise is hashed here.
  const { manifestSha256, headerSha256 } = opened.served ?? {
    manifestSha256: await sha256(canonicalManifestBytes(invoice.manifest as InvoiceManifest)),
    headerSha256: await sha256(fromBase64Url(invoice.sealedHeader)),
  };
  return { invoiceId: invoice.id, supplierOrgId: invoice.supplierOrgId, customerOrgId: invoice.customerOrgId, manifestSha256, headerSha256, dek: opened.dek, fields: listFieldsOf(opened.header) };
}

/** One invoice of a compact chunk as served: its entries in the chunk (see lib/shared/list-chunk.ts). */
export interface CompactInvoice {
  id: string;
  supplierOrgId: string;
  customerOrgId: string;
  status: InvoiceStatus;
  createdAt: string;
  updatedAt: string;
  /** The server's SHA-256 of the canonical manifest and of the sealed header (views into the chunk). */
  manifestSha256: Uint8Array;
  headerSha256: Uint8Array;
}

const UUID = z.regexes.uuid();
const STATUSES = new Set<string>(INVOICE_STATUSES);
// The range of a Date (ECMA-262 §21.4.1.22): a time outside it has no ISO form.
const MAX_TIME_MS = 8.64e15;
const isTime = (value: number): boolean => Number.isInteger(value) && Math.abs(value) <= MAX_TIME_MS;

/**
 * A compact chunk as the server sent it (GET /api/invoices?view=compact): its bytes read as
 * lib/shared/list-chunk.ts describes; a response that is not one is refused as malformed_response.
 */
export async function fetchCompactChunk(url: string, signal?: AbortSignal): Promise<ListChunk> {
  let response: Response;
  let bytes: ArrayBuffer;
  try {
    response = await fetch(url, { credentials: 'same-origin', signal });
    if (!response.ok) throw apiErrorFrom(await response.json().catch(() => null), response.status);
    bytes = await response.arrayBuffer();
  } catch (err) {
    // A connection lost (or the request cancelled) before the whole chunk arrived.
    throw err instanceof ApiError ? err : ApiError.local('network', 'network', 0);
  }
  const chunk = decodeListChunk(new Uint8Array(bytes));
  if (!chunk) throw ApiError.local('malformed_response', 'malformed_response', response.status);
  return chunk;
}

/**
 * Reads a compact chunk's entries into one invoice each. An entry whose own values are wrong (an
 * id that is not a UUID, a party index outside `parties`, a status that is not one, a time that
 * is not one) is flagged as malformed, by its id when it has one, like a malformed item of the full
 * list; a chunk that is not one at all was refused when it was decoded.
 */
export function readCompactChunk(chunk: ListChunk): { invoices: CompactInvoice[]; malformed: (string | null)[] } {
  const invoices: CompactInvoice[] = [];
  const malformed: (string | null)[] = [];
  const { records, view, parties, statuses } = chunk;
  for (let i = 0; i < chunk.count; i++) {
    const id = chunk.ids[i]!;
    if (!UUID.test(id)) {
      malformed.push(null);
      continue;
    }
    const at = i * LIST_CHUNK_RECORD_BYTES;
    const supplierOrgId = parties[chunk.supplier[i]!];
    const customerOrgId = parties[chunk.customer[i]!];
    const status = statuses[chunk.status[i]!];
    const createdAt = view.getFloat64(at + LIST_CHUNK_RECORD.createdAt);
    const updatedAt = view.getFloat64(at + LIST_CHUNK_RECORD.updatedAt);
    if (supplierOrgId === undefined || customerOrgId === undefined || status === undefined || !STATUSES.has(status) || !isTime(createdAt) || !isTime(updatedAt)) {
      malformed.push(id);
      continue;
    }
    invoices.push({
      id,
      supplierOrgId,
      customerOrgId,
      status: status as InvoiceStatus,
      createdAt: isoTime(createdAt),
      updatedAt: isoTime(updatedAt),
      manifestSha256: records.subarray(at + LIST_CHUNK_RECORD.manifestSha256, at + LIST_CHUNK_RECORD.manifestSha256 + 32),
      headerSha256: records.subarray(at + LIST_CHUNK_RECORD.headerSha256, at + LIST_CHUNK_RECORD.headerSha256 + 32),
    });
  }
  return { invoices, malformed };
}

/**
 * What a row from the index needs of its supplier that is the same for every invoice of that
 * supplier: computed once per list (its checks), keyring and served keys object — a chunk's
 * suppliers are few and its invoices thousands — from exactly the inputs the per-row code used.
 */
interface SupplierVerdict {
  org: UnlockedOrg;
  pin: PinState;
  trusted: boolean;
  fingerprint: Promise<string>;
  fingerprinted?: string;
  neverPaid: boolean;
  /** By the VAT id then the payee name the invoice names. */
  lookalikes: Map<string, Map<string, Lookalike[]>>;
}
type RowChecks = Pick<ListChecks, 'fingerprint' | 'lookalikes' | 'neverPaid'>;
const VERDICTS = new WeakMap<RowChecks, WeakMap<Keyring, WeakMap<OrgPublicKeys, SupplierVerdict>>>();

function supplierVerdict(supplier: OrgPublicKeys, org: UnlockedOrg, keyring: Keyring, checks: RowChecks): SupplierVerdict {
  let byKeyring = VERDICTS.get(checks);
  if (!byKeyring) VERDICTS.set(checks, (byKeyring = new WeakMap()));
  let bySupplier = byKeyring.get(keyring);
  if (!bySupplier) byKeyring.set(keyring, (bySupplier = new WeakMap()));
  const kept = bySupplier.get(supplier);
  if (kept && kept.org === org) return kept;
  const isOwnOrgSupplier = supplier.orgId === org.orgId;
  const verdict: SupplierVerdict = {
    org,
    pin: counterpartyPin(keyring, supplier, isOwnOrgSupplier),
    trusted: trustedSigningKey(keyring, supplier.orgId, supplier, isOwnOrgSupplier ? org : null) !== null,
    fingerprint: checks.fingerprint(supplier.orgId, supplier.signingPublicKey, supplier.encryptionPublicKey),
    neverPaid: !isOwnOrgSupplier && checks.neverPaid(keyring, supplier.orgId),
    lookalikes: new Map(),
  };
  void verdict.fingerprint.then((f) => (verdict.fingerprinted = f), () => {});
  bySupplier.set(supplier, verdict);
  return verdict;
}

/**
 * The row of a compactly listed invoice from its record, or null when it must take the per-invoice
 * path: no record made for exactly these parties, manifest and sealed header; the supplier's keys
 * not served or not trusted; or a supplier key that differs from the pin (the full path shows that
 * as the blocking warning). The per-org trust checks of openInvoice apply to the row as to any other.
 */
export async function rowFromIndex(
  served: CompactInvoice,
  index: ListIndex,
  orgs: Record<string, OrgPublicKeys | undefined>,
  org: UnlockedOrg,
  keyring: Keyring,
  checks: RowChecks,
): Promise<ListedInvoice | null> {
  if (served.supplierOrgId !== org.orgId && served.customerOrgId !== org.orgId) return null;
  const record = index.records.get(served.id)?.find(
    (r) => r.supplierOrgId === served.supplierOrgId && r.customerOrgId === served.customerOrgId && equalBytes(r.manifestSha256, served.manifestSha256) && equalBytes(r.headerSha256, served.headerSha256),
  );
  if (!record) return null;
  const supplier = servedOrg(orgs, served.supplierOrgId);
  const customer = servedOrg(orgs, served.customerOrgId);
  if (!supplier) return null;
  const verdict = supplierVerdict(supplier, org, keyring, checks);
  if (verdict.pin === 'changed' || !verdict.trusted) return null;
  const header = listHeaderOf(record.fields);
  const isOwnOrgSupplier = served.supplierOrgId === org.orgId;
  const supplierSeen = isOwnOrgSupplier ? null : { vatIds: header.seller.vatId ? [header.seller.vatId] : [], payeeNames: [header.payment.payeeName] };
  let lookalikes: Lookalike[] = [];
  if (supplierSeen) {
    let byPayee = verdict.lookalikes.get(header.seller.vatId);
    if (!byPayee) verdict.lookalikes.set(header.seller.vatId, (byPayee = new Map()));
    const found = byPayee.get(header.payment.payeeName) ?? checks.lookalikes(keyring, supplier, supplierSeen);
    byPayee.set(header.payment.payeeName, found);
    lookalikes = found;
  }
  return {
    invoice: { id: served.id, supplierOrgId: served.supplierOrgId, customerOrgId: served.customerOrgId, status: served.status, createdAt: served.createdAt, updatedAt: served.updatedAt },
    supplier,
    customer,
    header,
    dek: record.dek,
    problems: [],
    supplierPin: verdict.pin,
    supplierFingerprint: verdict.fingerprinted ?? (await verdict.fingerprint),
    supplierSeen,
    lookalikes,
    neverPaid: verdict.neverPaid,
  };
}

/**
 * Appends records as new segments of the org's current epoch (one per list open, split only past a
 * segment's record limit). A lost append only means those invoices take the per-invoice path again.
 */
export async function appendListIndex(org: Pick<UnlockedOrg, 'orgId' | 'keyVersion' | 'orgSecret'>, records: ListIndexRecord[], transport: ListIndexTransport = HTTP_LIST_INDEX): Promise<number> {
  if (!records.length) return 0;
  const key = await importListIndexKey(org.orgSecret, org.orgId, org.keyVersion);
  let segments = 0;
  const append = async (chunk: ListIndexRecord[]): Promise<void> => {
    const segmentId = globalThis.crypto.randomUUID();
    const sealed = await sealListIndexSegment(key, chunk, { orgId: org.orgId, epoch: org.keyVersion, segmentId });
    // Long notes can make a full segment too large for the server: halve it until it fits.
    if (sealed.length > LIST_INDEX_SEGMENT_MAX_BYTES && chunk.length > 1) {
      const half = Math.ceil(chunk.length / 2);
      await append(chunk.slice(0, half));
      await append(chunk.slice(half));
      return;
    }
    await transport.appendSegment(org.orgId, org.keyVersion, segmentId, chunk.length, sealed);
    segments++;
  };
  for (let i = 0; i < records.length; i += LIST_INDEX_SEGMENT_MAX_RECORDS) await append(records.slice(i, i + LIST_INDEX_SEGMENT_MAX_RECORDS));
  return segments;
}
