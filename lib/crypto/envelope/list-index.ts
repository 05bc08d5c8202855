import { openBytes, sealBytes, sealBytesWithNonce } from '../aead';
import { domainLabel } from '../domain';
import { concatByteList, concatBytes, utf8Encode, type Bytes } from '../encoding';
import { CryptoError } from '../errors';
import { hkdfAesGcmKey } from '../kdf';
import { DEK_LENGTH } from './dek';

/**
 * The per-organization encrypted list index (DESIGN §6): append-only segments, each one sealed box
 * holding, for many invoices, what a list row needs — the DEK, the few header fields the list shows,
 * searches and sums — and the hashes of the exact canonical manifest and sealed header a member's
 * client fully verified before it wrote the record (the same bindings as a fast-path record). Only
 * a member (who holds OS) can write a segment; the server can withhold or replay one, never forge
 * or edit it.
 *
 * Plaintext v1: `version(1) ‖ count(u32 BE) ‖ record*`, a record being
 * `invoiceId(16, UUID bytes) ‖ supplierOrgId(16) ‖ customerOrgId(16) ‖ manifestSha256(32) ‖ headerSha256(32) ‖ dek(32) ‖ type(1) ‖
 * einvoiceMismatches(1) ‖ 14 × text ‖ documentCount(1) ‖ document*` with the texts in
 * LIST_TEXT_FIELDS order, a text being `u16 BE length ‖ UTF-8`, and a document
 * `fileId(16) ‖ role(1) ‖ size(u64 BE) ‖ name text ‖ mediaType text`: ~250 bytes an invoice
 * plus ~60 a document and the notes' length.
 */
export const LIST_INDEX_VERSION = 1;

/** A document as a list needs it: searched by name, and fetched and decrypted for the ZIP export. */
export interface ListDocument {
  fileId: string;
  name: string;
  mediaType: string;
  size: number;
  role: 'invoice-pdf' | 'einvoice-xml' | 'attachment';
}

/**
 * The header fields a list shows, sorts, filters, searches, sums and exports (CSV, documents ZIP),
 * and those the per-org trust checks read (seller VAT id, payee name); the bank details and the
 * rest stay on the invoice page, which opens the invoice in full.
 */
export interface ListFields {
  type: 'invoice' | 'credit-note';
  number: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  net: string;
  tax: string;
  gross: string;
  payable: string;
  sellerName: string;
  sellerVatId: string;
  buyerName: string;
  payeeName: string;
  reference: string;
  notes: string;
  /** How many e-invoice differences the supplier confirmed (the list's warning badge). */
  einvoiceMismatches: number;
  documents: ListDocument[];
}

const LIST_TEXT_FIELDS = ['number', 'issueDate', 'dueDate', 'currency', 'net', 'tax', 'gross', 'payable', 'sellerName', 'sellerVatId', 'buyerName', 'payeeName', 'reference', 'notes'] as const;
const DOCUMENT_ROLES = ['invoice-pdf', 'einvoice-xml', 'attachment'] as const;
const MAX_DOCUMENTS = 0xff;

export interface ListIndexRecord {
  invoiceId: string;
  /** The parties the verified manifest named: a list shows the record only for these, as served. */
  supplierOrgId: string;
  customerOrgId: string;
  manifestSha256: Uint8Array;
  headerSha256: Uint8Array;
  dek: Uint8Array;
  fields: ListFields;
}

/** Which org, epoch and segment a segment belongs to: all in its AAD, so none can be swapped. */
export interface SegmentBinding {
  orgId: string;
  epoch: number;
  segmentId: string;
}

const ORG_SECRET_LENGTH = 32;
const HASH_LENGTH = 32;
const UUID_LENGTH = 16;
const FIXED_RECORD_LENGTH = 3 * UUID_LENGTH + 2 * HASH_LENGTH + DEK_LENGTH + 2;
const TYPES = ['invoice', 'credit-note'] as const;
const MAX_TEXT_BYTES = 0xffff;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EMPTY_SALT = new Uint8Array(0);

/**
 * The org's list-index key of one epoch = HKDF(OS, info "zkinvoice/v1/list-index-key|<orgId>|<epoch>"),
 * non-extractable; its own info keeps it apart from the fast-path key and the key that seals the
 * org's private keys, and from the same org's other epochs.
 */
