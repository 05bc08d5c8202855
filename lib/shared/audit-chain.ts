import canonicalize from 'canonicalize';
import { z } from 'zod';
import { concatBytes, equalBytes, fromHex, toHex, utf8Encode, type Bytes } from '../crypto/encoding';
import { sha256 } from '../crypto/kdf';

/*
 * The audit log's hash chain (DESIGN §9), shared by the server (recordAudit, verifyAuditChain) and
 * the offline checker (scripts/verify-audit-export.ts), so both hash exactly the same bytes.
 *
 *   canonical(row) = UTF-8 of RFC 8785 JCS of {seq, at, actorUserId, credentialId, action,
 *                    objectType, objectId, outcome, reason, ip, userAgent}
 *                    (absent values are JSON null; `at` is ISO 8601 UTC with milliseconds)
 *   hash(row)      = SHA-256(prevHash ‖ canonical(row))
 *   prevHash(#1)   = 32 zero bytes; prevHash(#n) = hash(#n-1); seq runs 1, 2, 3, … without gaps.
 *
 * Every column is hashed, including seq, so a row can be neither changed, moved, removed nor
 * inserted without breaking the link at that place. drizzle/0002_audit-chain.sql builds the same
 * JSON in SQL for rows that existed before the chain; keep the two in step.
 */

export const AUDIT_HASH_BYTES = 32;
export const GENESIS_PREV_HASH: Bytes = new Uint8Array(AUDIT_HASH_BYTES);

const ISO_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HEX_HASH = /^[0-9a-f]{64}$/;

export const auditChainRowSchema = z.strictObject({
  seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  at: z.string().regex(ISO_MS_UTC, 'must be ISO 8601 UTC with milliseconds'),
  actorUserId: z.string().nullable(),
  credentialId: z.string().nullable(),
  action: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  outcome: z.string(),
  reason: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
/** The hashed content of one audit row. */
export type AuditChainRow = z.infer<typeof auditChainRowSchema>;

/** A row as stored: its content and both links. */
export interface ChainedAuditRow extends AuditChainRow {
  prevHash: Uint8Array;
  hash: Uint8Array;
}

export type AuditChainVerdict =
  | { ok: true; verifiedUpTo: number; head: string }
  | { ok: false; verifiedUpTo: number; brokenAt: number; reason: string };

export function canonicalAuditRow(row: AuditChainRow): Bytes {
  // Rebuilt field by field, so a caller's extra properties can never slip into the hash.
  const json = canonicalize({
    seq: row.seq,
    at: row.at,
    actorUserId: row.actorUserId,
    credentialId: row.credentialId,
    action: row.action,
    objectType: row.objectType,
    objectId: row.objectId,
    outcome: row.outcome,
    reason: row.reason,
    ip: row.ip,
    userAgent: row.userAgent,
  });
  if (json === undefined) throw new Error('audit row is not JSON-serializable');
  return utf8Encode(json);
}

export async function computeAuditHash(prevHash: Uint8Array, row: AuditChainRow): Promise<Bytes> {
  if (prevHash.length !== AUDIT_HASH_BYTES) throw new Error('prevHash must be 32 bytes');
  return sha256(concatBytes(prevHash, canonicalAuditRow(row)));
}

/**
 * Walks rows in seq order, holding only the previous link, and stops at the first broken one:
 * a missing or out-of-order seq, a prevHash that is not the previous row's hash, or a hash that
 * does not match the row's content.
 */
export async function verifyAuditRows(rows: AsyncIterable<ChainedAuditRow>): Promise<AuditChainVerdict> {
  let verifiedUpTo = 0;
  let head: Uint8Array = GENESIS_PREV_HASH;
  for await (const row of rows) {
    const expected = verifiedUpTo + 1;
    const broken = (reason: string): AuditChainVerdict => ({ ok: false, verifiedUpTo, brokenAt: expected, reason });
    if (row.seq !== expected) return broken(`expected row #${expected}, found #${row.seq}`);
    if (!equalBytes(row.prevHash, head)) return broken(expected === 1 ? 'the first row does not start from the zero hash' : `prev_hash is not the hash of row #${verifiedUpTo}`);
    if (!equalBytes(row.hash, await computeAuditHash(row.prevHash, row))) return broken('hash does not match the row’s content');
    verifiedUpTo = row.seq;
    head = row.hash;
  }
  return { ok: true, verifiedUpTo, head: toHex(head) };
}

/** One line of an export: the row, its links in lowercase hex. */
export function auditExportLine(row: ChainedAuditRow): string {
  const { prevHash, hash, ...content } = row;
  return JSON.stringify({ ...auditChainRowSchema.parse(content), prevHash: toHex(prevHash), hash: toHex(hash) });
}

/** The last line of an export: the head it claims, so truncation is detected. */
export function auditExportHeadLine(verifiedHead: { seq: number; hash: string }): string {
  return JSON.stringify({ head: verifiedHead });
}

const exportRowSchema = auditChainRowSchema.extend({ prevHash: z.string().regex(HEX_HASH), hash: z.string().regex(HEX_HASH) });
const exportHeadSchema = z.strictObject({ head: z.strictObject({ seq: z.number().int().nonnegative(), hash: z.string().regex(HEX_HASH) }) });

/**
 * Checks an export (JSON lines, see exportAuditLog) from its text alone: the same chain walk as the
 * server, then the head line, which must name the last row and its hash. `expectedHead`, a head
 * hash obtained elsewhere (e.g. noted at an earlier audit), must then match too.
 */
export async function checkAuditExport(lines: AsyncIterable<string>, expectedHead?: string): Promise<AuditChainVerdict> {
  // Filled in while the rows are read; an object, so the checks after the walk see the updates.
  const seen: { head: { seq: number; hash: string } | null; malformed: string | null } = { head: null, malformed: null };
  let lineNumber = 0;
  async function* rows(): AsyncGenerator<ChainedAuditRow> {
    for await (const line of lines) {
      lineNumber += 1;
      if (line.trim() === '') continue;
      if (seen.head) {
        seen.malformed = `line ${lineNumber} follows the head line`;
        return;
      }
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        seen.malformed = `line ${lineNumber} is not JSON`;
        return;
      }
      const head = exportHeadSchema.safeParse(value);
      if (head.success) {
        seen.head = head.data.head;
        continue;
      }
      const row = exportRowSchema.safeParse(value);
      if (!row.success) {
        seen.malformed = `line ${lineNumber} is not an audit row`;
        return;
      }
      yield { ...row.data, prevHash: fromHex(row.data.prevHash), hash: fromHex(row.data.hash) };
    }
  }
  const verdict = await verifyAuditRows(rows());
  if (!verdict.ok) return verdict;
  const broken = (reason: string, brokenAt = verdict.verifiedUpTo + 1): AuditChainVerdict => ({ ok: false, verifiedUpTo: verdict.verifiedUpTo, brokenAt, reason });
  if (seen.malformed) return broken(seen.malformed);
  const head = seen.head;
  if (!head) return broken('the export has no head line: it may be truncated');
  if (head.seq !== verdict.verifiedUpTo) return broken(`the head line names row #${head.seq}, but the rows end at #${verdict.verifiedUpTo}`);
  if (head.hash !== verdict.head) return broken('the head line’s hash is not the last row’s hash', verdict.verifiedUpTo);
  if (expectedHead !== undefined && expectedHead.toLowerCase() !== verdict.head) return broken(`the head hash is not the expected ${expectedHead}`, verdict.verifiedUpTo);
  return verdict;
}
