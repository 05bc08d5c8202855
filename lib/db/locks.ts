/**
 * PostgreSQL advisory lock ids (arbitrary constants, per database). Kept in one place so they
 * cannot collide, and so tests that must hold one (e2e/faults.spec.ts) name the same number.
 */
/** Serializes migrations when several app instances start at once. */
export const MIGRATION_LOCK_ID = 727_611_001;
/** Serializes appends to the audit chain (lib/server/audit.ts), held until the transaction ends. */
export const AUDIT_CHAIN_LOCK_ID = 727_611_002;
