import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex, type Bytes } from '../encoding';
import { CryptoError } from '../errors';
import {
  decodeListIndex,
  encodeListIndex,
  importListIndexKey,
  openListIndexSegment,
  sealListIndexSegment,
  sealListIndexSegmentWithNonce,
  type ListIndexRecord,
} from './list-index';
import { LIST_INDEX_SEGMENT_MAX_RECORDS } from '@/lib/shared/schemas/list-index';

/*
 * Golden vectors for list-index segments v1 (DESIGN §6). Never update the hex: a failure here means
 * segments written in v1 no longer open. Cross-checked once with node:crypto (hkdfSync with info
 * "zkinvoice/v1/list-index-key|<orgId>|3", aes-256-gcm with AAD 0x01 ‖ the segment label, the
 * plaintext encoded by hand).
 */
const seq = (length: number, start = 0): Bytes => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);
const ORG_SECRET = seq(32, 0x40);
const ORG_ID = '0b7a5c9e-2d4f-4e1a-9c3b-5a6d7e8f9012';
const SUPPLIER_ID = '5a5a5a5a-0000-4000-8000-000000000001';
const BINDING = { orgId: ORG_ID, epoch: 3, segmentId: '5e9f0a1b-c2d3-4e5f-8a7b-9c0d1e2f3a4b' };

const RECORDS: ListIndexRecord[] = [
  {
    invoiceId: '11111111-2222-4333-8444-555555555555',
    supplierOrgId: SUPPLIER_ID,
    customerOrgId: ORG_ID,
    manifestSha256: seq(32, 0x10),
    headerSha256: seq(32, 0x30),
    dek: seq(32, 0x50),
    fields: {
      type: 'invoice', number: 'INV-2025-0001', issueDate: '2025-01-02', dueDate: '2025-02-01', currency: 'EUR', net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00',
      sellerName: 'Müller GmbH', sellerVatId: 'DE123456789', buyerName: 'Buyer AG', payeeName: 'Müller GmbH', reference: 'RF18 5390 0754 7034', notes: '', einvoiceMismatches: 0,
      documents: [{ fileId: 'cccccccc-dddd-4eee-8fff-000000000001', role: 'invoice-pdf', size: 5_000_123_456, name: 'INV-2025-0001.pdf', mediaType: 'application/pdf' }],
    },
  },
  {
    invoiceId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
    supplierOrgId: SUPPLIER_ID,
    customerOrgId: ORG_ID,
    manifestSha256: seq(32, 0x70),
    headerSha256: seq(32, 0x90),
    dek: seq(32, 0xb0),
    fields: {
      type: 'credit-note', number: 'CN-7', issueDate: '2025-03-04', dueDate: '2025-03-04', currency: 'CHF', net: '-10.50', tax: '0.00', gross: '-10.50', payable: '-10.50',
      sellerName: 'Seller SA', sellerVatId: '', buyerName: 'Buyer AG', payeeName: 'Seller SA', reference: '', notes: 'Gutschrift für März', einvoiceMismatches: 2, documents: [],
    },
  },
];

