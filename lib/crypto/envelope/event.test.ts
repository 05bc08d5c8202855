import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, randomBytes, toBase64Url, toHex, utf8Decode, utf8Encode, type Bytes } from '../encoding';
import { generateKeyPairs } from '../keys';
import { expectCryptoError, flipBit } from '../test-utils';
import {
  canonicalEventBytes,
  decryptEventPayload,
  encryptEventPayload,
  encryptEventPayloadWithNonce,
  payloadDigest,
  payloadMatches,
  signEventRecord,
  verifyEventRecord,
  type InvoiceEventRecord,
} from './event';
import { computeKeyId } from './manifest';

/*
 * Golden vectors for invoice event format v1. Written events must verify and open forever: never
 * update these values; add a v2 beside v1. Cross-checked once with an independent node:crypto
 * script (hkdfSync, aes-256-gcm, Ed25519 sign over the context-prefixed JCS written by hand).
 */
const seq = (length: number, start = 0): Bytes => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);
const DEK = seq(32);
const IDS = { invoiceId: 'inv-golden-0001', eventId: 'evt-golden-0001' };
const PAYLOAD_JSON = '{"amount":"400.00","currency":"EUR","date":"2025-01-10","reference":"INV-2025-0001"}';
// RFC 8032 §7.1 TEST 1 key pair, as in golden.test.ts.
const SIGNING_PKCS8 = fromHex('302e020100300506032b657004220420' + '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const SIGNING_PUBLIC = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');

const GOLDEN = {
  // Sealed box v1 under HKDF(DEK, salt "evt-golden-0001", "zkinvoice/v1/event"), nonce d0..db,
  // AAD 0x01 ‖ "zkinvoice/v1/event|inv-golden-0001|evt-golden-0001".
  payload:
    '01d0d1d2d3d4d5d6d7d8d9dadb6b8b4906d4bb67d26a55a86f7c34459c9840e7107c0260b1794eb8fd6d3af8a0f3b48cb321af23e34530fafa2d4863c8974ab72b727d493902c17d0edc7a8f43cd5ed23b7d862f29ba3fc70fd43c376f053d19a30e24907531a672159eae397d636a9f39',
  payloadSha256: 'GeS83LGnsUD501BwXpA5qTn0B0wkq-o3jbbJZRpOIk4',
  recordJcs:
    '{"actorOrgId":"org-golden-customer","actorUserId":"user-golden-customer","createdAt":"2025-01-10T09:00:00.000Z","eventId":"evt-golden-0001","invoiceId":"inv-golden-0001","payloadSha256":"GeS83LGnsUD501BwXpA5qTn0B0wkq-o3jbbJZRpOIk4","prevEventId":"evt-golden-0000","signerKeyId":"_Sl1nUVTibb3O7GvYQigEw","type":"partially_paid","v":1}',
  signature: '2byQoHg9CNijYJkkI3mF9WFWVGeanPt8zEdbxt2UocFt26pL0wVIKzq8ek_sm7a95z39jex82DF0TgBL6j7aCA',
};

function goldenRecord(): InvoiceEventRecord {
  return {
    v: 1,
    eventId: IDS.eventId,
    invoiceId: IDS.invoiceId,
    type: 'partially_paid',
    actorUserId: 'user-golden-customer',
    actorOrgId: 'org-golden-customer',
    signerKeyId: '_Sl1nUVTibb3O7GvYQigEw',
    createdAt: '2025-01-10T09:00:00.000Z',
    prevEventId: 'evt-golden-0000',
    payloadSha256: GOLDEN.payloadSha256,
  };
}

describe('invoice event v1 golden vectors', () => {
  it('seals the payload to the golden bytes and opens them', async () => {
    const sealed = await encryptEventPayloadWithNonce(DEK, IDS, utf8Encode(PAYLOAD_JSON), seq(12, 0xd0), 1);
    expect(toHex(sealed)).toBe(GOLDEN.payload);
    expect(await payloadDigest(sealed)).toBe(GOLDEN.payloadSha256);
    expect(utf8Decode(await decryptEventPayload(DEK, IDS, fromHex(GOLDEN.payload), 1))).toBe(PAYLOAD_JSON);
  });

  it('canonicalizes and signs the record to the golden bytes', async () => {
    const record = goldenRecord();
    expect(utf8Decode(canonicalEventBytes(record))).toBe(GOLDEN.recordJcs);
    const key = await globalThis.crypto.subtle.importKey('pkcs8', SIGNING_PKCS8, 'Ed25519', false, ['sign']);
    expect(await signEventRecord(key, record)).toBe(GOLDEN.signature);
    expect(await verifyEventRecord(SIGNING_PUBLIC, JSON.parse(GOLDEN.recordJcs) as InvoiceEventRecord, GOLDEN.signature)).toBe(true);
    expect(await payloadMatches(record, fromHex(GOLDEN.payload))).toBe(true);
  });
});

