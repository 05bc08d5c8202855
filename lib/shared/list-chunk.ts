import { z } from 'zod';
import { utf8Decode, utf8Encode } from '../crypto/encoding';

/**
 * One chunk of the compact list on the wire (GET /api/invoices?view=compact, DESIGN §6), binary:
 * a 100,000-invoice list is 20 of these, and ids, times and hashes are bytes that JSON, base64 and
 * compression only cost time to write and read (the server's one Node thread was the limit).
 *
 *   offset  size         field
 *   0       4            "ZKLC"
 *   4       1            format version, 1
 *   5       4            m: byte length of the meta, unsigned big-endian
 *   9       m            meta: UTF-8 JSON (ListChunkMeta): parties, statuses, orgs, nextCursor
 *   9+m     4            n: invoices in the chunk, unsigned big-endian
 *   13+m    96·n         one record an invoice, in id order: its id (16 bytes, RFC 9562 byte
 *                       order), creation and last change in milliseconds since the epoch (IEEE 754
 *                       binary64, big-endian), the SHA-256 of its canonical manifest, then of its
 *                       sealed header (what an org's list-index record is bound to)
 *   then    2·n          its supplier: an index into meta.parties (unsigned 16-bit, big-endian)
 *   then    2·n          its customer, the same
 *   then    n            its status: an index into meta.statuses
 *
 * Nothing follows. No manifest, sealed header or keys. A chunk of the wrong length, magic, version
 * or meta is refused whole; an invoice whose own values are wrong is flagged alone by the reader
 * (lib/client/list-index.ts). lib/shared/list-chunk.test.ts holds the format's golden vector.
 */
export const LIST_CHUNK_VERSION = 1;
const MAGIC = [0x5a, 0x4b, 0x4c, 0x43];
/** Bytes of one invoice's record: id, two times, two SHA-256. */
export const LIST_CHUNK_RECORD_BYTES = 96;
/** Offsets within a record. */
export const LIST_CHUNK_RECORD = { id: 0, createdAt: 16, updatedAt: 24, manifestSha256: 32, headerSha256: 64 } as const;
const PER_INVOICE_BYTES = LIST_CHUNK_RECORD_BYTES + 2 + 2 + 1;
/** Far more than any chunk's meta (a chunk's parties and their public keys). */
const META_MAX_BYTES = 16 * 1024 * 1024;

export const listChunkMetaSchema = z.object({
  parties: z.array(z.uuid()).max(0xffff),
  statuses: z.array(z.string()).max(0xff),
  orgs: z.record(z.string(), z.unknown()),
  /** The id to ask for the next chunk after; null on the last. */
  nextCursor: z.uuid().nullable(),
});
export type ListChunkMeta = z.infer<typeof listChunkMetaSchema>;

/** A chunk's columns as the encoder takes them: n records of LIST_CHUNK_RECORD_BYTES, n entries each. */
export interface ListChunkColumns {
  records: Uint8Array;
  supplier: ArrayLike<number>;
  customer: ArrayLike<number>;
  status: ArrayLike<number>;
}

/** A chunk as read off the wire: the meta's fields, and each invoice's entries, still unchecked. */
export interface ListChunk extends ListChunkMeta, ListChunkColumns {
  /** Invoices in the chunk. */
  count: number;
  /** Each record's id in its text form (lower-case hex with hyphens), whatever its version bits. */
  ids: string[];
  supplier: Uint16Array;
  customer: Uint16Array;
  status: Uint8Array;
  /** A view of `records`, for the times. */
  view: DataView;
}