const GOLDEN = {
  plaintext:
    '0100000002111111112222433384445555555555555a5a5a5a0000400080000000000000010b7a5c9e2d4f4e1a9c3b5a6d7e8f9012101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f0000000d494e562d323032352d30303031000a323032352d30312d3032000a323032352d30322d3031000345555200063130302e3030000531392e303000063131392e303000063131392e3030000c4dc3bc6c6c657220476d6248000b444531323334353637383900084275796572204147000c4dc3bc6c6c657220476d6248001352463138203533393020303735342037303334000001ccccccccdddd4eee8fff00000000000100000000012a07d4400011494e562d323032352d303030312e706466000f6170706c69636174696f6e2f706466aaaaaaaabbbb4ccc8dddeeeeeeeeeeee5a5a5a5a0000400080000000000000010b7a5c9e2d4f4e1a9c3b5a6d7e8f9012707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf01020004434e2d37000a323032352d30332d3034000a323032352d30332d3034000343484600062d31302e35300004302e303000062d31302e353000062d31302e3530000953656c6c6572205341000000084275796572204147000953656c6c657220534100000015477574736368726966742066c3bc72204dc3a4727a00',
  // Sealed box v1, nonce d0..db.
  segment:
    '01d0d1d2d3d4d5d6d7d8d9dadb1a4cee00e50a5cceae93ebbad6cc8142f813a3a656220a75aa07a5aa801eff96d5975c656b0d1e5d1eb9cc1118af0f68b15e16548759b33ad94c0dc5bc2157654ac8c98f998b2dffea086fe5c86d44743c8e576d47222ab49df380f75f1925a03b86ddde38d6bacae38d142fcf9e6a787b964f338c1e29a14681cb01352dcb372fbc43491de24516b7a8ed113c3873eaadac85cd049d4d56407b7f2c794f4f96c66d64e76806613bfd81f3a96bc73a61c6ccbb1f8645fbc5ea436267556c4c0bbf191450c16ffc620ff6a3ade872f2f02da83e9345310ec69531ab279ebf2c9a662eacf3e4d487ea189285737f5b409599b4978eb51829dbc9e8e95a9b8262ade57101ebabe6f0320862191ece0a407970dd1c1377e0b2a7a194632bc2009a3221c349997459f5eb662c0aa0a6487d38e0c15948b1dde3fc7a9e9b006ca44863efa603c79dbe001e4f8345c5b01057112ef6210f7447fa1995df253c596733b6a18b5a7c2d5eaf3952ee547976dc4da4c1e1466988611f309f2ad62c0c530ea9c1d74a7c0dd9d42873446cdf6b80d1c1e7e5eb2e4f73aedd90a1e8cf3262f0cf0a38cf64d86af661f922276efa47014c16aa9c76daff84b74a1607b63952b23eb855f5524065a8f26247234b3a91bf9e58c491f49a3cea1e5311b83bd73f697c2b4dadb761a24a8c3d0b525e5c629320d88e63b39baa85ce382af362f6241720604c92c5a0a4a17d753d6940a109d33457af4d25986d39e911a85d7741ab9ed95eeeb3fe2be0f027ed236fc256cf5309d243ca62e0cb57f36efc1c3d12ae172dec4af240272841292055347acc0cd351cc3794942723dc45094a0220fa18c07e5ba25fb8c14d05d1cd1fb55dd5a7b0586f77aa83250ae14caeddb01c7bc430a60d14a6de862ddba7e2',
};

const decryptFailed = (error: unknown) => error instanceof CryptoError && error.code === 'decrypt_failed';

