import { fromBase64Url } from '../encoding';
import { CryptoError } from '../errors';
import { ENVELOPE_VERSIONS, isEnvelopeVersion, RECORD_SIZE } from './format';
import type { InvoiceManifest } from './manifest';

const SHA256_LENGTH = 32;
const KEY_ID_LENGTH = 16;
const MAX_ID_LENGTH = 256;
// Date.prototype.toISOString(): one spelling per instant, so the signed bytes are reproducible.
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function fail(path: string, problem: string): never {
  throw new CryptoError('bad_format', `manifest ${path}: ${problem}`);
}

/** A plain object with exactly `keys`: unknown fields are refused, as they would not be signed as read. */
function object(value: unknown, keys: readonly string[], path: string): { [key: string]: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'must be an object');
  const record = value as { [key: string]: unknown };
  for (const key of Object.keys(record)) if (!keys.includes(key)) fail(`${path}.${key}`, 'unknown field');
  for (const key of keys) if (!Object.hasOwn(record, key)) fail(`${path}.${key}`, 'missing');
  return record;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'must be an array');
  return value;
}

/** Ids enter domain labels, which reject empty ids and the `|` separator. */
function id(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH || value.includes('|')) {
    fail(path, `must be a non-empty id of at most ${MAX_ID_LENGTH} characters without "|"`);
  }
  return value;
}

function base64Url(value: unknown, length: number, path: string): string {
  if (typeof value !== 'string') fail(path, 'must be a base64url string');
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(value);
  } catch {
    fail(path, 'must be base64url');
  }
  if (bytes.length !== length) fail(path, `must encode ${length} bytes`);
  return value;
}

function integer(value: unknown, min: number, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) fail(path, `must be an integer ≥ ${min}`);
  return value;
}

function timestamp(value: unknown, path: string): string {
  if (typeof value !== 'string' || !ISO_TIMESTAMP.test(value) || Number.isNaN(Date.parse(value))) {
    fail(path, 'must be an ISO 8601 UTC timestamp as Date.toISOString() writes it');
  }
  return value;
}

function unique(values: string[], path: string): void {
  if (new Set(values).size !== values.length) fail(path, 'has duplicates');
}

/**
 * Structural validation of an untrusted manifest (v1 or v2): exact field sets, ids usable in
 * domain labels, digests of the right length, RECORD_SIZE records, no duplicate files or
 * recipients. It checks shape, not trust: call `verifyManifest` before believing any of it.
 * Returns a fresh object holding only the validated fields.
 */
export function parseManifest(json: unknown): InvoiceManifest {
  const m = object(
    json,
    ['v', 'invoiceId', 'supplierOrgId', 'customerOrgId', 'signerUserId', 'signerKeyId', 'createdAt', 'header', 'files', 'dekCommitment', 'recipients'],
    'manifest',
  );
  if (!isEnvelopeVersion(m.v)) {
    if (typeof m.v === 'number') throw new CryptoError('unsupported_version', `manifest v${m.v}`);
    fail('v', `must be one of ${ENVELOPE_VERSIONS.join(', ')}`);
  }
  const version = m.v;
  const header = object(m.header, ['sha256', 'size'], 'header');
  const files = array(m.files, 'files').map((value, i) => {
    const file = object(value, ['fileId', 'sha256', 'size', 'recordSize'], `files[${i}]`);
    if (file.recordSize !== RECORD_SIZE) fail(`files[${i}].recordSize`, `must be ${RECORD_SIZE}`);
    return {
      fileId: id(file.fileId, `files[${i}].fileId`),
      sha256: base64Url(file.sha256, SHA256_LENGTH, `files[${i}].sha256`),
      size: integer(file.size, 1, `files[${i}].size`),
      recordSize: RECORD_SIZE,
    };
  });
  const recipients = array(m.recipients, 'recipients').map((value, i) => {
    const recipient = object(value, ['orgId', 'keyVersion'], `recipients[${i}]`);
    return { orgId: id(recipient.orgId, `recipients[${i}].orgId`), keyVersion: integer(recipient.keyVersion, 1, `recipients[${i}].keyVersion`) };
  });
  if (recipients.length === 0) fail('recipients', 'must not be empty');
  unique(files.map((file) => file.fileId), 'files');
  unique(recipients.map((recipient) => recipient.orgId), 'recipients');
  return {
    v: version,
    invoiceId: id(m.invoiceId, 'invoiceId'),
    supplierOrgId: id(m.supplierOrgId, 'supplierOrgId'),
    customerOrgId: id(m.customerOrgId, 'customerOrgId'),
    signerUserId: id(m.signerUserId, 'signerUserId'),
    signerKeyId: base64Url(m.signerKeyId, KEY_ID_LENGTH, 'signerKeyId'),
    createdAt: timestamp(m.createdAt, 'createdAt'),
    header: { sha256: base64Url(header.sha256, SHA256_LENGTH, 'header.sha256'), size: integer(header.size, 1, 'header.size') },
    files,
    dekCommitment: base64Url(m.dekCommitment, SHA256_LENGTH, 'dekCommitment'),
    recipients,
  };
}
