import {
  Aes128Gcm,
  Aes256Gcm,
  CipherSuite,
  DhkemP521HkdfSha512,
  DhkemX25519HkdfSha256,
  HkdfSha256,
  HkdfSha512,
} from '@hpke/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, randomBytes, toHex, utf8Decode, utf8Encode } from './encoding';
import { HPKE_SUITE, openWithPrivateKey, sealToPublicKey } from './hpke';
import { baseModeKeySchedule, dhkemSharedSecret } from './hpke-schedule';
import { expectCryptoError, flipBit } from './test-utils';

/*
 * RFC 9180 publishes no vector for our exact suite (X25519 + HKDF-SHA256 + AES-256-GCM): the
 * appendix and CFRG test-vectors.json pair X25519 only with AES-128-GCM and ChaCha20Poly1305.
 * So the pinned @hpke/core is checked on the two vectors that together cover every component:
 * A.1.1 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 — with AES-128-GCM) and A.6.1 (AES-256-GCM —
 * with P-521/HKDF-SHA512). Both mode_base, first encryption (sequence number 0).
 */
const RFC9180_INFO = fromHex('4f6465206f6e2061204772656369616e2055726e'); // "Ode on a Grecian Urn"
const RFC9180_PT = fromHex('4265617574792069732074727574682c20747275746820626561757479');
const RFC9180_AAD_0 = fromHex('436f756e742d30'); // "Count-0"

const A_1_1 = {
  ikmE: fromHex('7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234'),
  skRm: fromHex('4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8'),
  pkRm: fromHex('3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d'),
  enc: fromHex('37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431'),
  ct: fromHex('f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a'),
};

const A_6_1 = {
  skRm: fromHex(
    '01462680369ae375e4b3791070a7458ed527842f6a98a79ff5e0d4cbde83c27196a3916956655523a6a2556a7af62c5cadabe2ef9da3760bb21e005202f7b2462847',
  ),
  enc: fromHex(
    '040138b385ca16bb0d5fa0c0665fbbd7e69e3ee29f63991d3e9b5fa740aab8900aaeed46ed73a49055758425a0ce36507c54b29cc5b85a5cee6bae0cf1c21f2731ece2013dc3fb7c8d21654bb161b463962ca19e8c654ff24c94dd2898de12051f1ed0692237fb02b2f8d1dc1c73e9b366b529eb436e98a996ee522aef863dd5739d2f29b0',
  ),
  ct: fromHex('170f8beddfe949b75ef9c387e201baf4132fa7374593dfafa90768788b7b2b200aafcc6d80ea4c795a7c5b841a'),
};

// Our own v1 box, sealed with @hpke/core to the A.1 recipient using ekm = A.1 ikmE (so enc is
// A.1's pkEm): data written by v1 must keep opening.
const GOLDEN_INFO = 'zkinvoice/v1/test-vector|hpke';
const GOLDEN_AAD = 'zkinvoice/v1/test-vector|aad';
const GOLDEN_BOX =
  '0137fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431246274f1edd2a534543bfebf983f501117c9540278ffd706885e11ae59dd74b0f3c6da696460864e6054';

async function importA11Recipient(): Promise<CryptoKey> {
  return HPKE_SUITE.kem.importKey('raw', A_1_1.skRm.buffer, false);
}

