import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@/lib/db/test-database';
import { organizations, users } from '@/lib/db/schema';
import { describeError, isDatabaseUnavailable, isStorageFull } from './failures';

// What the log may say about a failed query (DESIGN §9: class, code and message, never bound parameters).
describe.each(testDatabaseKinds())('describeError on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database.drop());

  const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('the query succeeded'); }, (e: unknown) => e);

  it('keeps the SQLSTATE and constraint of a unique violation, not the duplicated value', async () => {
    const secret = `secret-${randomUUID()}@example.test`;
    const id = randomUUID();
    await database.handle.db.insert(users).values({ id, email: secret, displayName: 'A' });
    const error = await failure(database.handle.db.insert(users).values({ id, email: secret, displayName: secret }));
    // What drizzle itself would print carries the parameters.
    expect(String((error as Error).message)).toContain(secret);
    const described = describeError(error);
    expect(described).toMatchObject({ sqlState: '23505' });
    expect(described.cause).toMatch(/duplicate key/);
    expect(JSON.stringify(described)).not.toContain(secret);
    expect(JSON.stringify(described)).not.toContain(id);
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('drops the quoted value from an "invalid input syntax" message', async () => {
    const secret = `not-a-uuid-${randomUUID().slice(0, 8)}`;
    const error = await failure(database.handle.db.select().from(organizations).where(eq(organizations.id, secret)));
    const described = describeError(error);
    expect(described).toMatchObject({ sqlState: '22P02' });
    expect(described.cause).toContain('‹…›');
    expect(JSON.stringify(described)).not.toContain(secret);
  });
});

describe('describeError on errors built by hand', () => {
  it('names no bound parameter and no quoted value of a wrapped driver error', () => {
    const secret = 'needle-4711';
    const driver = Object.assign(new Error(`invalid input syntax for type uuid: "${secret}"`), { code: '22P02' });
    const described = describeError(new DrizzleQueryError('select * from invoices where id = $1', [secret], driver));
    expect(described).toEqual({ cause: 'Error: invalid input syntax for type uuid: ‹…›', sqlState: '22P02' });
    expect(JSON.stringify(describeError(new DrizzleQueryError('select $1', [secret], undefined as never)))).not.toContain(secret);
    expect(JSON.stringify(describeError(new Error(`Failed query: select $1\nparams: ${secret}`)))).not.toContain(secret);
  });

  it('keeps table and constraint names and a system error code, and drops a code that could be a value', () => {
    const postgresJs = Object.assign(new Error('duplicate key value violates unique constraint "users_email_unique"'), { code: '23505', table_name: 'users', constraint_name: 'users_email_unique', detail: 'Key (email)=(a@b.test) already exists.' });
    expect(describeError(postgresJs)).toEqual({ cause: 'Error: duplicate key value violates unique constraint ‹…›', sqlState: '23505', table: 'users', constraint: 'users_email_unique' });
    expect(describeError(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }))).toEqual({ cause: 'Error: ENOSPC: no space left on device, write', code: 'ENOSPC' });
    expect(describeError(Object.assign(new Error('x'), { code: 'a@b.test' }))).toEqual({ cause: 'Error: x' });
  });

  it('names an ordinary error by its name and message, and a non-error by its type', () => {
    expect(describeError(new TypeError('bad thing'))).toEqual({ cause: 'TypeError: bad thing' });
    expect(describeError('a string')).toEqual({ cause: 'string' });
  });
});

describe('failures the client can act on', () => {
  const coded = (code: string) => Object.assign(new Error(code), { code });
  it('counts a terminated backend, a refused or dropped connection as the database being unavailable', () => {
    for (const code of ['57P01', '57P02', '57P03', '08006', '08001', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'ECONNREFUSED', 'ECONNRESET']) {
      expect(isDatabaseUnavailable(coded(code)), code).toBe(true);
      expect(isDatabaseUnavailable(new DrizzleQueryError('commit', [], coded(code))), code).toBe(true);
    }
    for (const code of ['23505', '40001', '57014', 'ENOSPC']) expect(isDatabaseUnavailable(coded(code)), code).toBe(false);
    expect(isDatabaseUnavailable(new Error('no code'))).toBe(false);
  });

  it('counts ENOSPC, EDQUOT and PostgreSQL’s disk_full as full storage', () => {
    for (const code of ['ENOSPC', 'EDQUOT', '53100']) expect(isStorageFull(new DrizzleQueryError('insert', [], coded(code))), code).toBe(true);
    expect(isStorageFull(coded('EACCES'))).toBe(false);
  });
});
