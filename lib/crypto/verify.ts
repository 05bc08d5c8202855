/**
 * The server's only entry point into lib/crypto (DESIGN §2, §9): checks of public data that
 * anyone may run — signatures, certificates, key ids, ciphertext digests — and nothing that
 * generates, holds, wraps or unwraps a key or decrypts anything. `lib/server` and `app/api` may
 * import nothing else from lib/crypto (eslint.config.mjs enforces it), so a reviewer can see at a
 * glance what the server is able to do with the bytes it stores.
 */
export { verifyMembershipCertificate } from './certificate';
export { toHex } from './encoding';
export { computeKeyId, createCiphertextDigest, RECORD_SIZE, verifyEventRecord, verifyManifest, type InvoiceManifest } from './envelope';
