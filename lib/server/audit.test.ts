import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '@/lib/crypto/encoding';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@/lib/db/test-database';
import { auditLog } from '@/lib/db/schema';
import { checkAuditExport, GENESIS_PREV_HASH, type AuditChainVerdict } from '@/lib/shared/audit-chain';
import { exportAuditLog, recordAudit, verifyAuditChain } from './audit';
import { db } from './db';
import { useDatabaseForTests } from './testing';

const CONTEXT = { ip: '192.0.2.7', userAgent: 'vitest' };
const APPENDS = 1000;
const TAMPERED_SEQ = 500;

/** The database's own message: drizzle wraps driver errors in a "Failed query" error. */
const failure = (promise: Promise<unknown>) =>
  promise.then(() => 'ok', (e: unknown) => {
    const error = e as { message?: string; cause?: { message?: string } };
    return error.cause?.message ?? error.message ?? String(e);
  });

async function exportLines(): Promise<string[]> {
  let text = '';
  for await (const chunk of exportAuditLog()) text += chunk;
  return text.split('\n').filter((line) => line !== '');
}

async function* fromArray(lines: string[]): AsyncGenerator<string> {
  yield* lines;
}

const run = promisify(execFile);
/** The documented offline command, as an auditor would run it. */
async function offlineCheck(file: string, ...extra: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(path.join('node_modules', '.bin', 'tsx'), ['scripts/verify-audit-export.ts', file, ...extra]);
    return { code: 0, stdout };
  } catch (e) {
    const error = e as { code: number; stdout: string };
    return { code: error.code, stdout: error.stdout };
  }
}

