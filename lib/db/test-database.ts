import postgres from 'postgres';
import { openDatabase, type DatabaseHandle } from './client';

export interface TestDatabase {
  handle: DatabaseHandle;
  drop(): Promise<void>;
}

/** The databases every server test runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function testDatabaseKinds(): ('pglite' | 'postgres')[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * A fresh, migrated database: in-memory PGlite, or a uniquely named PostgreSQL database. A test of
 * a migration passes a folder holding the migrations before it.
 */
export async function createTestDatabase(kind: 'pglite' | 'postgres', migrationsFolder?: string): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const handle = openDatabase({ pgliteDataDir: 'memory://' });
    await handle.migrate(migrationsFolder);
    return { handle, drop: () => handle.close() };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `zkinvoice_unit_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = openDatabase({ databaseUrl: url.toString(), pgliteDataDir: 'memory://' });
  await handle.migrate(migrationsFolder);
  return {
    handle,
    async drop() {
      await handle.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}
