import canonicalize from 'canonicalize';
import { openBytes, sealBytes, sealBytesWithNonce } from '../aead';
import { domainLabel } from '../domain';
import { equalBytes, fromBase64Url, toBase64Url, utf8Encode, type Bytes } from '../encoding';
import { hkdfAesGcmKey, sha256 } from '../kdf';
import { signWithContext, verifyWithContext } from '../sign';
import { assertDek } from './dek';
import { computeKeyId } from './manifest';

/**
 * The signed record of one invoice lifecycle event (DESIGN §8), format v1. Everything in it is
 * metadata the server may see; details (amounts, references, reasons, comments) are in the
 * payload, sealed under the invoice DEK and bound here by `payloadSha256` (SHA-256 of the sealed
 * payload, base64url), so the signature covers them without revealing them. `prevEventId` chains
 * each event to the one before it (null for the first), so a server cannot reorder or drop events
 * from the middle of a history without breaking a signature.
 */
export type InvoiceEventRecord = {
  v: 1;
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

export const EVENT_RECORD_VERSION = 1;
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
  if (record.v !== EVENT_RECORD_VERSION || signingPublicKey.length !== ED25519_PUBLIC_KEY_LENGTH) return false;
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

/** Seals a payload (JSON bytes) as a sealed box v1 with a random nonce. */
export async function encryptEventPayload(dek: Uint8Array, ids: EventIds, plaintext: Uint8Array): Promise<Bytes> {
  return sealBytes(await importEventKey(dek, ids.eventId), plaintext, eventAad(ids.invoiceId, ids.eventId));
}

/** Golden test vectors only: a fixed nonce. Production code calls `encryptEventPayload`. */
export async function encryptEventPayloadWithNonce(dek: Uint8Array, ids: EventIds, plaintext: Uint8Array, nonce: Uint8Array): Promise<Bytes> {
  return sealBytesWithNonce(await importEventKey(dek, ids.eventId), nonce, plaintext, eventAad(ids.invoiceId, ids.eventId));
}

/** Wrong DEK, wrong ids or any tampering → `decrypt_failed`. */
export async function decryptEventPayload(dek: Uint8Array, ids: EventIds, sealed: Uint8Array): Promise<Bytes> {
  return openBytes(await importEventKey(dek, ids.eventId), sealed, eventAad(ids.invoiceId, ids.eventId));
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