describe.each(testDatabaseKinds())('audit chain on %s', (kind) => {
  let database: TestDatabase;
  const scratch = mkdtempSync(path.join(tmpdir(), 'zkinvoice-audit-'));
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    useDatabaseForTests(database.handle);
  });
  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    await database.drop();
  });

  it(`links ${APPENDS} concurrent appends, each in its own transaction, into one chain that verifies`, async () => {
    const started = performance.now();
    await Promise.all(Array.from({ length: APPENDS }, (_, i) =>
      db().transaction((tx) => recordAudit({ action: 'test.append', outcome: 'success', objectType: 'test', objectId: String(i) }, CONTEXT, tx))));
    console.log(`${kind}: ${APPENDS} concurrent appends in ${Math.round(performance.now() - started)} ms`);

    const rows = await db().select({ seq: auditLog.seq, objectId: auditLog.objectId, prevHash: auditLog.prevHash, hash: auditLog.hash }).from(auditLog).orderBy(asc(auditLog.seq));
    expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: APPENDS }, (_, i) => i + 1));
    expect(new Set(rows.map((row) => row.objectId)).size).toBe(APPENDS);
    rows.forEach((row, i) => expect(toHex(row.prevHash)).toBe(toHex(i === 0 ? GENESIS_PREV_HASH : rows[i - 1]!.hash)));

    const verifyStarted = performance.now();
    await expect(verifyAuditChain()).resolves.toEqual({ ok: true, verifiedUpTo: APPENDS, head: toHex(rows[APPENDS - 1]!.hash) });
    console.log(`${kind}: verified ${APPENDS} rows in ${Math.round(performance.now() - verifyStarted)} ms`);
  }, 120_000);

  it('appends in a transaction of its own when given none, and not at all when the change rolls back', async () => {
    await recordAudit({ action: 'test.failure', outcome: 'failure', reason: 'test' }, CONTEXT);
    await expect(db().transaction(async (tx) => {
      await recordAudit({ action: 'test.rolled_back', outcome: 'success' }, CONTEXT, tx);
      throw new Error('the change fails');
    })).rejects.toThrow('the change fails');
    await recordAudit({ action: 'test.after_rollback', outcome: 'success' }, CONTEXT);
    await expect(verifyAuditChain()).resolves.toMatchObject({ ok: true, verifiedUpTo: APPENDS + 2 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on audit_log', async () => {
    expect(await failure(db().execute(sql`update audit_log set reason = 'forged' where seq = 1`))).toMatch(/append-only: UPDATE refused/);
    expect(await failure(db().execute(sql`delete from audit_log where seq = 2`))).toMatch(/append-only: DELETE refused/);
    expect(await failure(db().execute(sql`delete from audit_log where seq = -1`))).toMatch(/append-only: DELETE refused/);
    expect(await failure(db().execute(sql`truncate audit_log`))).toMatch(/append-only: TRUNCATE refused/);
    await expect(verifyAuditChain()).resolves.toMatchObject({ ok: true, verifiedUpTo: APPENDS + 2 });
  });

  it('exports a log that the offline command verifies to the same head', async () => {
    const verdict = await verifyAuditChain();
    const lines = await exportLines();
    expect(lines).toHaveLength(APPENDS + 3);
    await expect(checkAuditExport(fromArray(lines))).resolves.toEqual(verdict);
    const file = path.join(scratch, 'clean.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const head = verdict.ok ? verdict.head : '';
    expect(await offlineCheck(file)).toEqual({ code: 0, stdout: `verified up to #${APPENDS + 2}, head ${head}\n` });
    expect((await offlineCheck(file, '--head', '00'.repeat(32))).code).toBe(1);

    // A truncated export (the head line lost) or a row dropped from the middle is caught offline.
    await expect(checkAuditExport(fromArray(lines.slice(0, -2)))).resolves.toMatchObject({ ok: false, brokenAt: APPENDS + 2, reason: expect.stringMatching(/no head line/) });
    await expect(checkAuditExport(fromArray(lines.filter((_, i) => i !== 9)))).resolves.toMatchObject({ ok: false, verifiedUpTo: 9, brokenAt: 10 });
  }, 60_000);

  it(`reports a row changed behind the disabled trigger at exactly its seq, online and offline`, async () => {
    await db().execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    await db().execute(sql`update audit_log set reason = 'forged' where seq = ${TAMPERED_SEQ}`);
    await db().execute(sql`alter table audit_log enable trigger audit_log_append_only`);

    const expected = { ok: false, verifiedUpTo: TAMPERED_SEQ - 1, brokenAt: TAMPERED_SEQ, reason: expect.stringMatching(/hash does not match/) };
    const verdict: AuditChainVerdict = await verifyAuditChain();
    expect(verdict).toEqual(expected);

    const lines = await exportLines();
    await expect(checkAuditExport(fromArray(lines))).resolves.toEqual(verdict);
    const file = path.join(scratch, 'tampered.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const offline = await offlineCheck(file);
    expect(offline.code).toBe(1);
    expect(offline.stdout).toMatch(new RegExp(`^broken at #${TAMPERED_SEQ}: hash does not match .*\\(verified up to #${TAMPERED_SEQ - 1}\\)`));
  }, 60_000);
});

describe.each(testDatabaseKinds())('audit chain migration on %s', (kind) => {
  let database: TestDatabase;
  const earlier = mkdtempSync(path.join(tmpdir(), 'zkinvoice-migrations-'));
  beforeAll(async () => {
    // The migrations before the chain, so rows can be written as they were then.
    const journal = JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')) as { entries: { tag: string }[] };
    const before = journal.entries.findIndex((entry) => entry.tag === '0002_audit-chain');
    journal.entries = journal.entries.slice(0, before);
    mkdirSync(path.join(earlier, 'meta'));
    writeFileSync(path.join(earlier, 'meta', '_journal.json'), JSON.stringify(journal));
    for (const entry of journal.entries) copyFileSync(path.join('drizzle', `${entry.tag}.sql`), path.join(earlier, `${entry.tag}.sql`));
    database = await createTestDatabase(kind, earlier);
    useDatabaseForTests(database.handle);
  });
  afterAll(async () => {
    rmSync(earlier, { recursive: true, force: true });
    await database.drop();
  });

  it('chains existing rows exactly as the application hashes them, renumbered from #1', async () => {
    // Gaps in seq, microseconds, and every kind of character JSON escapes (or does not).
    const awkward = 'quote " backslash \\ newline \n tab \t bell \u0007 del \u007f é 日本 😀 </script> \u2028';
    await db().execute(sql`insert into audit_log (seq, at, action, outcome) values (3, '2025-01-02 03:04:05.678901+00', 'legacy.one', 'success')`);
    await db().execute(sql`insert into audit_log (seq, at, actor_user_id, credential_id, action, object_type, object_id, outcome, reason, ip, user_agent)
      values (7, '2025-01-02 03:04:06+00', '6f1c1d4e-2b1a-4c8e-9d3f-0a1b2c3d4e5f', 'cred', 'legacy.two', 'invoice', 'x', 'failure', ${awkward}, '::1', ${awkward})`);
    // Takes seq 1 from the old serial default, so it comes first.
    await db().execute(sql`insert into audit_log (action, outcome) values ('legacy.three', 'success')`);

    await database.handle.migrate();
    await expect(verifyAuditChain()).resolves.toMatchObject({ ok: true, verifiedUpTo: 3 });
    const rows = await db().select({ seq: auditLog.seq, at: auditLog.at, action: auditLog.action, reason: auditLog.reason }).from(auditLog).orderBy(asc(auditLog.seq));
    expect(rows.map((row) => [row.seq, row.action])).toEqual([[1, 'legacy.three'], [2, 'legacy.one'], [3, 'legacy.two']]);
    expect(rows[1]!.at.toISOString()).toBe('2025-01-02T03:04:05.678Z');
    expect(rows[2]!.reason).toBe(awkward);

    await recordAudit({ action: 'test.after_migration', outcome: 'success' }, CONTEXT);
    await expect(verifyAuditChain()).resolves.toMatchObject({ ok: true, verifiedUpTo: 4 });
  });
});