describe('invoice event payloads', () => {
  it('open only with the same DEK, invoice and event, and fail on any flipped bit', async () => {
    const sealed = await encryptEventPayload(DEK, IDS, utf8Encode(PAYLOAD_JSON), 2);
    await expectCryptoError(decryptEventPayload(seq(32, 1), IDS, sealed, 2), 'decrypt_failed');
    await expectCryptoError(decryptEventPayload(DEK, { ...IDS, eventId: 'evt-other' }, sealed, 2), 'decrypt_failed');
    await expectCryptoError(decryptEventPayload(DEK, { ...IDS, invoiceId: 'inv-other' }, sealed, 2), 'decrypt_failed');
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: sealed.length * 8 - 1 }), async (bit) => {
        await expect(decryptEventPayload(DEK, IDS, flipBit(sealed, bit), 2)).rejects.toThrow();
      }),
      { numRuns: 60 },
    );
  });

  it('round-trip any payload and use a fresh nonce each time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.uuid(), async (plaintext, eventId) => {
        const ids = { invoiceId: IDS.invoiceId, eventId };
        const a = await encryptEventPayload(DEK, ids, plaintext, 2);
        const b = await encryptEventPayload(DEK, ids, plaintext, 2);
        expect(toHex(a)).not.toBe(toHex(b));
        expect(await decryptEventPayload(DEK, ids, a, 2)).toEqual(plaintext);
      }),
      { numRuns: 40 },
    );
  });

  it('binds the payload digest: another payload, or a missing one, does not match the record', async () => {
    const record = goldenRecord();
    expect(await payloadMatches(record, fromHex(GOLDEN.payload).subarray(1))).toBe(false);
    expect(await payloadMatches(record, null)).toBe(false);
    expect(await payloadMatches({ ...record, payloadSha256: null }, null)).toBe(true);
    expect(await payloadMatches({ ...record, payloadSha256: null }, fromHex(GOLDEN.payload))).toBe(false);
  });
});

describe('invoice event signatures', () => {
  it('fail for any changed field, another key, or a record naming another key', async () => {
    const signer = await generateKeyPairs();
    const record: InvoiceEventRecord = { ...goldenRecord(), signerKeyId: await computeKeyId(signer.signingPublicKey) };
    const signature = await signEventRecord(signer.signingPrivateKey, record);
    expect(await verifyEventRecord(signer.signingPublicKey, record, signature)).toBe(true);
    const changed: InvoiceEventRecord[] = [
      { ...record, v: 2 as 1 },
      { ...record, eventId: 'evt-x' },
      { ...record, invoiceId: 'inv-x' },
      { ...record, type: 'paid' },
      { ...record, actorUserId: 'user-x' },
      { ...record, actorOrgId: 'org-x' },
      { ...record, signerKeyId: toBase64Url(randomBytes(16)) },
      { ...record, createdAt: '2025-01-10T09:00:00.001Z' },
      { ...record, prevEventId: null },
      { ...record, payloadSha256: null },
      { ...record, payloadSha256: toBase64Url(randomBytes(32)) },
    ];
    for (const other of changed) expect(await verifyEventRecord(signer.signingPublicKey, other, signature)).toBe(false);
    const stranger = await generateKeyPairs();
    expect(await verifyEventRecord(stranger.signingPublicKey, record, signature)).toBe(false);
    const strangerRecord = { ...record, signerKeyId: await computeKeyId(stranger.signingPublicKey) };
    expect(await verifyEventRecord(stranger.signingPublicKey, strangerRecord, signature)).toBe(false);
    expect(await verifyEventRecord(signer.signingPublicKey, record, 'not base64url!')).toBe(false);
  });

  it('verify whatever the key order of the record as it arrives (JCS)', async () => {
    const signer = await generateKeyPairs();
    const record: InvoiceEventRecord = { ...goldenRecord(), signerKeyId: await computeKeyId(signer.signingPublicKey) };
    const signature = await signEventRecord(signer.signingPrivateKey, record);
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(Object.keys(record), { minLength: Object.keys(record).length }), async (keys) => {
        const reordered = Object.fromEntries(keys.map((k) => [k, record[k as keyof InvoiceEventRecord]])) as InvoiceEventRecord;
        expect(await verifyEventRecord(signer.signingPublicKey, reordered, signature)).toBe(true);
      }),
      { numRuns: 20 },
    );
  });
});