export async function importListIndexKey(orgSecret: Uint8Array, orgId: string, epoch: number): Promise<CryptoKey> {
  if (orgSecret.length !== ORG_SECRET_LENGTH) throw new CryptoError('bad_key', 'org secret must be 32 bytes');
  return hkdfAesGcmKey(orgSecret, EMPTY_SALT, domainLabel('list-index-key', orgId, epoch));
}

/**
 * AAD `zkinvoice/v1/list-index|<orgId>|<epoch>|<segmentId>`: a segment opens only as the very
 * segment of the org and epoch it was written for, so the server cannot pass one org's or epoch's
 * segment off as another's, or one segment id's bytes under another id.
 */
function segmentAad(binding: SegmentBinding): string {
  return domainLabel('list-index', binding.orgId, binding.epoch, binding.segmentId);
}

function uuidBytes(id: string): Bytes {
  if (!UUID_PATTERN.test(id)) throw new CryptoError('bad_format', `not a lower-case UUID: ${id}`);
  const hex = id.replaceAll('-', '');
  return Uint8Array.from({ length: UUID_LENGTH }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function uuidText(bytes: Uint8Array, at = 0): string {
  let out = '';
  for (let i = 0; i < UUID_LENGTH; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    out += HEX[bytes[at + i]!];
  }
  return out;
}

/** One decoder for a whole segment (making one per field costs more than the decoding). */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 text, strict; the short ASCII fields of a record without a decoder call. */
function textAt(bytes: Uint8Array, at: number, length: number): string {
  if (length <= 64) {
    let out = '';
    for (let i = at; i < at + length; i++) {
      const b = bytes[i]!;
      if (b >= 0x80) return strictUtf8(bytes.subarray(at, at + length));
      out += String.fromCharCode(b);
    }
    return out;
  }
  return strictUtf8(bytes.subarray(at, at + length));
}

function strictUtf8(bytes: Uint8Array): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch (cause) {
    throw new CryptoError('bad_format', 'invalid UTF-8', { cause });
  }
}

function encodeText(value: string, name: string): Bytes {
  const text = utf8Encode(value);
  if (text.length > MAX_TEXT_BYTES) throw new CryptoError('bad_format', `record field ${name} too long`);
  return concatBytes(Uint8Array.of(text.length >> 8, text.length & 0xff), text);
}

/** The plaintext of a segment (exported for the golden vectors and the size budget). */
export function encodeListIndex(records: readonly ListIndexRecord[]): Bytes {
  const parts: Uint8Array[] = [];
  const head = new Uint8Array(5);
  head[0] = LIST_INDEX_VERSION;
  new DataView(head.buffer).setUint32(1, records.length);
  parts.push(head);
  for (const record of records) {
    if (record.manifestSha256.length !== HASH_LENGTH || record.headerSha256.length !== HASH_LENGTH) throw new CryptoError('bad_format', 'record hashes must be 32 bytes');
    if (record.dek.length !== DEK_LENGTH) throw new CryptoError('bad_key', 'DEK must be 32 bytes');
    const { fields } = record;
    const type = TYPES.indexOf(fields.type);
    if (type < 0 || !Number.isInteger(fields.einvoiceMismatches) || fields.einvoiceMismatches < 0 || fields.einvoiceMismatches > 0xff) {
      throw new CryptoError('bad_format', 'record fields out of range');
    }
    parts.push(uuidBytes(record.invoiceId), uuidBytes(record.supplierOrgId), uuidBytes(record.customerOrgId), record.manifestSha256, record.headerSha256, record.dek, Uint8Array.of(type, fields.einvoiceMismatches));
    for (const name of LIST_TEXT_FIELDS) parts.push(encodeText(fields[name], name));
    if (fields.documents.length > MAX_DOCUMENTS) throw new CryptoError('bad_format', 'too many documents in a record');
    parts.push(Uint8Array.of(fields.documents.length));
    for (const document of fields.documents) {
      const role = DOCUMENT_ROLES.indexOf(document.role);
      if (role < 0 || !Number.isSafeInteger(document.size) || document.size < 0) throw new CryptoError('bad_format', 'record document out of range');
      const size = new Uint8Array(8);
      new DataView(size.buffer).setBigUint64(0, BigInt(document.size));
      parts.push(uuidBytes(document.fileId), Uint8Array.of(role), size, encodeText(document.name, 'document name'), encodeText(document.mediaType, 'document type'));
    }
  }
  return concatByteList(parts);
}

/** Parses a segment's plaintext; any inconsistency (it authenticated, so a writer's bug) → `bad_format`. */
export function decodeListIndex(plaintext: Uint8Array): ListIndexRecord[] {
  if (plaintext.length < 5) throw new CryptoError('bad_format', 'list index too short');
  if (plaintext[0] !== LIST_INDEX_VERSION) throw new CryptoError('unsupported_version', `list index v${plaintext[0]}`);
  const view = new DataView(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
  const count = view.getUint32(1);
  const records: ListIndexRecord[] = [];
  let at = 5;
  // Where the next `length` bytes start; copies are made only of what a record keeps as bytes.
  const skip = (length: number): number => {
    if (at + length > plaintext.length) throw new CryptoError('bad_format', 'list index truncated');
    const start = at;
    at += length;
    return start;
  };
  const take = (length: number): Uint8Array => {
    const start = skip(length);
    return plaintext.slice(start, start + length);
  };
  const byte = (): number => plaintext[skip(1)]!;
  const uuid = (): string => uuidText(plaintext, skip(UUID_LENGTH));
  const text = (): string => {
    const length = (byte() << 8) | byte();
    return textAt(plaintext, skip(length), length);
  };
  for (let i = 0; i < count; i++) {
    if (at + FIXED_RECORD_LENGTH > plaintext.length) throw new CryptoError('bad_format', 'list index truncated');
    const invoiceId = uuid();
    const supplierOrgId = uuid();
    const customerOrgId = uuid();
    const manifestSha256 = take(HASH_LENGTH);
    const headerSha256 = take(HASH_LENGTH);
    const dek = take(DEK_LENGTH);
    const type = byte();
    const einvoiceMismatches = byte();
    const kind = TYPES[type];
    if (!kind) throw new CryptoError('bad_format', `list index record type ${type}`);
    // In the order of LIST_TEXT_FIELDS (an object literal's values are read in source order).
    const fields: ListFields = {
      type: kind,
      number: text(),
      issueDate: text(),
      dueDate: text(),
      currency: text(),
      net: text(),
      tax: text(),
      gross: text(),
      payable: text(),
      sellerName: text(),
      sellerVatId: text(),
      buyerName: text(),
      payeeName: text(),
      reference: text(),
      notes: text(),
      einvoiceMismatches,
      documents: [],
    };
    const documents: ListDocument[] = fields.documents;
    for (let n = byte(); n > 0; n--) {
      const fileId = uuid();
      const role = DOCUMENT_ROLES[byte()];
      if (!role) throw new CryptoError('bad_format', 'list index document role');
      const size = view.getBigUint64(skip(8));
      if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw new CryptoError('bad_format', 'list index document size');
      documents.push({ fileId, role, size: Number(size), name: text(), mediaType: text() });
    }
    records.push({ invoiceId, supplierOrgId, customerOrgId, manifestSha256, headerSha256, dek, fields });
  }
  if (at !== plaintext.length) throw new CryptoError('bad_format', 'list index has trailing bytes');
  return records;
}

/** Seals a segment of records for the org and epoch of `key`, under a fresh random nonce. */
export async function sealListIndexSegment(key: CryptoKey, records: readonly ListIndexRecord[], binding: SegmentBinding): Promise<Bytes> {
  return sealBytes(key, encodeListIndex(records), segmentAad(binding));
}

/** Golden test vectors only: a fixed nonce. Production code calls `sealListIndexSegment`. */
export async function sealListIndexSegmentWithNonce(key: CryptoKey, records: readonly ListIndexRecord[], binding: SegmentBinding, nonce: Uint8Array): Promise<Bytes> {
  return sealBytesWithNonce(key, nonce, encodeListIndex(records), segmentAad(binding));
}

/** Wrong key (org or epoch), wrong binding (another segment id) or tampering → `decrypt_failed`. */
export async function openListIndexSegment(key: CryptoKey, sealed: Uint8Array, binding: SegmentBinding): Promise<ListIndexRecord[]> {
  return decodeListIndex(await openBytes(key, sealed, segmentAad(binding)));
}
