import { CryptoError } from '@/lib/crypto/errors';
import {
  canonicalManifestBytes,
  checkDekCommitment,
  decryptHeader,
  openDekGrant,
  unwrapDekFast,
  verifyManifest,
  type FastBinding,
  type InvoiceManifest,
} from '@/lib/crypto/envelope';
import { equalBytes, fromBase64Url, utf8Decode } from '@/lib/crypto/encoding';
import { sha256 } from '@/lib/crypto/kdf';
import type { UnlockedKeyPairs } from '@/lib/crypto/keys';
import type { InvoiceDto } from '@/lib/shared/invoice-dto';
import { invoiceHeaderSchema, type InvoiceHeader } from '@/lib/shared/schemas/invoice';

// The per-invoice crypto of an invoice's full open (DESIGN §4–§6), apart from the checks that need
// the keyring: the same code runs on the main thread (openInvoice) and in the open workers
// (open-invoice.worker.ts), so a row is the same whichever of them opened it. Nothing here imports
// the DOM, the keyring or the API client, which a worker has none of.

/** A reason an invoice must not be trusted; each is shown as a blocking warning. */
export type InvoiceProblem =
  | 'signature'
  | 'certificate'
  | 'manifest-mismatch'
  | 'header-hash'
  | 'key-commitment'
  | 'decryption'
  | 'header-format'
  | 'supplier-key-changed'
  | 'no-key';

/** SHA-256 of the canonical manifest and of the sealed header, as served: what a fast-path record binds. */
export type ServedHashes = Pick<FastBinding, 'manifestSha256' | 'headerSha256'>;

/** The keys of one key version of the org that opens an invoice: what its DEK is found with. */
export interface OpeningKeys {
  keys: Pick<UnlockedKeyPairs, 'encryptionPrivateKey' | 'encryptionPublicKey'>;
  dekWrapKey: CryptoKey;
}

/**
 * The invoice's DEK for this org, checked against the manifest's commitment. The current key
 * version is tried first; an invoice received before a rotation opens with the older epoch's keys,
 * which the current org secret unlocks through the epoch chain (`older`, org-epochs.ts). Within a
 * version the org's fast-path copy (DESIGN §6) is tried first; a copy that does not open, or opens
 * to a DEK the supplier did not commit to (written by a co-member's broken or hostile client),
 * falls back to the HPKE grant, which is what the supplier sealed. Only a grant that fails the
 * commitment is `bad_commitment`.
 */
export async function openDek(
  invoice: Pick<InvoiceDto, 'id' | 'keys'>,
  org: { orgId: string; keyVersion: number } & OpeningKeys,
  manifest: { dekCommitment: string },
  older: (version: number) => Promise<OpeningKeys | null> = async () => null,
  /** The served manifest's and sealed header's hashes; without them no fast-path record is tried. */
  served: ServedHashes | null = null,
): Promise<{ dek: Uint8Array; viaFastPath: boolean } | null> {
  const mine = invoice.keys.filter((k) => k.orgId === org.orgId);
  const versions = [...new Set(mine.map((k) => k.keyVersion))].sort((a, b) => (a === org.keyVersion ? -1 : b === org.keyVersion ? 1 : b - a));
  for (const keyVersion of versions) {
    const epoch = keyVersion === org.keyVersion ? { keys: org.keys, dekWrapKey: org.dekWrapKey } : await older(keyVersion).catch(() => null);
    if (!epoch) continue;
    const binding = { invoiceId: invoice.id, orgId: org.orgId, keyVersion };
    const fast = served && mine.find((k) => k.kind === 'fast' && k.keyVersion === keyVersion);
    if (fast) {
      try {
        const dek = await unwrapDekFast(epoch.dekWrapKey, fromBase64Url(fast.sealedDek), { ...binding, ...served });
        await checkDekCommitment(dek, manifest);
        return { dek, viaFastPath: true };
      } catch {
        // A record made for another manifest or header, an older format, or a broken copy falls
        // back to the HPKE grant, which is what the supplier sealed, and the full checks.
      }
    }
    const grant = mine.find((k) => k.kind === 'grant' && k.keyVersion === keyVersion);
    if (!grant) continue;
    const dek = await openDekGrant(epoch.keys.encryptionPrivateKey, epoch.keys.encryptionPublicKey, fromBase64Url(grant.sealedDek), binding);
    await checkDekCommitment(dek, manifest);
    // The client then verifies in full and writes a new record, which replaces the broken one.
    return { dek, viaFastPath: false };
  }
  return null;
}

