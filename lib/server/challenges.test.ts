import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@/lib/db/test-database';
import { webauthnChallenges } from '@/lib/db/schema';
import { consumeChallenge, storeChallenge } from './challenges';
import { AppError } from './errors';
import { useDatabaseForTests } from './testing';

const code = (promise: Promise<unknown>) => promise.then(() => 'ok', (e: unknown) => (e instanceof AppError ? e.code : String(e)));

describe.each(testDatabaseKinds())('challenges on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    useDatabaseForTests(database.handle);
  });
  afterAll(() => database.drop());

  it('consumes a challenge exactly once', async () => {
    await storeChallenge('once', 'sign-in');
    await expect(consumeChallenge('once', 'sign-in')).resolves.toMatchObject({ challenge: 'once', ceremony: 'sign-in' });
    expect(await code(consumeChallenge('once', 'sign-in'))).toBe('challenge_invalid');
  });

  it('refuses a challenge of another ceremony, and spends it', async () => {
    await storeChallenge('other', 'sign-up', { data: { userId: 'x' } });
    expect(await code(consumeChallenge('other', 'recovery'))).toBe('challenge_invalid');
    expect(await code(consumeChallenge('other', 'sign-up'))).toBe('challenge_invalid');
  });

  it('refuses an expired challenge', async () => {
    await storeChallenge('old', 'reauth');
    await database.handle.db.update(webauthnChallenges).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(webauthnChallenges.challenge, 'old'));
    expect(await code(consumeChallenge('old', 'reauth'))).toBe('challenge_invalid');
  });

  it('lets only one of many concurrent verifications consume a challenge', async () => {
    await storeChallenge('race', 'sign-in');
    const results = await Promise.all(Array.from({ length: 8 }, () => code(consumeChallenge('race', 'sign-in'))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'challenge_invalid')).toHaveLength(7);
  });
});
