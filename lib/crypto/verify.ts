/**
 * The server's only entry point into lib/crypto (DESIGN §2, §9): checks of public data that
 * anyone may run — signatures, certificates, membership-chain links and acceptances, key ids,
 * ciphertext digests — and nothing that generates, holds, wraps or unwraps a key or decrypts
 * anything. `lib/server`, `app/api`, `lib/db` and `scripts` may import nothing else from
 * lib/crypto (eslint.config.mjs enforces it), so a reviewer sees at a glance what the server can
 * do with the bytes it stores.
 */
export { verifyMembershipCertificate, type MembershipCertificate } from './certificate';
export { toHex } from './encoding';
export { canonicalManifestBytes, computeKeyId, createCiphertextDigest, RECORD_SIZE, RECORD_TAG_SIZE, verifyEventRecord, verifyManifest, type InvoiceManifest } from './envelope';
export { ChainError, hashAcceptance, hashLink, replayChain, verifyAcceptance, type ChainLink, type ChainState, type SignedAcceptance, type SignedChainLink } from './org';
