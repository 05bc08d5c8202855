import 'server-only';
import { and, asc, desc, gt, lte, sql } from 'drizzle-orm';
import { toHex } from '@/lib/crypto/verify';
import type { Transaction } from '@/lib/db/client';
import { AUDIT_CHAIN_LOCK_ID } from '@/lib/db/locks';
import { auditLog } from '@/lib/db/schema';
import {
  auditExportHeadLine,
  auditExportLine,
  computeAuditHash,
  GENESIS_PREV_HASH,
  verifyAuditRows,
  type AuditChainRow,
  type AuditChainVerdict,
  type ChainedAuditRow,
} from '@/lib/shared/audit-chain';
import type { RequestContext } from './http';
import { db } from './db';
import { log } from './log';

/** Rows read per query by the verifier and the export, so memory stays flat however long the log. */
const AUDIT_BATCH_ROWS = 500;

export interface AuditEvent {
  action: string;
  outcome: 'success' | 'failure';
  actorUserId?: string | null;
  credentialId?: string | null;
  objectType?: string;
  objectId?: string;
  reason?: string;
}

/**
 * Appends to the hash-chained audit log. Pass the transaction that makes the change so the record
 * and the change commit together; without one the append runs in a transaction of its own (failures
 * are recorded so: they change nothing). The append holds a transaction-wide lock on the chain's
 * head until commit, so call it last, or nearly, in the transaction.
 */
export async function recordAudit(event: AuditEvent, context: RequestContext, tx?: Transaction): Promise<void> {
  if (tx) await appendAuditRow(tx, event, context);
  else await db().transaction((own) => appendAuditRow(own, event, context));
  if (event.outcome === 'failure') log('warn', event.action, { outcome: 'failure', reason: event.reason, actor: event.actorUserId ?? undefined });
}

async function appendAuditRow(tx: Transaction, event: AuditEvent, context: RequestContext): Promise<void> {
  // Concurrent appends wait here; each then reads the head its predecessor committed.
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_ID})`);
  const [head] = await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  // Taken under the lock, so `at` never goes backwards along the chain (on one clock).
  const at = new Date();
  const row: AuditChainRow = {
    seq: (head?.seq ?? 0) + 1,
    at: at.toISOString(),
    actorUserId: event.actorUserId ?? null,
    credentialId: event.credentialId ?? null,
    action: event.action,
    objectType: event.objectType ?? null,
    objectId: event.objectId ?? null,
    outcome: event.outcome,
    reason: event.reason ?? null,
    ip: context.ip,
    userAgent: context.userAgent,
  };
  const prevHash = head?.hash ?? GENESIS_PREV_HASH;
  const hash = await computeAuditHash(prevHash, row);
  await tx.insert(auditLog).values({ ...row, outcome: event.outcome, at, prevHash, hash });
}

/**
 * Walks the whole chain from #1 and reports either the head it verified or the first broken link.
 * Not access-checked: the caller (an admin route) must have checked the session.
 */
export async function verifyAuditChain(): Promise<AuditChainVerdict> {
  return verifyAuditRows(readChain(await currentHeadSeq()));
}

/**
 * The log as JSON lines, one row per line in seq order, then `{"head":{"seq","hash"}}`; checked
 * offline by scripts/verify-audit-export.ts. Rows are exported as stored, broken or not: the
 * export is evidence, and the offline check reports the break. Not access-checked (as above).
 */
export async function* exportAuditLog(): AsyncGenerator<string> {
  let head = { seq: 0, hash: GENESIS_PREV_HASH as Uint8Array };
  for await (const row of readChain(await currentHeadSeq())) {
    yield `${auditExportLine(row)}\n`;
    head = row;
  }
  yield `${auditExportHeadLine({ seq: head.seq, hash: toHex(head.hash) })}\n`;
}

async function currentHeadSeq(): Promise<number> {
  const [head] = await db().select({ seq: auditLog.seq }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  return head?.seq ?? 0;
}

/**
 * Rows up to `headSeq` in batches. Appends commit in seq order (they hold the lock until commit),
 * so each batch continues the same prefix of the chain without a long-running transaction.
 */
async function* readChain(headSeq: number): AsyncGenerator<ChainedAuditRow> {
  let after = 0;
  while (after < headSeq) {
    const batch = await db()
      .select({
        seq: auditLog.seq,
        at: auditLog.at,
        actorUserId: auditLog.actorUserId,
        credentialId: auditLog.credentialId,
        action: auditLog.action,
        objectType: auditLog.objectType,
        objectId: auditLog.objectId,
        outcome: auditLog.outcome,
        reason: auditLog.reason,
        ip: auditLog.ip,
        userAgent: auditLog.userAgent,
        prevHash: auditLog.prevHash,
        hash: auditLog.hash,
      })
      .from(auditLog)
      .where(and(gt(auditLog.seq, after), lte(auditLog.seq, headSeq)))
      .orderBy(asc(auditLog.seq))
      .limit(AUDIT_BATCH_ROWS);
    if (batch.length === 0) return;
    for (const row of batch) yield { ...row, at: row.at.toISOString() };
    after = batch[batch.length - 1]!.seq;
  }
}
