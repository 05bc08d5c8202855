import 'client-only';

import {
  ciphertextLengthFor,
  computeDekCommitment,
  computeKeyId,
  createCiphertextDigest,
  encryptFileStream,
  encryptHeader,
  ENVELOPE_VERSION,
  generateDek,
  RECORD_SIZE,
  sealDekForOrg,
  signManifest,
  wrapDekFast,
  fastBinding,
  type InvoiceManifest,
} from '@/lib/crypto/envelope';
import { fromBase64Url, toBase64Url, utf8Encode } from '@/lib/crypto/encoding';
import { sha256 } from '@/lib/crypto/kdf';
import type { InvoiceDocument, InvoiceHeader } from '@/lib/shared/schemas/invoice';
import { PART_UPLOAD_CONCURRENCY, RECORDS_PER_PART } from '@/lib/shared/upload';
import type { UnlockedAccount, UnlockedOrg } from './account';
import { api, ApiError, apiErrorFrom } from './api';
import { buildSignedEvent } from './invoice-events';
import type { OrgPublicKeys } from '@/lib/shared/invoice-dto';

export interface OutgoingDocument {
  file: File;
  role: InvoiceDocument['role'];
}

export interface SendProgress {
  /** Per document: plaintext bytes encrypted and sent so far, and the total. */
  documents: { name: string; sent: number; total: number }[];
  stage: 'encrypting' | 'committing' | 'done';
}

/** What a retry needs to continue an interrupted upload with identical ciphertext. */
export interface UploadState {
  invoiceId: string;
  dek: Uint8Array;
  fileIds: string[];
  createdAt: string;
}

const PART_RETRIES = 3;

async function putPartWithRetry(path: string, body: Uint8Array, signal: AbortSignal): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    signal.throwIfAborted();
    try {
      const response = await fetch(path, { method: 'PUT', body: body as BodyInit, headers: { 'content-type': 'application/octet-stream' }, signal, credentials: 'same-origin' });
      if (response.ok) return;
      // A full store (507) stays full for longer than the retries wait.
      if (response.status < 500 || response.status === 507 || attempt >= PART_RETRIES) {
        throw apiErrorFrom(await response.json().catch(() => null), response.status);
      }
    } catch (error) {
      if (signal.aborted || error instanceof ApiError || attempt >= PART_RETRIES) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
  }
}

