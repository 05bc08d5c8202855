import 'server-only';
import type { DatabaseHandle } from '@/lib/db/client';

/** Points the server modules at a test database (unit tests only; the app opens its own). */
export function useDatabaseForTests(handle: DatabaseHandle): void {
  (globalThis as unknown as { zkinvoiceDb?: DatabaseHandle }).zkinvoiceDb = handle;
}
