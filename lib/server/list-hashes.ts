import 'server-only';
import { createHash } from 'node:crypto';
import { canonicalManifestBytes, type InvoiceManifest } from '@/lib/crypto/verify';

/**
 * SHA-256 of an invoice's canonical manifest (JCS, as every client hashes it) and of its sealed
 * header: what a list-index record and a fast-path record bind (DESIGN §6). Public data; the
 * compact list serves them instead of the manifest and header themselves.
 */
export function listHashes(manifest: InvoiceManifest, sealedHeader: Uint8Array): { manifestSha256: Uint8Array; headerSha256: Uint8Array } {
  return {
    manifestSha256: createHash('sha256').update(canonicalManifestBytes(manifest)).digest(),
    headerSha256: createHash('sha256').update(sealedHeader).digest(),
  };
}
