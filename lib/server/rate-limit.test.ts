import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@/lib/db/test-database';
import { AppError } from './errors';
import { enforceRateLimit } from './rate-limit';
import { useDatabaseForTests } from './testing';

describe.each(testDatabaseKinds())('rate limits on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    useDatabaseForTests(database.handle);
  });
  afterAll(() => database.drop());

  it('refuses the attempt past the limit with 429 and Retry-After', async () => {
    for (let i = 0; i < 3; i++) await enforceRateLimit('test:sequential', 3, 3600);
    const error = await enforceRateLimit('test:sequential', 3, 3600).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const response = (error as AppError).toResponse();
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await response.json()).toMatchObject({ error: { code: 'rate_limited' } });
  });

  it('counts concurrent attempts exactly', async () => {
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => enforceRateLimit('test:concurrent', 5, 3600).then(() => 'ok', () => 'limited')));
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(5);
  });

  it('keeps separate keys apart', async () => {
    await enforceRateLimit('test:a', 1, 3600);
    await expect(enforceRateLimit('test:b', 1, 3600)).resolves.toBeUndefined();
  });
});
