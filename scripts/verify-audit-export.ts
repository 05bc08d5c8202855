// Checks an audit log export offline, from the file alone:
//
//   npx tsx scripts/verify-audit-export.ts audit-log.jsonl [--head <hex>]
//
// It recomputes every row's hash, SHA-256(prev hash ‖ RFC 8785 JCS of the row), with the code the
// server uses (lib/shared/audit-chain.ts), follows the links from the zero hash at #1, and checks
// the closing head line. With --head, the head must also equal a hash noted elsewhere (say, the one
// shown in the admin console when the export was made). Prints "verified up to #N, head <hex>" and
// exits 0, or names the first broken link and exits 1 (2 for a usage error).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { checkAuditExport } from '../lib/shared/audit-chain';

const args = process.argv.slice(2);
const headFlag = args.indexOf('--head');
const expectedHead = headFlag >= 0 ? args.splice(headFlag, 2)[1] : undefined;
const [file, ...rest] = args;
if (!file || rest.length > 0 || (headFlag >= 0 && !expectedHead)) {
  console.error('usage: npx tsx scripts/verify-audit-export.ts <export.jsonl> [--head <hex>]');
  process.exit(2);
}

const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
const verdict = await checkAuditExport(lines, expectedHead);
if (verdict.ok) {
  console.log(`verified up to #${verdict.verifiedUpTo}, head ${verdict.head}`);
} else {
  console.log(`broken at #${verdict.brokenAt}: ${verdict.reason} (verified up to #${verdict.verifiedUpTo})`);
  process.exitCode = 1;
}
