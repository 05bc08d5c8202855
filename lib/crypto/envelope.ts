/**
 * Invoice envelope v1 and v2 (DESIGN §4): DEK and header, streamed and padded documents, ciphertext
 * digests, the signed manifest, the DEK grants (HPKE per org, plus the per-org fast path of §6), and
 * the per-org list index segments (§6).
 * The golden vectors in envelope/golden.test.ts pin the format.
 */
export {
  CIPHERTEXT_RECORD_SIZE,
  ENVELOPE_VERSION,
  ENVELOPE_VERSIONS,
  RECORD_SIZE,
  RECORD_TAG_SIZE,
  ciphertextLengthFor,
  padmeLength,
  paddedLength,
  recordCountFor,
  type EnvelopeVersion,
} from './envelope/format';
export { checkDekCommitment, computeDekCommitment, decryptHeader, encryptHeader, generateDek } from './envelope/dek';
export { decryptFileStream, encryptFileStream, type FileIds } from './envelope/stream';
export { ciphertextDigestOf, createCiphertextDigest, type CiphertextDigest } from './envelope/digest';
export { canonicalManifestBytes, computeKeyId, signManifest, verifyManifest, type InvoiceManifest } from './envelope/manifest';
export { parseManifest } from './envelope/manifest-parse';
export {
  EVENT_RECORD_VERSION,
  decryptEventPayload,
  encryptEventPayload,
  payloadDigest,
  payloadMatches,
  signEventRecord,
  verifyEventRecord,
  type EventRecordVersion,
  type InvoiceEventRecord,
} from './envelope/event';
export {
  fastBinding,
  importOrgDekWrapKey,
  openDekGrant,
  sealDekForOrg,
  unwrapDekFast,
  wrapDekFast,
  type DekBinding,
  type FastBinding,
} from './envelope/grants';
export {
  LIST_INDEX_VERSION,
  importListIndexKey,
  openListIndexSegment,
  sealListIndexSegment,
  type ListDocument,
  type ListFields,
  type ListIndexRecord,
  type SegmentBinding,
} from './envelope/list-index';
