import canonicalize from 'canonicalize';
import { openBytes, sealBytes, sealBytesWithNonce } from '../aead';
import { domainLabel } from '../domain';
import { equalBytes, fromBase64Url, toBase64Url, utf8Encode, type Bytes } from '../encoding';
import { hkdfAesGcmKey, sha256 } from '../kdf';
import { signWithContext, verifyWithContext } from '../sign';
import { assertDek } from './dek';
import { computeKeyId } from './manifest';
import { padBytes, unpadBytes } from './padding';

/**
 * The signed record of one invoice lifecycle event (DESIGN §8), format v1 or v2. The record's
 * fields are the same in both; a v2 record's payload is Padmé-padded before it is sealed (DESIGN
 * §4), so its length leaks only coarsely. The signed `v` tells a reader which one to expect. Everything in it is
 * metadata the server may see; details (amounts, references, reasons, comments) are in the
 * payload, sealed under the invoice DEK and bound here by `payloadSha256` (SHA-256 of the sealed
 * payload, base64url), so the signature covers them without revealing them. `prevEventId` chains
 * each event to the one before it (null for the first), so a server cannot reorder or drop events
 * from the middle of a history without breaking a signature.
 */
export type InvoiceEventRecord = {
  v: EventRecordVersion;
  eventId: string;
  invoiceId: string;
  type: string;
  actorUserId: string;
  actorOrgId: string;
  signerKeyId: string;
  createdAt: string;
  prevEventId: string | null;
  payloadSha256: string | null;
};

/** The version new events are written with; v1 events stay readable. */
export const EVENT_RECORD_VERSION = 2;
export type EventRecordVersion = 1 | 2;
const EVENT_CONTEXT = domainLabel('invoice-event');
const ED25519_PUBLIC_KEY_LENGTH = 32;

/** RFC 8785 JCS bytes of the record: what is signed. */
export function canonicalEventBytes(record: InvoiceEventRecord): Bytes {
  const json = canonicalize(record);
  if (json === undefined) throw new Error('event record is not JSON-serializable');
  return utf8Encode(json);
}

/** Ed25519 over JCS(record) under `zkinvoice/v1/invoice-event`, so it can never pass as a manifest or certificate. */
export async function signEventRecord(signingPrivateKey: CryptoKey, record: InvoiceEventRecord): Promise<string> {
  return toBase64Url(await signWithContext(signingPrivateKey, EVENT_CONTEXT, canonicalEventBytes(record)));
}

/**
 * True only for a valid signature by this key over this exact record, and only if the record
 * names this key (`signerKeyId`). False, never a throw, for anything malformed.
 */
export async function verifyEventRecord(signingPublicKey: Uint8Array, record: InvoiceEventRecord, signature: string): Promise<boolean> {
  if ((record.v !== 1 && record.v !== 2) || signingPublicKey.length !== ED25519_PUBLIC_KEY_LENGTH) return false;
  let signatureBytes: Bytes;
  try {
    signatureBytes = fromBase64Url(signature);
  } catch {
    return false;
  }
  if (record.signerKeyId !== (await computeKeyId(signingPublicKey))) return false;
  return verifyWithContext(signingPublicKey, EVENT_CONTEXT, canonicalEventBytes(record), signatureBytes);
}

/**
 * eventKey = HKDF(DEK, salt = utf8(eventId), info "zkinvoice/v1/event"): one key per event, so no
 * two events (or an event and the header or a file) ever share a key, and nonce reuse across
 * events is impossible. Both organizations hold the DEK, so both can write and read events.
 */
async function importEventKey(dek: Uint8Array, eventId: string): Promise<CryptoKey> {
  assertDek(dek);
  return hkdfAesGcmKey(dek, utf8Encode(eventId), domainLabel('event'));
}

/** AAD `zkinvoice/v1/event|invoiceId|eventId`: a payload cannot be moved to another event or invoice. */
function eventAad(invoiceId: string, eventId: string): string {
  return domainLabel('event', invoiceId, eventId);
}

export interface EventIds {
  invoiceId: string;
  eventId: string;
}

function payloadPlaintext(plaintext: Uint8Array, version: EventRecordVersion): Uint8Array {
  return version >= 2 ? padBytes(plaintext) : plaintext;
}

/** Seals a payload (JSON bytes) as a sealed box v1 with a random nonce, for a record of `version`. */
export async function encryptEventPayload(dek: Uint8Array, ids: EventIds, plaintext: Uint8Array, version: EventRecordVersion): Promise<Bytes> {
  return sealBytes(await importEventKey(dek, ids.eventId), payloadPlaintext(plaintext, version), eventAad(ids.invoiceId, ids.eventId));
}

/** Golden test vectors only: a fixed nonce. Production code calls `encryptEventPayload`. */
export async function encryptEventPayloadWithNonce(dek: Uint8Array, ids: EventIds, plaintext: Uint8Array, nonce: Uint8Array, version: EventRecordVersion): Promise<Bytes> {
  return sealBytesWithNonce(await importEventKey(dek, ids.eventId), nonce, payloadPlaintext(plaintext, version), eventAad(ids.invoiceId, ids.eventId));
}

/**
 * Opens a payload of a record of `version` (the signed record's `v`). Wrong DEK, wrong ids or any
 * tampering → `decrypt_failed`; bad v2 padding → `bad_padding`.
 */
export async function decryptEventPayload(dek: Uint8Array, ids: EventIds, sealed: Uint8Array, version: EventRecordVersion): Promise<Bytes> {
  const plaintext = await openBytes(await importEventKey(dek, ids.eventId), sealed, eventAad(ids.invoiceId, ids.eventId));
  return version >= 2 ? unpadBytes(plaintext) : plaintext;
}

/** The `payloadSha256` value for a sealed payload. */
export async function payloadDigest(sealed: Uint8Array): Promise<string> {
  return toBase64Url(await sha256(sealed));
}

/** Whether a sealed payload (or its absence) is the one the record commits to. */
export async function payloadMatches(record: InvoiceEventRecord, sealed: Uint8Array | null): Promise<boolean> {
  if (sealed === null || record.payloadSha256 === null) return sealed === null && record.payloadSha256 === null;
  return equalBytes(fromBase64Url(await payloadDigest(sealed)), fromBase64Url(record.payloadSha256));
}
