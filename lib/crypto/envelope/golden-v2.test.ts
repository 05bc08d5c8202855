import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toBase64Url, toHex, utf8Decode, utf8Encode, type Bytes } from '../encoding';
import { CryptoError } from '../errors';
import { sha256 } from '../kdf';
import { decryptHeader, encryptHeader, encryptHeaderWithNonce } from './dek';
import { decryptEventPayload, encryptEventPayloadWithNonce, payloadDigest } from './event';
import { ENVELOPE_VERSION, paddedLength } from './format';
import { canonicalManifestBytes, signManifest, verifyManifest, type InvoiceManifest } from './manifest';
import { parseManifest } from './manifest-parse';
import { padBytes, unpadBytes } from './padding';

/*
 * Golden vectors for envelope v2 (DESIGN §4): the v1 format with the sealed header and event
 * payloads Padmé-padded. Never update the hex: a failure here means invoices written in v2 no
 * longer open. The header was cross-checked once with node:crypto (hkdfSync, aes-256-gcm; the
 * plaintext padded by hand to Padmé(46) = 48 bytes). The v1 vectors stay in golden.test.ts.
 */
const seq = (length: number, start = 0): Bytes => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);
const DEK = seq(32);
const INVOICE_ID = 'inv-golden-0001';
const HEADER_JSON = '{"number":"INV-2025-0001","payable":"119.00"}';
const EVENT_IDS = { invoiceId: INVOICE_ID, eventId: 'evt-golden-0001' };
const PAYLOAD_JSON = '{"amount":"119.00","currency":"EUR","date":"2025-01-10","reference":"INV-2025-0001"}';
const SIGNING_PKCS8 = fromHex('302e020100300506032b657004220420' + '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const SIGNING_PUBLIC = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');

const GOLDEN = {
  // 45 bytes of JSON ‖ 0x80 ‖ 0x00 0x00 (Padmé(46) = 48), sealed box v1, nonce a0..ab: 1 + 12 + 48 + 16 bytes.
  header:
    '01a0a1a2a3a4a5a6a7a8a9aaab65c126aa71a0ba17ae638bd0fe6a5478178c152c68f60f6b3f561c1e988d39a9a12d3e13794a387209a7868cc1094c9d827974dcc7e262387b10a748a4a61c13',
  headerSha256: 'lUt2brmJgwzutC0uO_sRf-_LTMvtFr6XHvIx8e8AGIc',
  // 86 bytes of JSON ‖ 0x80 ‖ zeros to Padmé(87) = 88, under HKDF(DEK, "evt-golden-0001", "zkinvoice/v1/event"), nonce d0..db.
  payload:
    '01d0d1d2d3d4d5d6d7d8d9dadb6b8b4906d4bb67d26a55a86a7d3d459c9840e7107c0260b1794eb8fd6d3af8a0f3b48cb321af23e34530fafa2d4863c8974ab72b727d493902c17d0edc7a8f43cd5ed23b7d862f29ba3fc70fd43c376f053d19a3e658c741c7190ff0c522b0e78c9b3b5359e33855',
  payloadSha256: '_bPlPwra5N6G3kGEn6gq_dChAIaiPZyxDJuY9r5PKQY',
  manifestJcs:
    '{"createdAt":"2025-01-02T03:04:05.678Z","customerOrgId":"org-golden-customer","dekCommitment":"sdUVK9KJtS7UUkL4TSYJoD4YElPuUtkRCPckiKWXTzI","files":[],"header":{"sha256":"lUt2brmJgwzutC0uO_sRf-_LTMvtFr6XHvIx8e8AGIc","size":77},"invoiceId":"inv-golden-0001","recipients":[{"keyVersion":1,"orgId":"org-golden-supplier"},{"keyVersion":3,"orgId":"org-golden-customer"}],"signerKeyId":"_Sl1nUVTibb3O7GvYQigEw","signerUserId":"user-golden-signer","supplierOrgId":"org-golden-supplier","v":2}',
  manifestSignature: 'XSbgt-DCADv6-Tw8NvTR2NO8hICqQWNu-XQwKdJUkYJb1eZEXcNrDkoxBtOJ4I0PWhtr29xU1hJ0NECd_5ZaCw',
};

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toSatisfy((error: unknown) => error instanceof CryptoError && error.code === code);
}