describe('HPKE', () => {
  it('pins the suite to DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-256-GCM', () => {
    expect([HPKE_SUITE.kem.id, HPKE_SUITE.kdf.id, HPKE_SUITE.aead.id]).toEqual([0x0020, 0x0001, 0x0002]);
  });

  it('opens RFC 9180 A.1.1 and reproduces it from ikmE', async () => {
    const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });
    const recipientKey = await suite.kem.importKey('raw', A_1_1.skRm.buffer, false);
    const pt = await suite.open({ recipientKey, enc: A_1_1.enc, info: RFC9180_INFO }, A_1_1.ct, RFC9180_AAD_0);
    expect(new Uint8Array(pt)).toEqual(RFC9180_PT);
    const recipientPublicKey = await suite.kem.deserializePublicKey(A_1_1.pkRm);
    const sealed = await suite.seal({ recipientPublicKey, info: RFC9180_INFO, ekm: A_1_1.ikmE }, RFC9180_PT, RFC9180_AAD_0);
    expect(toHex(new Uint8Array(sealed.enc))).toBe(toHex(A_1_1.enc));
    expect(toHex(new Uint8Array(sealed.ct))).toBe(toHex(A_1_1.ct));
  });

  it('opens RFC 9180 A.6.1 (AES-256-GCM)', async () => {
    const suite = new CipherSuite({ kem: new DhkemP521HkdfSha512(), kdf: new HkdfSha512(), aead: new Aes256Gcm() });
    const recipientKey = await suite.kem.importKey('raw', A_6_1.skRm.buffer, false);
    const pt = await suite.open({ recipientKey, enc: A_6_1.enc, info: RFC9180_INFO }, A_6_1.ct, RFC9180_AAD_0);
    expect(new Uint8Array(pt)).toEqual(RFC9180_PT);
  });

  it('opens the golden v1 box and reproduces it deterministically', async () => {
    const opened = await openWithPrivateKey(await importA11Recipient(), A_1_1.pkRm, fromHex(GOLDEN_BOX), GOLDEN_INFO, GOLDEN_AAD);
    expect(utf8Decode(opened)).toBe('zkinvoice golden plaintext');
    const { enc, ct } = await HPKE_SUITE.seal(
      { recipientPublicKey: await HPKE_SUITE.kem.deserializePublicKey(A_1_1.pkRm), info: utf8Encode(GOLDEN_INFO), ekm: A_1_1.ikmE },
      utf8Encode('zkinvoice golden plaintext'),
      concatBytes(Uint8Array.of(1), utf8Encode(GOLDEN_AAD)),
    );
    expect(toHex(concatBytes(Uint8Array.of(1), new Uint8Array(enc), new Uint8Array(ct)))).toBe(GOLDEN_BOX);
  });

  it('round-trips sealToPublicKey / openWithPrivateKey with fresh randomness', async () => {
    const plaintext = randomBytes(64);
    const a = await sealToPublicKey(A_1_1.pkRm, plaintext, GOLDEN_INFO, GOLDEN_AAD);
    const b = await sealToPublicKey(A_1_1.pkRm, plaintext, GOLDEN_INFO, GOLDEN_AAD);
    expect(toHex(a)).not.toBe(toHex(b));
    expect(a.length).toBe(1 + 32 + 64 + 16);
    expect(await openWithPrivateKey(await importA11Recipient(), A_1_1.pkRm, a, GOLDEN_INFO, GOLDEN_AAD)).toEqual(plaintext);
  });

  it('fails with decrypt_failed on wrong key, wrong public key, wrong info or wrong AAD', async () => {
    const box = fromHex(GOLDEN_BOX);
    const sk = await importA11Recipient();
    const other = (await HPKE_SUITE.kem.generateKeyPair()) as CryptoKeyPair;
    const otherPublic = new Uint8Array(await HPKE_SUITE.kem.serializePublicKey(other.publicKey));
    await expectCryptoError(openWithPrivateKey(other.privateKey, A_1_1.pkRm, box, GOLDEN_INFO, GOLDEN_AAD), 'decrypt_failed');
    await expectCryptoError(openWithPrivateKey(sk, otherPublic, box, GOLDEN_INFO, GOLDEN_AAD), 'decrypt_failed');
    await expectCryptoError(openWithPrivateKey(sk, A_1_1.pkRm, box, 'zkinvoice/v1/test-vector|hpkf', GOLDEN_AAD), 'decrypt_failed');
    await expectCryptoError(openWithPrivateKey(sk, A_1_1.pkRm, box, GOLDEN_INFO, 'zkinvoice/v1/test-vector|aae'), 'decrypt_failed');
  });

  it('fails on any flipped bit and on truncation', async () => {
    const box = fromHex(GOLDEN_BOX);
    const sk = await importA11Recipient();
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: box.length * 8 - 1 }), async (bit) => {
        const expected = bit < 8 ? 'unsupported_version' : 'decrypt_failed';
        await expectCryptoError(openWithPrivateKey(sk, A_1_1.pkRm, flipBit(box, bit), GOLDEN_INFO, GOLDEN_AAD), expected);
      }),
      { numRuns: 100 },
    );
    await expectCryptoError(openWithPrivateKey(sk, A_1_1.pkRm, box.subarray(0, 48), GOLDEN_INFO, GOLDEN_AAD), 'bad_format');
    await expectCryptoError(openWithPrivateKey(sk, A_1_1.pkRm, box.subarray(0, box.length - 1), GOLDEN_INFO, GOLDEN_AAD), 'decrypt_failed');
  });

  it('refuses malformed recipient keys with bad_key', async () => {
    await expectCryptoError(sealToPublicKey(randomBytes(31), randomBytes(8), GOLDEN_INFO, GOLDEN_AAD), 'bad_key');
    // u = 0 is a low-order point: the DH output would be all zero.
    await expectCryptoError(sealToPublicKey(new Uint8Array(32), randomBytes(8), GOLDEN_INFO, GOLDEN_AAD), 'bad_key');
  });
});

