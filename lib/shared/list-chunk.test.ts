import { describe, expect, it } from 'vitest';
import { concatBytes, equalBytes, fromHex, toHex } from '@/lib/crypto/encoding';
import { decodeListChunk, encodeListChunk, isoTime, LIST_CHUNK_RECORD, uuidText, type ListChunkMeta } from './list-chunk';

const SUPPLIER = '11111111-1111-4111-8111-111111111111';
const CUSTOMER = '22222222-2222-4222-8222-222222222222';
const META_TEXT = `{"parties":["${SUPPLIER}","${CUSTOMER}"],"statuses":["paid","issued"],"orgs":{},"nextCursor":"0193a5b2-7c00-7000-8000-00000000000b"}`;
const META: ListChunkMeta = JSON.parse(META_TEXT);

// The golden chunk, field by field as lib/shared/list-chunk.ts lays it out: two invoices, the
// first paid (created 2024-12-02T00:00:00.000Z, changed 123 ms later), the second issued.
const GOLDEN = [
  '5a4b4c43', // "ZKLC"
  '01', // version
  '000000b6', // 182 bytes of meta
  toHex(new TextEncoder().encode(META_TEXT)),
  '00000002', // two invoices
  '0193a5b27c007000800000000000000a', // id
  '4279384aab400000', // created 1733097600000 ms
  '4279384aab47b000', // changed 1733097600123 ms
  'a1'.repeat(32), // SHA-256 of the manifest
  'b1'.repeat(32), // SHA-256 of the sealed header
  '0193a5b27c007000800000000000000b',
  '4279389d11000000', // 1733184000000 ms
  '427938ef76fe7000', // 1733270400999 ms
  'a2'.repeat(32),
  'b2'.repeat(32),
  '0000' + '0000', // suppliers: parties[0] twice
  '0001' + '0001', // customers: parties[1] twice
  '00' + '01', // statuses: "paid", "issued"
].join('');

const COLUMNS = {
  records: fromHex(GOLDEN.slice(2 * (13 + 182), 2 * (13 + 182 + 2 * 96))),
  supplier: [0, 0],
  customer: [1, 1],
  status: [0, 1],
};

