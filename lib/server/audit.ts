import 'server-only';
import { auditLog, type AuditEntry } from '@/lib/db/schema';
import type { Database } from '@/lib/db/client';
import type { RequestContext } from './http';
import { db } from './db';
import { log } from './log';

type Executor = Pick<Database, 'insert'>;

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
 * Appends to the audit log. Pass the transaction that makes the change so the record and the
 * change commit together; failures are recorded outside any transaction (they change nothing).
 */
export async function recordAudit(event: AuditEvent, context: RequestContext, executor: Executor = db()): Promise<void> {
  const entry: AuditEntry = {
    action: event.action,
    outcome: event.outcome,
    actorUserId: event.actorUserId ?? null,
    credentialId: event.credentialId ?? null,
    objectType: event.objectType ?? null,
    objectId: event.objectId ?? null,
    reason: event.reason ?? null,
    ip: context.ip,
    userAgent: context.userAgent,
  };
  await executor.insert(auditLog).values(entry);
  if (event.outcome === 'failure') log('warn', event.action, { outcome: 'failure', reason: event.reason, actor: event.actorUserId ?? undefined });
}