describe('envelope v2 golden vectors', () => {
  it('is the version new invoices are written in', () => {
    expect(ENVELOPE_VERSION).toBe(2);
  });

  it('pads and seals the header to the golden bytes, and opens them', async () => {
    const sealed = await encryptHeaderWithNonce(DEK, INVOICE_ID, utf8Encode(HEADER_JSON), seq(12, 0xa0), 2);
    expect(toHex(sealed)).toBe(GOLDEN.header);
    expect(toBase64Url(await sha256(sealed))).toBe(GOLDEN.headerSha256);
    expect(utf8Decode(await decryptHeader(DEK, INVOICE_ID, fromHex(GOLDEN.header), 2))).toBe(HEADER_JSON);
  });

  it('pads and seals an event payload to the golden bytes, and opens them', async () => {
    const sealed = await encryptEventPayloadWithNonce(DEK, EVENT_IDS, utf8Encode(PAYLOAD_JSON), seq(12, 0xd0), 2);
    expect(toHex(sealed)).toBe(GOLDEN.payload);
    expect(await payloadDigest(sealed)).toBe(GOLDEN.payloadSha256);
    expect(utf8Decode(await decryptEventPayload(DEK, EVENT_IDS, fromHex(GOLDEN.payload), 2))).toBe(PAYLOAD_JSON);
  });

  it('canonicalizes, signs, parses and verifies a v2 manifest', async () => {
    const manifest = parseManifest(JSON.parse(GOLDEN.manifestJcs));
    expect(manifest.v).toBe(2);
    expect(utf8Decode(canonicalManifestBytes(manifest))).toBe(GOLDEN.manifestJcs);
    const key = await globalThis.crypto.subtle.importKey('pkcs8', SIGNING_PKCS8, 'Ed25519', false, ['sign']);
    expect(await signManifest(key, manifest)).toBe(GOLDEN.manifestSignature);
    expect(await verifyManifest(SIGNING_PUBLIC, manifest, GOLDEN.manifestSignature)).toBe(true);
    // The version is signed: the same manifest claiming v1 (header unpadded) does not verify.
    expect(await verifyManifest(SIGNING_PUBLIC, { ...manifest, v: 1 } satisfies InvoiceManifest, GOLDEN.manifestSignature)).toBe(false);
    expect(() => parseManifest({ ...JSON.parse(GOLDEN.manifestJcs), v: 3 })).toThrow(CryptoError);
  });

  it('does not open a v2 header as v1 or a v1 header as v2 to the same plaintext', async () => {
    const v1 = await encryptHeader(DEK, INVOICE_ID, utf8Encode(HEADER_JSON), 1);
    await expectCode(decryptHeader(DEK, INVOICE_ID, v1, 2), 'bad_padding');
    // Read as v1, the padding stays in: 48 bytes that are not the JSON (and not even UTF-8).
    expect(toHex(await decryptHeader(DEK, INVOICE_ID, fromHex(GOLDEN.header), 1))).toBe(toHex(padBytes(utf8Encode(HEADER_JSON))));
  });
});

describe('Padmé padding of small plaintexts', () => {
  it('round-trips any bytes, including ones that end in zeros or in the marker byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.constantFrom(new Uint8Array(0), Uint8Array.of(0), Uint8Array.of(0x80), Uint8Array.of(0x80, 0)), (data, tail) => {
        const input = new Uint8Array([...data, ...tail]);
        const padded = padBytes(input);
        expect(padded.length).toBe(paddedLength(input.length));
        expect(unpadBytes(padded)).toEqual(input);
      }),
    );
  });

  it('gives headers of similar length the same sealed size', async () => {
    const sizes = new Set<number>();
    for (let extra = 0; extra < 60; extra++) {
      const json = JSON.stringify({ number: 'INV-1', notes: 'x'.repeat(1000 + extra) });
      sizes.add((await encryptHeader(DEK, INVOICE_ID, utf8Encode(json), 2)).length);
    }
    // 1,026 to 1,085 bytes of JSON fall into two Padmé buckets of 64 bytes: the server learns little.
    expect(sizes.size).toBeLessThanOrEqual(2);
  });

  it('refuses a missing marker, a marker followed by the wrong number of zeros, or all zeros', () => {
    const padded = padBytes(utf8Encode('{"a":1}'));
    expect(() => unpadBytes(padded.subarray(0, padded.length - 1))).toThrow(CryptoError);
    expect(() => unpadBytes(new Uint8Array([...padded, 0]))).toThrow(CryptoError);
    expect(() => unpadBytes(utf8Encode('{"a":1}'))).toThrow(CryptoError);
    expect(() => unpadBytes(new Uint8Array(8))).toThrow(CryptoError);
    expect(() => unpadBytes(new Uint8Array(0))).toThrow(CryptoError);
  });
});
