import { describe, expect, it } from 'vitest';
import { HPKE_SUITE } from '../hpke';
import { equalBytes, fromBase64Url, fromHex, toBase64Url, toHex, utf8Decode, utf8Encode, type Bytes } from '../encoding';
import { sha256 } from '../kdf';
import { computeDekCommitment, decryptHeader, encryptHeaderWithNonce } from './dek';
import { ciphertextDigestOf } from './digest';
import { ciphertextLengthFor } from './format';
import { fastBinding, importOrgDekWrapKey, openDekGrant, unwrapDekFast, wrapDekFastWithNonce } from './grants';
import { canonicalManifestBytes, computeKeyId, signManifest, verifyManifest, type InvoiceManifest } from './manifest';
import { decryptFileStream, encryptFileStream } from './stream';
import { collect, collectBytes, fromChunks } from './test-streams';

/*
 * Golden vectors for invoice envelope v1. Every stored invoice was written in this format and
 * must open forever: if one of these fails, the change broke existing data — revert it or add a
 * v2 beside v1, never update the hex. Values were cross-checked once with an independent
 * node:crypto script (hkdfSync, aes-256-gcm, sha256, Ed25519 sign; the JCS written out by hand).
 */
const seq = (length: number, start = 0): Bytes => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);
const DEK = seq(32);
const INVOICE_ID = 'inv-golden-0001';
const IDS = { invoiceId: INVOICE_ID, fileId: 'file-golden-0001' };
const HEADER_JSON = '{"number":"INV-2025-0001","payable":"119.00"}';

const GOLDEN = {
  dekCommitment: 'b1d5152bd289b52ed45242f84d2609a03e181253ee52d91108f72488a5974f32',
  // Sealed box v1 under HKDF(DEK, "zkinvoice/v1/header"), nonce a0..ab, AAD 0x01 ‖ "zkinvoice/v1/header|inv-golden-0001".
  header:
    '01a0a1a2a3a4a5a6a7a8a9aaab65c126aa71a0ba17ae638bd0fe6a5478178c152c68f60f6b3f561c1e988d39a9a12d3e13794a387209a7868cc1419a2301dda3084ba59b284937320375',
  // 150,000 bytes (byte i = i % 251), padded to Padmé(150,001) = 151,552 → records of 65,536, 65,536, 20,480.
  fileLength: 151_600,
  firstRecordHead: 'ce065a38beda211966f0524f37d4204d',
  firstRecordTag: 'fa26737b496958922f45981bc1e1dbea',
  firstRecordSha256: '875a2c6ddcd68c554dff0d1985517c0b59ee2ec482bdc5d181cde521cfa37987',
  lastRecordLength: 20_496,
  lastRecordTag: 'ccdd19fcd22310728fa47220182bf4e8',
  lastRecordSha256: '19e121453e980aa5ba80a756e8e6e2b0e04dfa5c44418a7597866c353f69b22d',
  fileDigest: '5c903cb73da148a0920c6d777ec076cf4748a190cfc8e7870b16af37761f34f6',
  keyId: '_Sl1nUVTibb3O7GvYQigEw',
  manifestJcs:
    '{"createdAt":"2025-01-02T03:04:05.678Z","customerOrgId":"org-golden-customer","dekCommitment":"sdUVK9KJtS7UUkL4TSYJoD4YElPuUtkRCPckiKWXTzI","files":[{"fileId":"file-golden-0001","recordSize":65536,"sha256":"XJA8tz2hSKCSDG13fsB2z0dIoZDPyOeHCxavN3YfNPY","size":151600}],"header":{"sha256":"EoqC0khe6og-fxR7SYkaemAn1QGWapmKxHRE6eGxpqo","size":74},"invoiceId":"inv-golden-0001","recipients":[{"keyVersion":1,"orgId":"org-golden-supplier"},{"keyVersion":3,"orgId":"org-golden-customer"}],"signerKeyId":"_Sl1nUVTibb3O7GvYQigEw","signerUserId":"user-golden-signer","supplierOrgId":"org-golden-supplier","v":1}',
  manifestSignature: 'zlgAXid586la_vM_TLG0DlHr1MDQZreGZksmB0ynu2pRbwFashkJNNxuSdM5G6ptCA7QsqCa-wBhdbd_ipviCQ',
  // Sealed box v1 under HKDF(OS = 40..5f, "zkinvoice/v1/org-dek-wrap|org-golden-supplier|1"), nonce c0..cb,
  // AAD "zkinvoice/v1/fast|inv-golden-0001|org-golden-supplier|1|<sha256 of manifestJcs>|<header.sha256>"
  // (computed with node:crypto's hkdfSync and aes-256-gcm, independently of lib/crypto).
  fastWrap:
    '01c0c1c2c3c4c5c6c7c8c9cacb0ffb2c6a179e185a60c0ca8b6b8e7fc2819ea91c2cb957e5c7a0f9158bb1bf5a1c69b9ac97271b34f1d55650d084ee91',
  fastAad: 'zkinvoice/v1/fast|inv-golden-0001|org-golden-supplier|1|0ygzV_cuiabLTtK7YpEAy11v-WCyLrGUu_1qj_yJy_w|EoqC0khe6og-fxR7SYkaemAn1QGWapmKxHRE6eGxpqo',
  // HPKE box v1 (random ephemeral key, so decrypt-only) to the RFC 9180 A.1.1 recipient key.
  grant:
    'ASlXZ5DVJrOvP8cu49W8s3IfiHjWWgQo9GmqBiKOM6AOv0MbkgNcubG6ItO_xCNY5CG3SPmHkHKCRxvEixZPQwbQKF9BHy6b1dsTirLHLJ8d',
};