describe('compact list chunk (wire format 1)', () => {
  it('encodes the golden chunk byte for byte', () => {
    expect(toHex(encodeListChunk(META, COLUMNS))).toBe(GOLDEN);
  });

  it('decodes the golden chunk: meta, ids as PostgreSQL prints them, times, hashes, indexes', () => {
    const chunk = decodeListChunk(fromHex(GOLDEN))!;
    expect(chunk).not.toBeNull();
    expect({ parties: chunk.parties, statuses: chunk.statuses, orgs: chunk.orgs, nextCursor: chunk.nextCursor }).toEqual(META);
    expect(chunk.count).toBe(2);
    expect(chunk.ids).toEqual(['0193a5b2-7c00-7000-8000-00000000000a', '0193a5b2-7c00-7000-8000-00000000000b']);
    expect([0, 1].map((i) => new Date(chunk.view.getFloat64(i * 96 + LIST_CHUNK_RECORD.createdAt)).toISOString())).toEqual(['2024-12-02T00:00:00.000Z', '2024-12-03T00:00:00.000Z']);
    expect([0, 1].map((i) => chunk.view.getFloat64(i * 96 + LIST_CHUNK_RECORD.updatedAt))).toEqual([1733097600123, 1733270400999]);
    expect(toHex(chunk.records.subarray(96 + LIST_CHUNK_RECORD.manifestSha256, 96 + LIST_CHUNK_RECORD.headerSha256))).toBe('a2'.repeat(32));
    expect(toHex(chunk.records.subarray(96 + LIST_CHUNK_RECORD.headerSha256, 2 * 96))).toBe('b2'.repeat(32));
    expect([...chunk.supplier, ...chunk.customer, ...chunk.status]).toEqual([0, 0, 1, 1, 0, 1]);
  });

  it('round-trips an empty chunk and one of 5,000 invoices', () => {
    const empty = decodeListChunk(encodeListChunk({ ...META, nextCursor: null }, { records: new Uint8Array(0), supplier: [], customer: [], status: [] }))!;
    expect(empty.count).toBe(0);
    expect(empty.nextCursor).toBeNull();
    const n = 5000;
    const records = new Uint8Array(n * 96).map((_, i) => (i * 7) & 0xff);
    const big = { records, supplier: Array.from({ length: n }, (_, i) => i % 2), customer: Array.from({ length: n }, () => 0xffff), status: Array.from({ length: n }, (_, i) => i % 256) };
    const decoded = decodeListChunk(encodeListChunk(META, big))!;
    expect(decoded.count).toBe(n);
    expect(equalBytes(decoded.records, records)).toBe(true);
    expect([...decoded.supplier]).toEqual(big.supplier);
    expect([...decoded.customer]).toEqual(big.customer);
    expect([...decoded.status]).toEqual(big.status);
    expect(decoded.ids[4999]).toBe(uuidText(records, 4999 * 96));
  });

  it('refuses what is not a chunk: another magic or version, a length that does not fit, a meta that is not one', () => {
    const golden = fromHex(GOLDEN);
    const withMeta = (text: string, length = new TextEncoder().encode(text).length) => {
      const head = new Uint8Array(9);
      head.set(golden.subarray(0, 5));
      new DataView(head.buffer).setUint32(5, length);
      return concatBytes(head, new TextEncoder().encode(text), golden.subarray(9 + 182));
    };
    const refused: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['another magic', concatBytes(fromHex('5a4b4c44'), golden.subarray(4))],
      ['version 2', concatBytes(golden.subarray(0, 4), fromHex('02'), golden.subarray(5))],
      ['a byte missing', golden.subarray(0, golden.length - 1)],
      ['a byte extra', concatBytes(golden, fromHex('00'))],
      ['a record missing', withMeta(META_TEXT).subarray(0, golden.length - 101)],
      ['a meta length past the end', withMeta(META_TEXT, 0xffffff)],
      ['a meta that is not JSON', withMeta(`${META_TEXT.slice(0, -1)},`)],
      ['a meta that is not UTF-8', concatBytes(golden.subarray(0, 9), fromHex('ff'), golden.subarray(10))],
      ['a party that is not a UUID', withMeta(META_TEXT.replace(SUPPLIER, 'not-a-uuid'))],
      ['a cursor that is not a UUID', withMeta(META_TEXT.replace('0193a5b2-7c00-7000-8000-00000000000b', 'after-all'))],
      ['no statuses', withMeta(META_TEXT.replace('"statuses":["paid","issued"],', ''))],
    ];
    for (const [name, bytes] of refused) expect(decodeListChunk(bytes), name).toBeNull();
    // The same meta, rebuilt the same way, is accepted: the refusals above are the changes alone.
    expect(decodeListChunk(withMeta(META_TEXT))).not.toBeNull();
  });

  it('prints ids as PostgreSQL does', () => {
    expect(uuidText(fromHex('00112233445566778899aabbccddeeff'))).toBe('00112233-4455-6677-8899-aabbccddeeff');
    expect(uuidText(concatBytes(new Uint8Array(3), fromHex('ffffffffffffffffffffffffffffffff')), 3)).toBe('ffffffff-ffff-ffff-ffff-ffffffffffff');
  });

  it('formats times as Date does, to the millisecond', () => {
    const edges = [0, 1, 999, 1000, 59_999, 86_399_999, 86_400_000, 951_782_400_000, 1_709_164_800_000, 1_733_097_600_123, 253_402_300_799_999, 253_402_300_800_000, -1, -86_400_001, -62_198_755_200_000, 8.64e15, -8.64e15];
    const random = Array.from({ length: 20_000 }, (_, i) => Math.floor(Math.random() * (i % 2 ? 4.2e12 : 2.6e14)));
    for (const ms of [...edges, ...random]) expect(isoTime(ms), String(ms)).toBe(new Date(ms).toISOString());
  });
});
