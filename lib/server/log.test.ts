import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@/lib/db/test-database';
import { organizations, users } from '@/lib/db/schema';
import { describeError } from './log';

// What the log may say about a failed query (DESIGN §9: code and message, never bound parameters).
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
    expect(described).toMatchObject({ cause: 'database', sqlState: '23505' });
    expect(JSON.stringify(described)).not.toContain(secret);
    expect(JSON.stringify(described)).not.toContain(id);
  });

  it('drops the quoted value from an "invalid input syntax" message', async () => {
    const secret = `not-a-uuid-${randomUUID().slice(0, 8)}`;
    const error = await failure(database.handle.db.select().from(organizations).where(eq(organizations.id, secret)));
    const described = describeError(error);
    expect(described).toMatchObject({ cause: 'database', sqlState: '22P02' });
    expect(JSON.stringify(described)).not.toContain(secret);
  });
});

describe('describeError on other errors', () => {
  it('names an ordinary error by its name and message, and a non-error by its type', () => {
    expect(describeError(new TypeError('bad thing'))).toEqual({ cause: 'TypeError: bad thing' });
    expect(describeError('a string')).toEqual({ cause: 'string' });
  });
});