export function encodeListChunk(meta: ListChunkMeta, columns: ListChunkColumns): Uint8Array<ArrayBuffer> {
  const n = columns.records.length / LIST_CHUNK_RECORD_BYTES;
  if (!Number.isInteger(n) || [columns.supplier, columns.customer, columns.status].some((c) => c.length !== n)) throw new Error('list chunk: columns of different lengths');
  const metaBytes = utf8Encode(JSON.stringify(meta));
  const out = new Uint8Array(9 + metaBytes.length + 4 + n * PER_INVOICE_BYTES);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out[4] = LIST_CHUNK_VERSION;
  view.setUint32(5, metaBytes.length);
  out.set(metaBytes, 9);
  let at = 9 + metaBytes.length;
  view.setUint32(at, n);
  at += 4;
  out.set(columns.records, at);
  at += n * LIST_CHUNK_RECORD_BYTES;
  for (let i = 0; i < n; i++) view.setUint16(at + 2 * i, columns.supplier[i]!);
  at += 2 * n;
  for (let i = 0; i < n; i++) view.setUint16(at + 2 * i, columns.customer[i]!);
  at += 2 * n;
  for (let i = 0; i < n; i++) out[at + i] = columns.status[i]!;
  return out;
}

/** The chunk in `bytes`, or null when it is not one: wrong magic, version, meta or length. */
export function decodeListChunk(bytes: Uint8Array): ListChunk | null {
  if (bytes.length < 13 || MAGIC.some((b, i) => bytes[i] !== b) || bytes[4] !== LIST_CHUNK_VERSION) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const metaLength = view.getUint32(5);
  if (metaLength > META_MAX_BYTES || 13 + metaLength > bytes.length) return null;
  let meta: ListChunkMeta;
  try {
    const parsed = listChunkMetaSchema.safeParse(JSON.parse(utf8Decode(bytes.subarray(9, 9 + metaLength))));
    if (!parsed.success) return null;
    meta = parsed.data;
  } catch {
    return null;
  }
  let at = 9 + metaLength;
  const n = view.getUint32(at);
  at += 4;
  if (bytes.length - at !== n * PER_INVOICE_BYTES) return null;
  const records = bytes.subarray(at, at + n * LIST_CHUNK_RECORD_BYTES);
  at += n * LIST_CHUNK_RECORD_BYTES;
  const supplier = new Uint16Array(n);
  const customer = new Uint16Array(n);
  for (let i = 0; i < n; i++) supplier[i] = view.getUint16(at + 2 * i);
  at += 2 * n;
  for (let i = 0; i < n; i++) customer[i] = view.getUint16(at + 2 * i);
  at += 2 * n;
  const status = bytes.subarray(at, at + n);
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) ids[i] = uuidText(records, i * LIST_CHUNK_RECORD_BYTES);
  return { ...meta, count: n, ids, records, supplier, customer, status, view: new DataView(records.buffer, records.byteOffset, records.byteLength) };
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** The text form of the 16 bytes at `at`: lower-case hex in 8-4-4-4-12 groups, as PostgreSQL prints a uuid. */
export function uuidText(bytes: Uint8Array, at = 0): string {
  const h = (i: number) => HEX[bytes[at + i]!]!;
  return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}

const DAY_MS = 86_400_000;
/** The first instant of year 10000: from there on, and before 1970, Date's own ISO form is used. */
const FAST_ISO_END_MS = 253_402_300_800_000;
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
// "YYYY-MM-DDT" by day since the epoch; a list's invoices fall on a few thousand days at most.
const DAYS = new Map<number, string>();
const DAYS_KEPT = 20_000;

/**
 * `new Date(ms).toISOString()`, a few times faster: a 100,000-invoice list formats 200,000 of these
 * as it reads its chunks. The date part comes from Date itself, once per day.
 */
export function isoTime(ms: number): string {
  if (!(ms >= 0 && ms < FAST_ISO_END_MS) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  let date = DAYS.get(day);
  if (date === undefined) {
    if (DAYS.size >= DAYS_KEPT) DAYS.clear();
    DAYS.set(day, (date = new Date(day * DAY_MS).toISOString().slice(0, 11)));
  }
  let rest = ms - day * DAY_MS;
  const milli = rest % 1000;
  rest = (rest - milli) / 1000;
  const second = rest % 60;
  rest = (rest - second) / 60;
  const minute = rest % 60;
  const hour = (rest - minute) / 60;
  return `${date}${TWO_DIGITS[hour]}:${TWO_DIGITS[minute]}:${TWO_DIGITS[second]}.${THREE_DIGITS[milli]}Z`;
}