async function* readFile(file: File): AsyncGenerator<Uint8Array> {
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

/**
 * Encrypts one document record by record and uploads it in parts of whole records, up to
 * PART_UPLOAD_CONCURRENCY parts in flight at once (so memory stays at a few parts, whatever the
 * file size). Parts already on the server (a resumed upload) are re-encrypted to the same bytes but
 * not sent again: the STREAM nonces are counters and the file key depends only on the DEK and
 * file id. The first part that fails for good cancels the others and is the error thrown.
 */
async function uploadDocument(state: UploadState, index: number, file: File, stored: Set<number>, signal: AbortSignal, onBytes: (sent: number) => void): Promise<{ sha256: string; size: number }> {
  const fileId = state.fileIds[index]!;
  const digest = createCiphertextDigest();
  const parts = new AbortController();
  const stop = () => parts.abort(signal.reason);
  signal.addEventListener('abort', stop, { once: true });
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  let part: Uint8Array[] = [];
  let partIndex = 0;
  let plaintextDone = 0;
  let plaintextFlushed = 0;
  let acknowledged = 0;
  let size = 0;
  const flush = async () => {
    const body = new Uint8Array(part.reduce((n, r) => n + r.byteLength, 0));
    let offset = 0;
    for (const record of part) {
      body.set(record, offset);
      offset += record.byteLength;
    }
    part = [];
    const plaintextBytes = plaintextDone - plaintextFlushed;
    plaintextFlushed = plaintextDone;
    const acknowledge = () => {
      acknowledged += plaintextBytes;
      onBytes(acknowledged);
    };
    if (stored.has(partIndex)) {
      partIndex++;
      acknowledge();
      return;
    }
    const sending: Promise<void> = putPartWithRetry(`/api/uploads/${state.invoiceId}/files/${fileId}/parts/${partIndex++}`, body, parts.signal)
      .then(acknowledge, (error: unknown) => {
        failure ??= { error };
        parts.abort(error);
      })
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
    if (inFlight.size >= PART_UPLOAD_CONCURRENCY) await Promise.race(inFlight);
  };
  try {
    for await (const record of encryptFileStream(state.dek, { invoiceId: state.invoiceId, fileId }, readFile(file), file.size)) {
      if (failure) break;
      signal.throwIfAborted();
      await digest.update(record);
      size += record.byteLength;
      part.push(record);
      plaintextDone = Math.min(file.size, plaintextDone + RECORD_SIZE);
      if (part.length === RECORDS_PER_PART) await flush();
    }
    if (part.length && !failure) await flush();
    await Promise.all(inFlight);
    if (failure) throw (failure as { error: unknown }).error;
    signal.throwIfAborted();
  } finally {
    signal.removeEventListener('abort', stop);
    if (inFlight.size) {
      parts.abort(signal.reason);
      await Promise.allSettled(inFlight);
    }
  }
  onBytes(file.size);
  return { sha256: toBase64Url(await digest.digest()), size };
}

export async function startUpload(supplier: UnlockedOrg, customer: OrgPublicKeys, documents: OutgoingDocument[]): Promise<UploadState> {
  const { maxDocumentBytes } = await api<{ maxDocumentBytes: number }>('/api/config');
  const tooLarge = documents.find((d) => d.file.size > maxDocumentBytes);
  if (tooLarge) throw ApiError.local('bad_request', 'document_over_limit', 400, { name: tooLarge.file.name, mib: Math.floor(maxDocumentBytes / 1024 / 1024) });
  const fileIds = documents.map(() => crypto.randomUUID());
  const { invoiceId } = await api<{ invoiceId: string }>('/api/uploads', {
    body: {
      supplierOrgId: supplier.orgId,
      customerOrgId: customer.orgId,
      files: documents.map((d, i) => ({ fileId: fileIds[i], ciphertextSize: ciphertextLengthFor(d.file.size) })),
    },
  });
  return { invoiceId, dek: generateDek(), fileIds, createdAt: new Date().toISOString() };
}

/**
 * Encrypts and uploads every document, then seals the header, signs the manifest and commits.
 * Safe to call again with the same state after a failure: it resumes from the stored parts, and
 * a commit that already happened is answered as done.
 */
export async function sendInvoice(input: {
  account: UnlockedAccount;
  supplier: UnlockedOrg;
  customer: OrgPublicKeys;
  header: Omit<InvoiceHeader, 'documents'>;
  documents: OutgoingDocument[];
  state: UploadState;
  signal: AbortSignal;
  onProgress: (progress: SendProgress) => void;
  /** For a credit note: the credited invoice, its DEK and its last event, for its signed `credited` event. */
  credit?: CreditedInvoice;
}): Promise<{ invoiceId: string }> {
  const { account, supplier, customer, state, signal, documents } = input;
  const progress: SendProgress = { stage: 'encrypting', documents: documents.map((d) => ({ name: d.file.name, sent: 0, total: d.file.size })) };
  input.onProgress(structuredClone(progress));
  const { files: storedParts } = await api<{ files: { fileId: string; parts: number[] }[] }>(`/api/uploads/${state.invoiceId}`);

  const manifestFiles: InvoiceManifest['files'] = [];
  for (const [index, doc] of documents.entries()) {
    const stored = new Set(storedParts.find((f) => f.fileId === state.fileIds[index])?.parts ?? []);
    const { sha256: digest, size } = await uploadDocument(state, index, doc.file, stored, signal, (sent) => {
      progress.documents[index]!.sent = sent;
      input.onProgress(structuredClone(progress));
    });
    manifestFiles.push({ fileId: state.fileIds[index]!, sha256: digest, size, recordSize: RECORD_SIZE });
  }

  progress.stage = 'committing';
  input.onProgress(structuredClone(progress));
  const header: InvoiceHeader = {
    ...input.header,
    documents: documents.map((d, i) => ({ fileId: state.fileIds[i]!, name: d.file.name, mediaType: d.file.type || 'application/octet-stream', size: d.file.size, role: d.role })),
  };
  const sealedHeader = await encryptHeader(state.dek, state.invoiceId, utf8Encode(JSON.stringify(header)), ENVELOPE_VERSION);
  const recipients = [
    { orgId: supplier.orgId, keyVersion: supplier.keyVersion, publicKey: supplier.keys.encryptionPublicKey },
    { orgId: customer.orgId, keyVersion: customer.keyVersion, publicKey: fromBase64Url(customer.encryptionPublicKey) },
  ];
  const manifest: InvoiceManifest = {
    v: ENVELOPE_VERSION,
    invoiceId: state.invoiceId,
    supplierOrgId: supplier.orgId,
    customerOrgId: customer.orgId,
    signerUserId: account.userId,
    signerKeyId: await computeKeyId(account.keys.signingPublicKey),
    createdAt: state.createdAt,
    header: { sha256: toBase64Url(await sha256(sealedHeader)), size: sealedHeader.byteLength },
    files: manifestFiles,
    dekCommitment: toBase64Url(await computeDekCommitment(state.dek)),
    recipients: recipients.map(({ orgId, keyVersion }) => ({ orgId, keyVersion })),
  };
  const grants = await Promise.all(
    recipients.map(async (r) => ({
      orgId: r.orgId,
      keyVersion: r.keyVersion,
      sealedDek: toBase64Url(await sealDekForOrg(state.dek, r.publicKey, { invoiceId: state.invoiceId, orgId: r.orgId, keyVersion: r.keyVersion })),
    })),
  );
  // The supplier made and signed this manifest itself: its org's record binds exactly these bytes.
  const binding = await fastBinding({ invoiceId: state.invoiceId, orgId: supplier.orgId, keyVersion: supplier.keyVersion }, manifest, sealedHeader);
  await api(`/api/uploads/${state.invoiceId}/commit`, {
    body: {
      manifest,
      manifestSignature: await signManifest(account.keys.signingPrivateKey, manifest),
      sealedHeader: toBase64Url(sealedHeader),
      grants,
      fastKey: { orgId: supplier.orgId, keyVersion: supplier.keyVersion, wrappedDek: toBase64Url(await wrapDekFast(supplier.dekWrapKey, state.dek, binding)) },
      ...(input.credit ? { credits: await creditedEvent(account, supplier, input.credit, state.invoiceId, header.number) } : {}),
    },
  });
  progress.stage = 'done';
  input.onProgress(structuredClone(progress));
  return { invoiceId: state.invoiceId };
}

export interface CreditedInvoice {
  invoiceId: string;
  dek: Uint8Array;
  prevEventId: string | null;
}

/** The credited invoice's `credited` event, naming this credit note, committed together with it. */
async function creditedEvent(account: UnlockedAccount, supplier: UnlockedOrg, credit: CreditedInvoice, creditNoteId: string, creditNoteNumber: string) {
  const event = await buildSignedEvent({
    account,
    actorOrgId: supplier.orgId,
    invoiceId: credit.invoiceId,
    dek: credit.dek,
    type: 'credited',
    payload: { creditNoteId, creditNoteNumber },
    prevEventId: credit.prevEventId,
  });
  return { invoiceId: credit.invoiceId, event };
}

/** Cancels an upload: the server deletes its parts; nothing was ever visible. */
export async function abandonUpload(state: UploadState): Promise<void> {
  await api(`/api/uploads/${state.invoiceId}`, { method: 'DELETE' }).catch(() => {});
}
