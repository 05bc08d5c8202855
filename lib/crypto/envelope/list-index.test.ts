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

/*
 * Golden vectors for list-index segments v1 (DESIGN §6). Never update the hex: a failure here means
 * segments written in v1 no longer open. Cross-checked once with node:crypto (hkdfSync with info
 * "zkinvoice/v1/list-index-key|<orgId>|3", aes-256-gcm with AAD 0x01 ‖ the segment label, the
 * plaintext encoded by hand).
 */
const seq = (length: number, start = 0): Bytes => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);
const ORG_SECRET = seq(32, 0x40);
const ORG_ID = '0b7a5c9e-2d4f-4e1a-9c3b-5a6d7e8f9012';
const BINDING = { orgId: ORG_ID, epoch: 3, segmentId: '5e9f0a1b-c2d3-4e5f-8a7b-9c0d1e2f3a4b' };

const RECORDS: ListIndexRecord[] = [
  {
    invoiceId: '11111111-2222-4333-8444-555555555555',
    manifestSha256: seq(32, 0x10),
    headerSha256: seq(32, 0x30),
    dek: seq(32, 0x50),
    fields: { type: 'invoice', number: 'INV-2025-0001', issueDate: '2025-01-02', dueDate: '2025-02-01', currency: 'EUR', payable: '119.00', sellerName: 'Müller GmbH', sellerVatId: 'DE123456789', buyerName: 'Buyer AG', payeeName: 'Müller GmbH', reference: 'RF18 5390 0754 7034', einvoiceMismatches: 0 },
  },
  {
    invoiceId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
    manifestSha256: seq(32, 0x70),
    headerSha256: seq(32, 0x90),
    dek: seq(32, 0xb0),
    fields: { type: 'credit-note', number: 'CN-7', issueDate: '2025-03-04', dueDate: '2025-03-04', currency: 'CHF', payable: '-10.50', sellerName: 'Seller SA', sellerVatId: '', buyerName: 'Buyer AG', payeeName: 'Seller SA', reference: '', einvoiceMismatches: 2 },
  },
];

const GOLDEN = {
  plaintext:
    '010000000211111111222243338444555555555555101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f0000000d494e562d323032352d30303031000a323032352d30312d3032000a323032352d30322d3031000345555200063131392e3030000c4dc3bc6c6c657220476d6248000b444531323334353637383900084275796572204147000c4dc3bc6c6c657220476d6248001352463138203533393020303735342037303334aaaaaaaabbbb4ccc8dddeeeeeeeeeeee707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf01020004434e2d37000a323032352d30332d3034000a323032352d30332d3034000343484600062d31302e3530000953656c6c6572205341000000084275796572204147000953656c6c65722053410000',
  // Sealed box v1, nonce d0..db.
  segment:
    '01d0d1d2d3d4d5d6d7d8d9dadb1a4cee00e50a5cceae93ebbad6cc8142f813a3a65668413de313b0fc9786e68cce8b417b75264523a3b0a679251b1d18f70cb4eaba79931af96c2de59c0177456ae8e9afb9eb4d9f8a680f85a80d24145cee370d27424ad4fd93e0973f7945c05be6bdbe58f69aeac3ad340fefbe4a585bb66f13ac4e78f3189cd0014f47a25f41cd2e2772b3247ee6fcba4276602badf6f2e8a959ad7f6360020357644c7fa7b61506d75e065008e181f19c4abac8f09a92de679432a4928f735b0e206c7e3bce797067ff67cc5a63b3eac89f638a991d947356c86c5b8dd721ec4ccdc615a704589dc7892208bf44d7c7640d0202eaa98ce7612e80b054479212ef7f6c84017ee68ae9fad5c4467159addadb1c5e772de40ef1be6222716223dc837eb9288e8c7df13cd1eb514fc08e9d383e1e2a68b1821ba6fef0bf58df383ca8c40ee3cf42098670f84cb3bbb37ba4503b9ade98be78aeff84ab49b93619ed95e0dd94130f24e1144030840a78a5c9d3d644c62db800fb874bbfc5de7bf6bc4463243e9aace7fe7c0e9a9c6e73434a940730c9bea9f624707972b52020e0d9be40118cf80936d26f8250cd1c8e0ec28314a1f7e9c36c14fffaba7dd488fd79f01572e9794d97f6aa',
};

const decryptFailed = (error: unknown) => error instanceof CryptoError && error.code === 'decrypt_failed';

describe('list index segment v1', () => {
  it('encodes records to the golden plaintext (~215 bytes an invoice) and decodes them back', () => {
    const plaintext = encodeListIndex(RECORDS);
    expect(toHex(plaintext)).toBe(GOLDEN.plaintext);
    expect(decodeListIndex(fromHex(GOLDEN.plaintext))).toEqual(RECORDS);
    expect(plaintext.length / RECORDS.length).toBeLessThan(230);
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

  it('round-trips any records', async () => {
    const key = await importListIndexKey(ORG_SECRET, ORG_ID, 1);
    const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
    const record = fc.record({
      invoiceId: fc.uuid(),
      manifestSha256: bytes32,
      headerSha256: bytes32,
      dek: bytes32,
      fields: fc.record({
        type: fc.constantFrom('invoice' as const, 'credit-note' as const),
        number: fc.string(), issueDate: fc.string(), dueDate: fc.string(), currency: fc.string(), payable: fc.string(),
        sellerName: fc.string(), sellerVatId: fc.string(), buyerName: fc.string(), payeeName: fc.string(), reference: fc.string({ maxLength: 300 }),
        einvoiceMismatches: fc.integer({ min: 0, max: 60 }),
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