// Intermediate values of RFC 9180 Appendix A.1.1 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
// AES-128-GCM, mode_base), as printed there and in the CFRG test-vectors.json (also in hpke-js's
// test vectors). Its secret and key are checked through the ciphertext: see the test.
const A_1_1_SCHEDULE = {
  sharedSecret: 'fe0e18c9f024ce43799ae393c7e8fe8fce9d218875e8227b0187c04e7d2ea1fc',
  keyScheduleContext:
    '00725611c9d98c07c03f60095cd32d400d8347d45ed67097bbad50fc56da742d07cb6cffde367bb0565ba28bb02c90744a20f5ef37f30523526106f637abb05449',
  baseNonce: '56d890e5accaaf011cff4b7d',
};

// Curve25519 points of small order (and their non-canonical encodings): X25519 with any of them
// gives the all-zero output that RFC 7748 §6.1 lets a protocol refuse (libsodium's blocklist).
const LOW_ORDER_POINTS = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000080',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880',
];

const domainLabelArb = fc.string({ minLength: 1, maxLength: 40 }).map((s) => `zkinvoice/v1/test-vector|${s}`);

describe('HPKE open (our RFC 9180 base-mode implementation)', () => {
  it('reproduces the RFC 9180 A.1.1 shared secret and key schedule', async () => {
    const sk = await importA11Recipient();
    const pkE = await crypto.subtle.importKey('raw', new Uint8Array(A_1_1.enc), 'X25519', true, []);
    const dh = new Uint8Array(await crypto.subtle.deriveBits({ name: 'X25519', public: pkE }, sk, 256));
    const sharedSecret = await dhkemSharedSecret(dh, A_1_1.enc, A_1_1.pkRm);
    expect(toHex(sharedSecret)).toBe(A_1_1_SCHEDULE.sharedSecret);
    const schedule = baseModeKeySchedule({ id: 0x0001, keyLength: 16 });
    const keyScheduleContext = await schedule.context(RFC9180_INFO);
    expect(toHex(keyScheduleContext)).toBe(A_1_1_SCHEDULE.keyScheduleContext);
    const { key, baseNonce } = await schedule.aeadKeyAndNonce(sharedSecret, keyScheduleContext);
    expect(toHex(baseNonce)).toBe(A_1_1_SCHEDULE.baseNonce);
    // secret stays inside WebCrypto's HKDF and the key is non-extractable: a GCM tag verifies only
    // under the right key and nonce, so opening A.1.1's ciphertext checks both, and secret with them.
    expect(key.extractable).toBe(false);
    const pt = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: baseNonce, additionalData: RFC9180_AAD_0 }, key, A_1_1.ct);
    expect(new Uint8Array(pt)).toEqual(RFC9180_PT);
  });

  it('opens what @hpke/core seals, and nothing that was changed on the way', async () => {
    const sk = await importA11Recipient();
    const other = (await HPKE_SUITE.kem.generateKeyPair()) as CryptoKeyPair;
    const otherPublic = new Uint8Array(await HPKE_SUITE.kem.serializePublicKey(other.publicKey));
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 200 }),
        domainLabelArb,
        domainLabelArb,
        fc.nat(),
        async (plaintext, info, aad, bitSeed) => {
          const box = await sealToPublicKey(A_1_1.pkRm, plaintext, info, aad);
          expect(await openWithPrivateKey(sk, A_1_1.pkRm, box, info, aad)).toEqual(plaintext);
          const bit = bitSeed % (box.length * 8);
          const flipped = flipBit(box, bit);
          await expectCryptoError(openWithPrivateKey(sk, A_1_1.pkRm, flipped, info, aad), bit < 8 ? 'unsupported_version' : 'decrypt_failed');
          await expectCryptoError(openWithPrivateKey(sk, A_1_1.pkRm, box, `${info}.`, aad), 'decrypt_failed');
          await expectCryptoError(openWithPrivateKey(sk, A_1_1.pkRm, box, info, `${aad}.`), 'decrypt_failed');
          await expectCryptoError(openWithPrivateKey(other.privateKey, A_1_1.pkRm, box, info, aad), 'decrypt_failed');
          await expectCryptoError(openWithPrivateKey(sk, otherPublic, box, info, aad), 'decrypt_failed');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses low-order enc points', async () => {
    const sk = await importA11Recipient();
    const ct = fromHex(GOLDEN_BOX).subarray(33);
    for (const point of LOW_ORDER_POINTS) {
      const box = concatBytes(Uint8Array.of(1), fromHex(point), ct);
      await expectCryptoError(openWithPrivateKey(sk, A_1_1.pkRm, box, GOLDEN_INFO, GOLDEN_AAD), 'decrypt_failed');
    }
  });

  it('refuses the all-zero X25519 output in the KEM itself, should WebCrypto ever return it', async () => {
    await expect(dhkemSharedSecret(new Uint8Array(32), A_1_1.enc, A_1_1.pkRm)).rejects.toThrow('not all zero');
  });

  it('keeps the same errors for a short box, a wrong version and a malformed public key', async () => {
    const sk = await importA11Recipient();
    const box = fromHex(GOLDEN_BOX);
    await expectCryptoError(openWithPrivateKey(sk, A_1_1.pkRm, new Uint8Array(0), GOLDEN_INFO, GOLDEN_AAD), 'bad_format');
    await expectCryptoError(openWithPrivateKey(sk, A_1_1.pkRm, box.subarray(0, 48), GOLDEN_INFO, GOLDEN_AAD), 'bad_format');
    await expectCryptoError(openWithPrivateKey(sk, A_1_1.pkRm, concatBytes(Uint8Array.of(2), box.subarray(1)), GOLDEN_INFO, GOLDEN_AAD), 'unsupported_version');
    await expectCryptoError(openWithPrivateKey(sk, A_1_1.pkRm.subarray(0, 31), box, GOLDEN_INFO, GOLDEN_AAD), 'bad_key');
    await expectCryptoError(openWithPrivateKey(sk, concatBytes(A_1_1.pkRm, Uint8Array.of(0)), box, GOLDEN_INFO, GOLDEN_AAD), 'bad_key');
  });

  it('opens with a non-extractable private key, as the client holds it', async () => {
    // PKCS#8 wrapping of the raw X25519 key (RFC 8410), imported as lib/crypto/keys.ts does.
    const pkcs8 = fromHex('302e020100300506032b656e04220420' + toHex(A_1_1.skRm));
    const sk = await crypto.subtle.importKey('pkcs8', pkcs8, 'X25519', false, ['deriveBits']);
    expect(utf8Decode(await openWithPrivateKey(sk, A_1_1.pkRm, fromHex(GOLDEN_BOX), GOLDEN_INFO, GOLDEN_AAD))).toBe('zkinvoice golden plaintext');
    expect(sk.extractable).toBe(false);
  });
});
