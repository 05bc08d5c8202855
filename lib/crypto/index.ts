export { CryptoError, type CryptoErrorCode } from './errors';
export { domainLabel } from './domain';
export {
  concatBytes,
  equalBytes,
  fromBase64Url,
  fromHex,
  randomBytes,
  toBase64Url,
  toHex,
  utf8Decode,
  utf8Encode,
  type Bytes,
} from './encoding';
export { hkdfAesGcmKey, hkdfBytes, sha256 } from './kdf';
export { importAesGcmKey, openBytes, sealBytes } from './aead';
export { HPKE_SUITE, openWithPrivateKey, sealToPublicKey } from './hpke';
export { signWithContext, verifyWithContext } from './sign';
export {
  generateKeyPairs,
  unwrapPrivateKeys,
  wrapPrivateKeys,
  type ExpectedPublicKeys,
  type GeneratedKeyPairs,
  type PrivateKeysPkcs8,
  type UnlockedKeyPairs,
} from './keys';
export {
  PRF_INPUT,
  RECOVERY_SLOT,
  accountKeyAad,
  deriveRecoveryAuth,
  deriveRecoveryKek,
  derivePasskeyKek,
  generateAccountKey,
  hashRecoveryAuth,
  importAccountKey,
  keyringAad,
  unwrapAccountKey,
  userPrivateKeysAad,
  wrapAccountKey,
  type AccountKeyBinding,
} from './account';
export { formatRecoveryKey, generateRecoveryKey, lastRecoveryGroup, parseRecoveryKey } from './recovery-key';
export {
  generateOrgSecret,
  importOrgSecret,
  openOrgSecret,
  orgPrivateKeysAad,
  sealOrgSecretToMember,
  type OrgKeyBinding,
  type OrgMemberBinding,
} from './org';
export {
  signMembershipCertificate,
  verifyMembershipCertificate,
  type MembershipCertificate,
  type MembershipRole,
} from './certificate';
export { fingerprint } from './fingerprint';
export {
  CIPHERTEXT_RECORD_SIZE,
  ENVELOPE_VERSION,
  RECORD_SIZE,
  RECORD_TAG_SIZE,
  checkDekCommitment,
  ciphertextDigestOf,
  ciphertextLengthFor,
  computeDekCommitment,
  computeKeyId,
  createCiphertextDigest,
  decryptFileStream,
  decryptHeader,
  encryptFileStream,
  encryptHeader,
  fastBinding,
  generateDek,
  importOrgDekWrapKey,
  openDekGrant,
  padmeLength,
  paddedLength,
  parseManifest,
  recordCountFor,
  sealDekForOrg,
  signManifest,
  unwrapDekFast,
  verifyManifest,
  wrapDekFast,
  type CiphertextDigest,
  type DekBinding,
  type FastBinding,
  type FileIds,
  type InvoiceManifest,
} from './envelope';
