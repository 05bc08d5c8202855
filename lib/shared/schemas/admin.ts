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
  /** Set on a deleted account's tombstone. */
  deletedAt: string | null;
  passkeys: number;
  anyPasskeyBackedUp: boolean;
  organizations: string[];
}

export interface AdminUserDetailDto extends AdminUserRowDto {
  passkeyList: { name: string; deviceType: string; backedUp: boolean; createdAt: string; lastUsedAt: string | null }[];
  memberships: { orgId: string; orgName: string; role: string }[];
  sessions: { id: string; createdAt: string; lastSeenAt: string; expiresAt: string; revokedAt: string | null; ip: string | null; userAgent: string | null }[];
  securityEvents: { seq: number; at: string; action: string; outcome: 'success' | 'failure'; reason: string | null; ip: string | null; credentialId: string | null }[];
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
  /** Declared ciphertext of sent invoices (documents and sealed headers) plus open uploads, in bytes. */
  storageBytes: number;
  /** The quota in force, in bytes; null = unlimited. */
  quotaBytes: number | null;
  /** The org's own setting: null = instance default, 0 = unlimited. */
  quotaSetting: number | null;
}

export interface AdminOrgDetailDto extends AdminOrgRowDto {
  memberList: { userId: string; displayName: string; email: string; role: string; deleted: boolean }[];
  /** Of storageBytes: uploads started and not yet committed or expired. */
  pendingBytes: number;
  openUploads: number;
  defaultQuotaBytes: number;
  sentByStatus: Record<string, number>;
  receivedByStatus: Record<string, number>;
}

export const REGISTRATION_MODES = ['open', 'invitation'] as const;
export const registrationModeSchema = z.enum(REGISTRATION_MODES);
export type RegistrationMode = z.infer<typeof registrationModeSchema>;
export const registrationRequestSchema = z.object({ registration: registrationModeSchema });

export const invitationKindSchema = z.enum(['admin', 'sign-up']);
export type InvitationKind = z.infer<typeof invitationKindSchema>;
export const invitationRequestSchema = z.object({ kind: invitationKindSchema });

export interface CreatedInvitationDto {
  kind: InvitationKind;
  /** Shown once: the token is in the fragment and only its hash is stored. */
  url: string;
  expiresAt: string;
}

export interface AdminSettingsDto {
  registration: RegistrationMode;
  /** From the environment, read-only here. */
  origin: string;
  rpId: string;
  defaultOrgQuotaBytes: number;
  invitations: { kind: InvitationKind; createdAt: string; expiresAt: string; createdByEmail: string | null; state: 'open' | 'used' | 'expired'; usedAt: string | null; usedBy: string | null }[];
}

/** A quota in bytes; null = the instance default, 0 = unlimited. At most 1 PiB, so it stays exact. */
export const orgQuotaRequestSchema = z.object({ quotaBytes: z.number().int().min(0).max(2 ** 50).nullable() });

export interface AdminOverviewDto {
  users: number;
  admins: number;
  disabledUsers: number;
  deletedUsers: number;
  organizations: number;
  suspendedOrganizations: number;
  invoicesByStatus: Record<string, number>;
  /** Ciphertext bytes stored and reserved by open uploads. */
  storageBytes: number;
  signInsPerDay: { day: string; count: number }[];
  uploadsPerDay: { day: string; count: number }[];
}

/** What deleting an account will do, shown before the admin confirms. */
export interface AccountDeletionPreviewDto {
  userId: string;
  displayName: string;
  email: string;
  /** Organizations where this user is the last owner: they are suspended, and kept. */
  orgsSuspended: { orgId: string; orgName: string; otherMembers: number }[];
  /** Organizations that keep other owners: only this membership's access ends. */
  orgsKept: { orgId: string; orgName: string }[];
  invoicesSigned: number;
}

export const deleteAccountRequestSchema = z.object({ confirmEmail: z.string().trim().toLowerCase().max(254) });
