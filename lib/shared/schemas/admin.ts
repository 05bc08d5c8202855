import { z } from 'zod';

export const AUDIT_PAGE_MAX = 200;

/** Filters of the admin audit list; empty form fields count as absent. */
export const auditQuerySchema = z.object({
  action: z.preprocess((v) => (v === '' ? undefined : v), z.string().max(100).optional()),
  actor: z.preprocess((v) => (v === '' ? undefined : v), z.uuid().optional()),
  outcome: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['success', 'failure']).optional()),
  from: z.preprocess((v) => (v === '' ? undefined : v), z.iso.date().optional()),
  to: z.preprocess((v) => (v === '' ? undefined : v), z.iso.date().optional()),
  /** Cursor: only rows with a smaller seq (the list runs newest first). */
  before: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().positive().optional()),
  limit: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(50)),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export interface AuditEntryDto {
  seq: number;
  at: string;
  actorUserId: string | null;
  actorEmail: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: 'success' | 'failure';
  reason: string | null;
  ip: string | null;
}

export interface AuditPageDto {
  entries: AuditEntryDto[];
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: number | null;
}

export type AuditVerdictDto =
  | { ok: true; verifiedUpTo: number; head: string; message: string }
  | { ok: false; verifiedUpTo: number; brokenAt: number; reason: string; message: string };

export const userSearchSchema = z.object({ q: z.string().trim().max(200).default('') });

export interface AdminUserRowDto {
  id: string;
  displayName: string;
  email: string;
  isPlatformAdmin: boolean;
  createdAt: string;
  lastSignInAt: string | null;
  disabledAt: string | null;
  passkeys: number;
  anyPasskeyBackedUp: boolean;
  organizations: string[];
}

export interface AdminUserDetailDto extends AdminUserRowDto {
  passkeyList: { name: string; deviceType: string; backedUp: boolean; createdAt: string; lastUsedAt: string | null }[];
  memberships: { orgId: string; orgName: string; role: string }[];
  sessions: { id: string; createdAt: string; lastSeenAt: string; expiresAt: string; revokedAt: string | null; ip: string | null; userAgent: string | null }[];
  securityEvents: { seq: number; at: string; action: string; outcome: 'success' | 'failure'; reason: string | null; ip: string | null }[];
}

export interface AdminOrgRowDto {
  id: string;
  name: string;
  handle: string;
  createdAt: string;
  suspendedAt: string | null;
  members: number;
  invoicesSent: number;
  invoicesReceived: number;
  /** Ciphertext parts plus sealed headers, in bytes. */
  storageBytes: number;
}

export interface AdminOrgDetailDto extends AdminOrgRowDto {
  memberList: { userId: string; displayName: string; email: string; role: string }[];
  sentByStatus: Record<string, number>;
  receivedByStatus: Record<string, number>;
}
