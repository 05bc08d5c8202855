import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { MIGRATION_LOCK_ID } from './locks';
import * as schema from './schema';

/** Both drivers share the PgDatabase surface; code is written once against it. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction on either driver, for code that must run inside one (the audit append). */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseHandle {
  kind: DatabaseKind;
  db: Database;
  /** Applies the migrations in drizzle/ (tests may name another folder, e.g. an earlier prefix). */
  migrate(migrationsFolder?: string): Promise<void>;
  close(): Promise<void>;
}

const MIGRATIONS_FOLDER = path.join(process.cwd(), 'drizzle');
/** Connections each app instance may open to PostgreSQL (PGlite has one). */
export const POSTGRES_POOL_MAX = 10;

/**
 * bytea in and out of PGlite as hex text, converted by Buffer's native codec. PGlite's own
 * converters go byte by byte through JavaScript strings (`Array.from(bytes).map(toString(16))`,
 * `parseInt` per byte): ~1.5 s and a burst of garbage to store one 1 MiB upload part on the
 * 2-core machine, against ~55 ms with these (bench/upload.ts). The hex format is unchanged.
 */
const PGLITE_BYTEA = {
  serializers: {
    [types.BYTEA]: (value: unknown): string => {
      if (!(value instanceof Uint8Array)) throw new Error('Invalid input for bytea type');
      return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
    },
  },
  parsers: {
    // Each value gets its own ArrayBuffer (never a slice of Buffer's shared pool).
    [types.BYTEA]: (text: string): Uint8Array => {
      const bytes = new Uint8Array((text.length - 2) / 2);
      Buffer.from(bytes.buffer).write(text.slice(2), 'hex');
      return bytes;
    },
  },
};

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite database in dataDir. */
export function openDatabase(options: { databaseUrl?: string; pgliteDataDir: string }): DatabaseHandle {
  const { databaseUrl } = options;
  if (databaseUrl) {
    // The application name lets GET /api/metrics count this app's connections in pg_stat_activity.
    const client = postgres(databaseUrl, { max: POSTGRES_POOL_MAX, onnotice: () => {}, connection: { application_name: 'zkinvoice' } });
    return {
      kind: 'postgres',
      db: drizzlePostgres(client, { schema }) as unknown as Database,
      async migrate(migrationsFolder = MIGRATIONS_FOLDER) {
        // A single-connection client holds the advisory lock for the whole migration.
        const conn = postgres(databaseUrl, { max: 1, onnotice: () => {} });
        try {
          await conn`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
          await migratePostgres(drizzlePostgres(conn, { schema }), { migrationsFolder });
        } finally {
          await conn.end({ timeout: 5 });
        }
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  // 'memory://' keeps the database in memory (unit tests); anything else is a directory.
  const inMemory = options.pgliteDataDir.startsWith('memory://');
  const dataDir = inMemory ? options.pgliteDataDir : path.resolve(options.pgliteDataDir);
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir, PGLITE_BYTEA);
  const db = drizzlePglite(client, { schema });
  return {
    kind: 'pglite',
    db: db as unknown as Database,
    migrate: (migrationsFolder = MIGRATIONS_FOLDER) => migratePglite(db, { migrationsFolder }),
    close: () => client.close(),
  };
}