/** What the crypto of one invoice's open needs: its served bytes and what the keyring checks found before. */
export interface OpenJob {
  invoiceId: string;
  manifest: InvoiceManifest;
  manifestSignature: string;
  /** As served, base64url. */
  sealedHeader: string;
  /** The invoice's keys for the opening org only. */
  keys: InvoiceDto['keys'];
  /** Found before the crypto (supplier pin, manifest parties), in the order they were found. */
  problems: InvoiceProblem[];
  /**
   * The supplier's keys are served and trusted and the served signer is the one the manifest names:
   * a fast-path record may be tried if nothing else failed.
   */
  fastPathCandidate: boolean;
  /** The served signer's key (base64url) when its key id is the manifest's signerKeyId; null: no signature check can pass. */
  signingKey: string | null;
}

/** What the crypto found; `dek` is null whenever a problem was found. */
export interface OpenOutcome {
  problems: InvoiceProblem[];
  dek: Uint8Array | null;
  header: InvoiceHeader | null;
  /** Opened through a fast-path record: signed, certified and committed bytes a member checked before. */
  verifiedBefore: boolean;
  served: ServedHashes;
}

/**
 * The crypto of openInvoice: header hash, DEK (fast-path record or HPKE grant), and unless a
 * fast-path record opened, the signer's certificate (`certified`, asked only then) and the
 * manifest signature; then, only if nothing failed, the header's decryption and format.
 */
export async function runOpenJob(
  job: OpenJob,
  org: { orgId: string; keyVersion: number } & OpeningKeys,
  older: (version: number) => Promise<OpeningKeys | null>,
  certified: () => Promise<boolean>,
): Promise<OpenOutcome> {
  const problems = new Set<InvoiceProblem>(job.problems);
  const { manifest } = job;
  const sealedHeader = fromBase64Url(job.sealedHeader);
  const served: ServedHashes = { manifestSha256: await sha256(canonicalManifestBytes(manifest)), headerSha256: await sha256(sealedHeader) };
  if (manifest.header.size !== sealedHeader.byteLength || !equalBytes(served.headerSha256, fromBase64Url(manifest.header.sha256))) problems.add('header-hash');

  // Verified once per organization (DESIGN §6): a fast-path record that opens under the hashes of
  // this very manifest and sealed header was made by a member's client after it had checked the
  // signature, certificate and commitment of exactly these bytes, so those checks are not redone.
  // It is tried only when nothing cheaper already failed, the supplier's keys are served and trusted
  // (pinned, or this org's own), and the served signer is the one the manifest names; the supplier
  // pin still applies.
  const fastPathAllowed = problems.size === 0 && job.fastPathCandidate;
  let dek: Uint8Array | null = null;
  let verifiedBefore = false;
  try {
    const opened = await openDek({ id: job.invoiceId, keys: job.keys }, org, manifest, older, fastPathAllowed ? served : null);
    if (!opened) problems.add('no-key');
    else {
      dek = opened.dek;
      verifiedBefore = opened.viaFastPath;
    }
  } catch (error) {
    problems.add(error instanceof CryptoError && error.code === 'bad_commitment' ? 'key-commitment' : 'decryption');
  }

  if (!verifiedBefore) {
    if (!(await certified())) problems.add('certificate');
    if (job.signingKey === null || !(await verifyManifest(fromBase64Url(job.signingKey), manifest, job.manifestSignature))) problems.add('signature');
  }

  let header: InvoiceHeader | null = null;
  if (dek && problems.size === 0) {
    try {
      const parsed = invoiceHeaderSchema.safeParse(JSON.parse(utf8Decode(await decryptHeader(dek, job.invoiceId, sealedHeader, manifest.v))));
      const manifestFiles = new Set(manifest.files.map((f) => f.fileId));
      if (parsed.success && parsed.data.documents.every((d) => manifestFiles.has(d.fileId))) header = parsed.data;
      else problems.add('header-format');
    } catch {
      problems.add('decryption');
    }
  }
  return { problems: [...problems], dek: problems.size ? null : dek, header, verifiedBefore, served };
}

/** A job as sent to an open worker: the certificate check, which needs the keyring, was made on the page. */
export type WorkerJob = OpenJob & { certified: boolean };

/** What the page sends an open worker: the org's current keys once per list open, then batches of jobs. */
export type WorkerRequest =
  | { type: 'keys'; org: { orgId: string; keyVersion: number } & OpeningKeys }
  | { type: 'open'; batch: number; jobs: WorkerJob[] };

/** A worker's answer to one batch, in the jobs' order; null: it failed, and the page opens the batch itself. */
export interface WorkerReply {
  batch: number;
  outcomes: OpenOutcome[] | null;
}