describe('list index segment v1', () => {
  it('encodes records to the golden plaintext (~315 bytes an invoice with a document) and decodes them back', () => {
    const plaintext = encodeListIndex(RECORDS);
    expect(toHex(plaintext)).toBe(GOLDEN.plaintext);
    expect(decodeListIndex(fromHex(GOLDEN.plaintext))).toEqual(RECORDS);
    expect(plaintext.length / RECORDS.length).toBeLessThan(330);
  });

  it('seals to the golden bytes and opens them', async () => {
    const key = await importListIndexKey(ORG_SECRET, ORG_ID, 3);
    expect(toHex(await sealListIndexSegmentWithNonce(key, RECORDS, BINDING, seq(12, 0xd0)))).toBe(GOLDEN.segment);
    expect(await openListIndexSegment(key, fromHex(GOLDEN.segment), BINDING)).toEqual(RECORDS);
  });

  it('refuses a flipped bit, another segment id, and another org or epoch', async () => {
    const key = await importListIndexKey(ORG_SECRET, ORG_ID, 3);
    const sealed = fromHex(GOLDEN.segment);
    const flipped = sealed.slice();
    flipped[40]! ^= 1;
    await expect(openListIndexSegment(key, flipped, BINDING)).rejects.toSatisfy(decryptFailed);
    await expect(openListIndexSegment(key, sealed, { ...BINDING, segmentId: '5e9f0a1b-c2d3-4e5f-8a7b-9c0d1e2f3a4c' })).rejects.toSatisfy(decryptFailed);
    // The same bytes presented as another org's or epoch's segment: wrong AAD, and wrong key.
    await expect(openListIndexSegment(key, sealed, { ...BINDING, epoch: 4 })).rejects.toSatisfy(decryptFailed);
    await expect(openListIndexSegment(await importListIndexKey(ORG_SECRET, ORG_ID, 4), sealed, { ...BINDING, epoch: 4 })).rejects.toSatisfy(decryptFailed);
    const otherOrg = '0b7a5c9e-2d4f-4e1a-9c3b-5a6d7e8f9013';
    await expect(openListIndexSegment(await importListIndexKey(ORG_SECRET, otherOrg, 3), sealed, { ...BINDING, orgId: otherOrg })).rejects.toSatisfy(decryptFailed);
  });

  it('refuses a truncated or padded plaintext and an unknown version', () => {
    const plaintext = fromHex(GOLDEN.plaintext);
    expect(() => decodeListIndex(plaintext.subarray(0, plaintext.length - 1))).toThrow(CryptoError);
    expect(() => decodeListIndex(Uint8Array.of(...plaintext, 0))).toThrow(CryptoError);
    const v2 = plaintext.slice();
    v2[0] = 2;
    expect(() => decodeListIndex(v2)).toThrow(expect.objectContaining({ code: 'unsupported_version' }));
    expect(() => encodeListIndex([{ ...RECORDS[0]!, invoiceId: 'INV-1' }])).toThrow(CryptoError);
  });

  it('refuses invalid UTF-8 in a short or a long text field, and decodes non-ASCII in both', () => {
    const withNumber = (number: string) => encodeListIndex([{ ...RECORDS[0]!, fields: { ...RECORDS[0]!.fields, number } }]);
    for (const number of ['X-1', `X-${'9'.repeat(80)}`]) {
      const plaintext = withNumber(number);
      // The number is the record's first text, right after its fixed part.
      const at = plaintext.findIndex((b, i) => b === 0x58 && plaintext[i + 1] === 0x2d);
      plaintext[at + 2] = 0xff;
      expect(() => decodeListIndex(plaintext)).toThrow(expect.objectContaining({ code: 'bad_format' }));
    }
    for (const number of ['Nr. ü-1', `Rechnung für März ${'€'.repeat(40)}`]) expect(decodeListIndex(withNumber(number))[0]!.fields.number).toBe(number);
  });

  it('encodes and seals a full segment (the record limit, each record with two documents)', async () => {
    // Built part by part, a full segment has hundreds of thousands of pieces: more than one call's
    // arguments may hold, which once made every append of a large inbox fail.
    const full = Array.from({ length: LIST_INDEX_SEGMENT_MAX_RECORDS }, (_, i) => ({
      ...RECORDS[0]!,
      invoiceId: `${(i + 1).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
      fields: { ...RECORDS[0]!.fields, documents: [RECORDS[0]!.fields.documents[0]!, RECORDS[0]!.fields.documents[0]!] },
    }));
    const sealed = await sealListIndexSegment(await importListIndexKey(ORG_SECRET, ORG_ID, 3), full, BINDING);
    const opened = await openListIndexSegment(await importListIndexKey(ORG_SECRET, ORG_ID, 3), sealed, BINDING);
    expect(opened).toHaveLength(LIST_INDEX_SEGMENT_MAX_RECORDS);
    expect(opened.at(-1)!.invoiceId).toBe(full.at(-1)!.invoiceId);
  });

  it('round-trips any records', async () => {
    const key = await importListIndexKey(ORG_SECRET, ORG_ID, 1);
    const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
    const record = fc.record({
      invoiceId: fc.uuid(),
      supplierOrgId: fc.uuid(),
      customerOrgId: fc.uuid(),
      manifestSha256: bytes32,
      headerSha256: bytes32,
      dek: bytes32,
      fields: fc.record({
        type: fc.constantFrom('invoice' as const, 'credit-note' as const),
        number: fc.string({ unit: 'grapheme' }), issueDate: fc.string(), dueDate: fc.string(), currency: fc.string(), net: fc.string(), tax: fc.string(), gross: fc.string(), payable: fc.string(),
        sellerName: fc.string(), sellerVatId: fc.string(), buyerName: fc.string(), payeeName: fc.string(), reference: fc.string({ maxLength: 300 }), notes: fc.string({ maxLength: 2000, unit: 'binary' }),
        einvoiceMismatches: fc.integer({ min: 0, max: 60 }),
        documents: fc.array(
          fc.record({ fileId: fc.uuid(), name: fc.string(), mediaType: fc.string(), size: fc.nat(), role: fc.constantFrom('invoice-pdf' as const, 'einvoice-xml' as const, 'attachment' as const) }),
          { maxLength: 3 },
        ),
      }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 8 }), async (records) => {
        const sealed = await sealListIndexSegment(key, records, { ...BINDING, epoch: 1 });
        const opened = await openListIndexSegment(key, sealed, { ...BINDING, epoch: 1 });
        expect(opened).toEqual(records.map((r) => ({ ...r, manifestSha256: new Uint8Array(r.manifestSha256), headerSha256: new Uint8Array(r.headerSha256), dek: new Uint8Array(r.dek) })));
      }),
      { numRuns: 50 },
    );
  });
});
