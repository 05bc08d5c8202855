import path from 'node:path';
import type { DbTarget } from './targets';

/**
 * The file that holds one stored ciphertext part in the test server's blob store, by the layout
 * of lib/server/blob-store.ts (`<BLOB_DIR>/uploads/<uploadId>/<fileId>.<index>`). Tests that play
 * the malicious server (DESIGN §2) or scan for canaries read and edit these directly.
 */
export function partFile(target: DbTarget, uploadId: string, fileId: string, index: number): string {
  return path.join(target.blobDir, 'uploads', uploadId, `${fileId}.${index}`);
}