// RFC 8032 §7.1 TEST 1 key pair.
const SIGNING_PKCS8 = fromHex('302e020100300506032b657004220420' + '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const SIGNING_PUBLIC = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
// RFC 9180 A.1.1 recipient key pair.
const GRANT_PRIVATE = fromHex('4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8');
const GRANT_PUBLIC = fromHex('3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d');
const GRANT_BINDING = { invoiceId: INVOICE_ID, orgId: 'org-golden-customer', keyVersion: 3 };

function goldenFile(): Bytes {
  return Uint8Array.from({ length: 150_000 }, (_, i) => i % 251);
}

function goldenManifest(): InvoiceManifest {
  return {
    v: 1,
    invoiceId: INVOICE_ID,
    supplierOrgId: 'org-golden-supplier',
    customerOrgId: 'org-golden-customer',
    signerUserId: 'user-golden-signer',
    signerKeyId: GOLDEN.keyId,
    createdAt: '2025-01-02T03:04:05.678Z',
    header: { sha256: 'EoqC0khe6og-fxR7SYkaemAn1QGWapmKxHRE6eGxpqo', size: 74 },
    files: [{ fileId: IDS.fileId, sha256: toBase64Url(fromHex(GOLDEN.fileDigest)), size: GOLDEN.fileLength, recordSize: 65_536 }],
    dekCommitment: toBase64Url(fromHex(GOLDEN.dekCommitment)),
    recipients: [
      { orgId: 'org-golden-supplier', keyVersion: 1 },
      { orgId: 'org-golden-customer', keyVersion: 3 },
    ],
  };
}

describe('envelope v1 golden vectors', () => {
  it('derives the DEK commitment', async () => {
    expect(toHex(await computeDekCommitment(DEK))).toBe(GOLDEN.dekCommitment);
  });

  it('seals the header to the golden bytes and opens them', async () => {
    const sealed = await encryptHeaderWithNonce(DEK, INVOICE_ID, utf8Encode(HEADER_JSON), seq(12, 0xa0), 1);
    expect(toHex(sealed)).toBe(GOLDEN.header);
    expect(utf8Decode(await decryptHeader(DEK, INVOICE_ID, fromHex(GOLDEN.header), 1))).toBe(HEADER_JSON);
    expect(toBase64Url(await sha256(sealed))).toBe(goldenManifest().header.sha256);
  });

  it('encrypts the multi-record file to the golden records, digest and length, and decrypts them', async () => {
    const records = await collect(encryptFileStream(DEK, IDS, fromChunks([goldenFile()]), 150_000));
    const [first, , last] = records;
    expect(records).toHaveLength(3);
    expect(toHex(first!.subarray(0, 16))).toBe(GOLDEN.firstRecordHead);
    expect(toHex(first!.subarray(-16))).toBe(GOLDEN.firstRecordTag);
    expect(toHex(await sha256(first!))).toBe(GOLDEN.firstRecordSha256);
    expect(last!.length).toBe(GOLDEN.lastRecordLength);
    expect(toHex(last!.subarray(-16))).toBe(GOLDEN.lastRecordTag);
    expect(toHex(await sha256(last!))).toBe(GOLDEN.lastRecordSha256);
    expect(records.reduce((sum, record) => sum + record.length, 0)).toBe(GOLDEN.fileLength);
    expect(ciphertextLengthFor(150_000)).toBe(GOLDEN.fileLength);
    expect(toHex(await ciphertextDigestOf(fromChunks(records)))).toBe(GOLDEN.fileDigest);
    expect(equalBytes(await collectBytes(decryptFileStream(DEK, IDS, fromChunks(records))), goldenFile())).toBe(true);
  });

  it('computes the signer key id', async () => {
    expect(await computeKeyId(SIGNING_PUBLIC)).toBe(GOLDEN.keyId);
  });

  it('canonicalizes and signs the manifest to the golden bytes', async () => {
    const manifest = goldenManifest();
    expect(utf8Decode(canonicalManifestBytes(manifest))).toBe(GOLDEN.manifestJcs);
    const signingKey = await globalThis.crypto.subtle.importKey('pkcs8', SIGNING_PKCS8, 'Ed25519', false, ['sign']);
    expect(await signManifest(signingKey, manifest)).toBe(GOLDEN.manifestSignature);
    expect(await verifyManifest(SIGNING_PUBLIC, JSON.parse(GOLDEN.manifestJcs), GOLDEN.manifestSignature)).toBe(true);
  });

  it('wraps the DEK on the fast path to the golden bytes and unwraps them', async () => {
    const key = await importOrgDekWrapKey(seq(32, 0x40), { orgId: 'org-golden-supplier', version: 1 });
    const sealedHeader = await encryptHeaderWithNonce(DEK, INVOICE_ID, utf8Encode(HEADER_JSON), seq(12, 0xa0), 1);
    const binding = await fastBinding({ invoiceId: INVOICE_ID, orgId: 'org-golden-supplier', keyVersion: 1 }, goldenManifest(), sealedHeader);
    expect(`zkinvoice/v1/fast|${INVOICE_ID}|org-golden-supplier|1|${toBase64Url(binding.manifestSha256)}|${toBase64Url(binding.headerSha256)}`).toBe(GOLDEN.fastAad);
    expect(toHex(await wrapDekFastWithNonce(key, DEK, binding, seq(12, 0xc0)))).toBe(GOLDEN.fastWrap);
    expect(await unwrapDekFast(key, fromHex(GOLDEN.fastWrap), binding)).toEqual(DEK);
  });

  it('opens the golden HPKE DEK grant', async () => {
    const privateKey = await HPKE_SUITE.kem.importKey('raw', GRANT_PRIVATE.buffer, false);
    expect(await openDekGrant(privateKey, GRANT_PUBLIC, fromBase64Url(GOLDEN.grant), GRANT_BINDING)).toEqual(DEK);
  });
});
