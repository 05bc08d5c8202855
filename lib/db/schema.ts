import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { InvoiceEventType } from '@/lib/shared/lifecycle';
import type { OrgRole } from '@/lib/shared/roles';
import type { InvoiceStatus } from '@/lib/shared/schemas/invoice';

/** Binary column; postgres.js yields Buffer and PGlite Uint8Array, both normalized to Uint8Array. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  email: text('email').notNull(),
  displayName: text('display_name').notNull(),
  isPlatformAdmin: boolean('is_platform_admin').notNull().default(false),
  createdAt: createdAt(),
  lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  /**
   * Set when an admin deletes the account. The row stays as a tombstone: its public keys (and its
   * membership certificates) still verify the invoices it signed; everything else is erased.
   */
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
  /** Null until the user has typed back the last group of the recovery key. */
  recoveryConfirmedAt: timestamp('recovery_confirmed_at', { withTimezone: true }),
  // Public keys and key material sealed in the browser; admins have none of these.
  encryptionPublicKey: bytea('encryption_public_key'),
  signingPublicKey: bytea('signing_public_key'),
  wrappedPrivateKeys: bytea('wrapped_private_keys'),
  recoveryWrappedAccountKey: bytea('recovery_wrapped_account_key'),
  /** SHA-256 of recoveryAuth (DESIGN §3.2): proves the recovery key without revealing the KEK. */
  recoveryAuthHash: bytea('recovery_auth_hash'),
  /** The keyring (pinned counterparty keys, last paid IBANs), sealed under AK in the browser. */
  encryptedKeyring: bytea('encrypted_keyring'),
  /** Bumped on each keyring write, so two tabs cannot silently overwrite each other. */
  keyringVersion: integer('keyring_version').notNull().default(0),
  /** Set when the user opened the one-time link sent to `email` (DESIGN §12); null: nothing but verification mail is sent. */
  emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
  /** Which notices the user turned off (lib/shared/schemas/notifications.ts); absent keys are on. */
  notificationPrefs: jsonb('notification_prefs').$type<Record<string, boolean>>().notNull().default({}),
  /** The interface language the user last used ('en' or 'de'), so e-mail notices are written in it; null: English. */
  locale: text('locale').$type<'en' | 'de'>(),
}, (t) => [uniqueIndex('users_email_key').on(t.email)]);
export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

export const credentials = pgTable('credentials', {
  /** base64url credential id. */
  id: text('id').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  publicKey: bytea('public_key').notNull(),
  counter: bigint('counter', { mode: 'number' }).notNull().default(0),
  transports: jsonb('transports').$type<string[]>().notNull().default([]),
  deviceType: text('device_type').$type<'singleDevice' | 'multiDevice'>().notNull(),
  backedUp: boolean('backed_up').notNull(),
  /** AK sealed under this passkey's PRF-derived KEK; null when the authenticator has no PRF. */
  wrappedAccountKey: bytea('wrapped_account_key'),
  createdAt: createdAt(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
}, (t) => [index('credentials_user_idx').on(t.userId)]);
export type Credential = typeof credentials.$inferSelect;

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  /** Shareable address for receiving invoices; there is no browsable directory. */
  handle: text('handle').notNull(),
  currentKeyVersion: integer('current_key_version').notNull().default(1),
  createdAt: createdAt(),
  suspendedAt: timestamp('suspended_at', { withTimezone: true }),
  /** Ciphertext bytes this org may store; null = the instance default, 0 = unlimited (lib/server/quotas.ts). */
  quotaBytes: bigint('quota_bytes', { mode: 'number' }),
}, (t) => [uniqueIndex('organizations_handle_key').on(t.handle)]);
export type Organization = typeof organizations.$inferSelect;

export const orgKeys = pgTable('org_keys', {
  orgId: uuid('org_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  version: integer('version').notNull(),
  encryptionPublicKey: bytea('encryption_public_key').notNull(),
  signingPublicKey: bytea('signing_public_key').notNull(),
  /** Org private keys sealed under the org secret of this version. */
  wrappedPrivateKeys: bytea('wrapped_private_keys').notNull(),
  /** The epoch chain (DESIGN §3.3): the previous epoch's OS sealed under a key derived from this one's; null for epoch 1. */
  wrappedPreviousSecret: bytea('wrapped_previous_secret'),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.orgId, t.version] })]);

/**
 * Who is a member now, in which role, with the membership certificate the org key signed. The
 * membership chain (org_chain_links) is what members' clients trust; this table is the server's
 * index of it for authorization, kept in the same transaction as each link.
 */
export const memberships = pgTable('memberships', {
  orgId: uuid('org_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  role: text('role').$type<OrgRole>().notNull(),
  /** The epoch the certificate was issued under. */
  keyVersion: integer('key_version').notNull(),
  certificate: jsonb('certificate').$type<Record<string, unknown>>().notNull(),
  certificateSignature: text('certificate_signature').notNull(),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.orgId, t.userId] }), index('memberships_user_idx').on(t.userId)]);

/**
 * Users removed from an org (and not added again), with a certificate under the org's current key
 * that says until when they were members. Kept apart from `memberships`, which grants access: a
 * row here grants nothing, it only lets what they signed while members keep verifying (DESIGN §3.3).
 */
export const orgFormerMembers = pgTable('org_former_members', {
  orgId: uuid('org_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  removedAt: timestamp('removed_at', { withTimezone: true }).notNull(),
  keyVersion: integer('key_version').notNull(),
  certificate: jsonb('certificate').$type<Record<string, unknown>>().notNull(),
  certificateSignature: text('certificate_signature').notNull(),
}, (t) => [primaryKey({ columns: [t.orgId, t.userId] })]);

/** OS of one epoch HPKE-sealed to one member's encryption key (info binds org, member, epoch). */
export const orgSecretGrants = pgTable('org_secret_grants', {
  orgId: uuid('org_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  epoch: integer('epoch').notNull(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  sealedOrgSecret: bytea('sealed_org_secret').notNull(),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.orgId, t.epoch, t.userId] }), index('org_secret_grants_user_idx').on(t.userId)]);

/**
 * The membership chain (DESIGN §3.3, lib/crypto/org/chain.ts): signed links, append-only. The
 * server checks seq, prevHash, signatures and roles by replaying it before each append, but cannot
 * sign one. `hash` is the link's hash (the next link's prevHash), stored for quick head checks.
 */
export const orgChainLinks = pgTable('org_chain_links', {
  orgId: uuid('org_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  seq: integer('seq').notNull(),
  type: text('type').notNull(),
  link: jsonb('link').$type<Record<string, unknown>>().notNull(),
  signature: text('signature').notNull(),
  orgSignature: text('org_signature'),
  hash: text('hash').notNull(),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.orgId, t.seq] }), check('org_chain_links_seq', sql`${t.seq} >= 0`)]);

/** Key succession records (DESIGN §3.3): epoch N's public keys signed by epoch N-1's org signing key. */
export const orgSuccessions = pgTable('org_successions', {
  orgId: uuid('org_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  epoch: integer('epoch').notNull(),
  record: jsonb('record').$type<Record<string, unknown>>().notNull(),
  signature: text('signature').notNull(),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.orgId, t.epoch] })]);

/**
 * The server's index of the chain's `invite` links, to find an invitation by the id in a join
 * link. The secret stays in the link's fragment; only the derived public key is here.
 */
export const orgInvitations = pgTable('org_invitations', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  role: text('role').$type<OrgRole>().notNull(),
  invitePublicKey: text('invite_public_key').notNull(),
  chainSeq: integer('chain_seq').notNull(),
  createdBy: uuid('created_by').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  /** Set when an owner/admin's `add` link consumed the acceptance. */
  usedAt: timestamp('used_at', { withTimezone: true }),
}, (t) => [index('org_invitations_org_idx').on(t.orgId)]);

/** An invitee's acceptance, signed with the invitation key and its own key, waiting for an owner/admin to confirm. */
export const orgAcceptances = pgTable('org_acceptances', {
  inviteId: uuid('invite_id').primaryKey().references(() => orgInvitations.id, { onDelete: 'cascade' }),
  orgId: uuid('org_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  acceptance: jsonb('acceptance').$type<Record<string, unknown>>().notNull(),
  inviteSignature: text('invite_signature').notNull(),
  userSignature: text('user_signature').notNull(),
  createdAt: createdAt(),
}, (t) => [index('org_acceptances_org_idx').on(t.orgId), index('org_acceptances_user_idx').on(t.userId)]);

export const webauthnChallenges = pgTable('webauthn_challenges', {
  challenge: text('challenge').primaryKey(),
  ceremony: text('ceremony').$type<Ceremony>().notNull(),
  userId: uuid('user_id'),
  sessionId: uuid('session_id'),
  /** Ceremony-specific state, e.g. the pending sign-up's profile. Never key material. */
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: createdAt(),
}, (t) => [index('webauthn_challenges_expires_idx').on(t.expiresAt)]);
export type Ceremony = 'sign-up' | 'sign-in' | 'reauth' | 'add-passkey' | 'recovery' | 'admin-setup';

export const sessions = pgTable('sessions', {
  id: uuid('id').primaryKey(),
  /** SHA-256 of the cookie token; the token itself is never stored. */
  tokenHash: bytea('token_hash').notNull(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  credentialId: text('credential_id'),
  createdAt: createdAt(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  /** Time of the last fresh passkey assertion in this session (step-up). */
  reauthAt: timestamp('reauth_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  /** The organization this session acts for (the header's switcher); null = the first one. */
  activeOrgId: uuid('active_org_id'),
  ip: text('ip'),
  userAgent: text('user_agent'),
}, (t) => [uniqueIndex('sessions_token_hash_key').on(t.tokenHash), index('sessions_user_idx').on(t.userId)]);
export type Session = typeof sessions.$inferSelect;

export const rateLimits = pgTable('rate_limits', {
  key: text('key').notNull(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.key, t.windowStart] })]);

/** One-time links; only the SHA-256 of the token (which travels in the URL fragment) is stored. */
export const setupTokens = pgTable('setup_tokens', {
  tokenHash: bytea('token_hash').primaryKey(),
  purpose: text('purpose').$type<SetupTokenPurpose>().notNull(),
  /** The admin who issued an invitation; null for the start-up link. */
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  /** The account the link created. */
  usedBy: uuid('used_by'),
}, (t) => [index('setup_tokens_purpose_idx').on(t.purpose, t.createdAt)]);
export type SetupTokenPurpose = 'first-admin' | 'admin-invite' | 'sign-up-invite';

/** Instance-wide settings an admin changes at run time: a single row (id = true). */
export const instanceSettings = pgTable('instance_settings', {
  id: boolean('id').primaryKey().default(true),
  registration: text('registration').$type<'open' | 'invitation'>().notNull().default('open'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by'),
}, (t) => [check('instance_settings_single_row', sql`${t.id}`), check('instance_settings_registration', sql`${t.registration} in ('open', 'invitation')`)]);

/**
 * Append-only and hash-chained (lib/shared/audit-chain.ts): rows are written only by recordAudit,
 * which sets seq, at and both hashes; a trigger refuses UPDATE, DELETE and TRUNCATE.
 */
export const auditLog = pgTable('audit_log', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  /** Whole milliseconds, so the hashed ISO string round-trips exactly. */
  at: timestamp('at', { withTimezone: true }).notNull(),
  actorUserId: uuid('actor_user_id'),
  credentialId: text('credential_id'),
  action: text('action').notNull(),
  objectType: text('object_type'),
  objectId: text('object_id'),
  outcome: text('outcome').$type<'success' | 'failure'>().notNull(),
  /** Error code or short machine-readable reason; never content. */
  reason: text('reason'),
  ip: text('ip'),
  userAgent: text('user_agent'),
  prevHash: bytea('prev_hash').notNull(),
  hash: bytea('hash').notNull(),
}, (t) => [
  index('audit_log_action_idx').on(t.action),
  index('audit_log_actor_idx').on(t.actorUserId),
  check('audit_log_seq_positive', sql`${t.seq} > 0`),
  check('audit_log_at_whole_ms', sql`(${t.at} at time zone 'UTC') = date_trunc('milliseconds', ${t.at} at time zone 'UTC')`),
  check('audit_log_hash_lengths', sql`octet_length(${t.prevHash}) = 32 and octet_length(${t.hash}) = 32`),
]);
export type AuditEntry = typeof auditLog.$inferInsert;

/**
 * An upload in progress. Its id becomes the invoice id (the browser binds it into every AAD before
 * encrypting). Nothing of it is visible as an invoice until the commit; abandoned ones expire.
 */
export const uploads = pgTable('uploads', {
  id: uuid('id').primaryKey(),
  supplierOrgId: uuid('supplier_org_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  customerOrgId: uuid('customer_org_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  createdBy: uuid('created_by').notNull().references(() => users.id, { onDelete: 'cascade' }),
  /** Declared up front, so size limits are enforced before any part is stored. */
  files: jsonb('files').$type<{ fileId: string; ciphertextSize: number }[]>().notNull(),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  committedAt: timestamp('committed_at', { withTimezone: true }),
}, (t) => [index('uploads_expires_idx').on(t.expiresAt)]);

/**
 * The index of stored ciphertext parts (whole 64 KiB records), kept under the upload id after the
 * commit. A row is written only once its bytes are durable in the blob store.
 */
export const fileParts = pgTable('file_parts', {
  uploadId: uuid('upload_id').notNull().references(() => uploads.id, { onDelete: 'cascade' }),
  fileId: uuid('file_id').notNull(),
  partIndex: integer('part_index').notNull(),
  /** The bytes when BLOB_STORE=database; null when they live in the filesystem store (lib/server/blob-store.ts). */
  data: bytea('data'),
  size: integer('size').notNull(),
  /**
   * SHA-256 of each ciphertext record in the part, concatenated (32 bytes a record), computed as
   * the part streamed in: the commit checks the manifest's hash list from these instead of reading
   * every stored byte again. Null for parts stored before it existed (the commit re-reads those).
   */
  recordHashes: bytea('record_hashes'),
}, (t) => [primaryKey({ columns: [t.uploadId, t.fileId, t.partIndex] })]);


export const invoices = pgTable('invoices', {
  id: uuid('id').primaryKey().references(() => uploads.id),
  supplierOrgId: uuid('supplier_org_id').notNull().references(() => organizations.id),
  customerOrgId: uuid('customer_org_id').notNull().references(() => organizations.id),
  signerUserId: uuid('signer_user_id').notNull().references(() => users.id),
  status: text('status').$type<InvoiceStatus>().notNull().default('issued'),
  /** The signed manifest (DESIGN §4): ids, sizes, digests, commitment; no content. */
  manifest: jsonb('manifest').$type<Record<string, unknown>>().notNull(),
  manifestSignature: text('manifest_signature').notNull(),
  sealedHeader: bytea('sealed_header').notNull(),
  /** For a credit note: the invoice it credits (committed together with that invoice's `credited` event). */
  creditsInvoiceId: uuid('credits_invoice_id'),
  /**
   * SHA-256 of the canonical manifest and of the sealed header, as the compact list serves them
   * (DESIGN §6): what a list-index record is bound to. Public data; stored at commit, computed on
   * first list for invoices committed before the column existed.
   */
  manifestSha256: bytea('manifest_sha256'),
  headerSha256: bytea('header_sha256'),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('invoices_supplier_idx').on(t.supplierOrgId, t.createdAt),
  index('invoices_customer_idx').on(t.customerOrgId, t.createdAt),
  // The paged list (GET /api/invoices?limit=…&after=…) walks one org's invoices in id order: with
  // these, each chunk is one index range of `limit` entries, not a sort of all the org's invoices
  // (EXPLAIN on 100,000 invoices: see #13). They also hold every column the compact list and its
  // bounds read (lib/server/invoices.ts), so those are index-only scans: ids are random, so a chunk
  // of 5,000 rows read from the table touched ~6,500 pages (200-370 ms) against ~110 (5-10 ms).
  // Behind the unique id the extra columns never order anything, and the inner pages keep only
  // (org, id). Keep the column lists in step with listInvoicesCompact.
  index('invoices_supplier_page_idx').on(t.supplierOrgId, t.id, t.customerOrgId, t.status, t.createdAt, t.updatedAt, t.manifestSha256, t.headerSha256),
  index('invoices_customer_page_idx').on(t.customerOrgId, t.id, t.supplierOrgId, t.status, t.createdAt, t.updatedAt, t.manifestSha256, t.headerSha256),
]);

export const invoiceFiles = pgTable('invoice_files', {
  invoiceId: uuid('invoice_id').notNull().references(() => invoices.id, { onDelete: 'cascade' }),
  fileId: uuid('file_id').notNull(),
  ciphertextSize: bigint('ciphertext_size', { mode: 'number' }).notNull(),
  partCount: integer('part_count').notNull(),
}, (t) => [primaryKey({ columns: [t.invoiceId, t.fileId] })]);

/**
 * The org's encrypted list index (DESIGN §6): append-only segments a member's client sealed under a
 * key derived from the epoch's OS, each holding many invoices' list records. The server stores the
 * bytes and the record count the client declared; it can neither read nor forge them.
 */
export const listIndexSegments = pgTable('list_index_segments', {
  orgId: uuid('org_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  epoch: integer('epoch').notNull(),
  segmentId: uuid('segment_id').notNull(),
  ciphertext: bytea('ciphertext').notNull(),
  recordCount: integer('record_count').notNull(),
  createdByUserId: uuid('created_by_user_id').notNull().references(() => users.id),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.orgId, t.epoch, t.segmentId] })]);
export type ListIndexSegment = typeof listIndexSegments.$inferSelect;

/** The invoice DEK for one org: HPKE-sealed to its key ('grant'), or wrapped under its OS ('fast'). */
export const invoiceKeys = pgTable('invoice_keys', {
  invoiceId: uuid('invoice_id').notNull().references(() => invoices.id, { onDelete: 'cascade' }),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  keyVersion: integer('key_version').notNull(),
  kind: text('kind').$type<'grant' | 'fast'>().notNull(),
  sealedDek: bytea('sealed_dek').notNull(),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.invoiceId, t.orgId, t.keyVersion, t.kind] }), index('invoice_keys_org_idx').on(t.orgId)]);

/**
 * Lifecycle events of an invoice (DESIGN §8), append-only. `record` is the actor's signed event
 * record (lib/crypto/envelope/event.ts: type, actor, time, previous event, payload digest; no
 * content) and `sealedPayload` the details encrypted under the invoice DEK. `seq` orders the
 * history; each record also names its predecessor, which is unique, so a history cannot fork.
 */
export const invoiceEvents = pgTable('invoice_events', {
  id: uuid('id').primaryKey(),
  invoiceId: uuid('invoice_id').notNull().references(() => invoices.id, { onDelete: 'cascade' }),
  seq: integer('seq').notNull(),
  type: text('type').$type<InvoiceEventType>().notNull(),
  actorUserId: uuid('actor_user_id').notNull().references(() => users.id),
  actorOrgId: uuid('actor_org_id').notNull().references(() => organizations.id),
  prevEventId: uuid('prev_event_id'),
  /** The invoice status after this event, so a withdrawn dispute can return to the one before. */
  statusAfter: text('status_after').$type<InvoiceStatus>().notNull(),
  record: jsonb('record').$type<Record<string, unknown>>().notNull(),
  signature: text('signature').notNull(),
  sealedPayload: bytea('sealed_payload'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('invoice_events_invoice_seq_key').on(t.invoiceId, t.seq),
  uniqueIndex('invoice_events_prev_key').on(t.prevEventId),
]);

/**
 * The organization profile (the supplier's own name, address, VAT id, bank details and payment
 * terms, prefilled in every new invoice), sealed in a member's browser under a key derived from
 * the org secret (lib/crypto/org-profile.ts): ciphertext only. `revision` grows by one with each
 * save, so two members saving at once cannot overwrite each other unnoticed.
 */
/**
 * A provisional organization (DESIGN §11): made by a supplier's browser for a customer with no
 * account. The server keeps only the SHA-256 of claimAuth (never the claim secret) and, sealed under
 * the supplier's org secret, the supplier's own note of secret, address and access code, so the
 * supplier can show the link again. `claimedAt` is set when a user claims it; the link then stops
 * working for guests.
 */
export const provisionalOrgs = pgTable('provisional_orgs', {
  orgId: uuid('org_id').primaryKey().references(() => organizations.id, { onDelete: 'cascade' }),
  supplierOrgId: uuid('supplier_org_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  claimAuthHash: bytea('claim_auth_hash').notNull(),
  sealedRecord: bytea('sealed_record').notNull(),
  recordKeyVersion: integer('record_key_version').notNull(),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  claimedAt: timestamp('claimed_at', { withTimezone: true }),
  claimedBy: uuid('claimed_by').references(() => users.id, { onDelete: 'set null' }),
}, (t) => [index('provisional_orgs_supplier_idx').on(t.supplierOrgId)]);

export const orgProfiles = pgTable('org_profiles', {
  orgId: uuid('org_id').primaryKey().references(() => organizations.id, { onDelete: 'cascade' }),
  keyVersion: integer('key_version').notNull(),
  revision: integer('revision').notNull(),
  sealedProfile: bytea('sealed_profile').notNull(),
  updatedBy: uuid('updated_by').notNull().references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One-time e-mail verification links (DESIGN §12). Only the SHA-256 of the token is kept; the
 * address is the one the link proves, which becomes the account's address when it is opened.
 */
export const emailVerifications = pgTable('email_verifications', {
  tokenHash: bytea('token_hash').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  email: text('email').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: createdAt(),
}, (t) => [index('email_verifications_user_idx').on(t.userId)]);

/**
 * Outgoing e-mail, written in the transaction of what it reports, so a notice exists exactly
 * when its event does; a worker in every instance sends and marks rows (lib/server/notifications.ts).
 * Holds only what the server already knows: addresses, organization names, event types, links.
 */
export const mailOutbox = pgTable('mail_outbox', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(),
  recipient: text('recipient').notNull(),
  subject: text('subject').notNull(),
  textBody: text('text_body').notNull(),
  htmlBody: text('html_body').notNull(),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  lastError: text('last_error'),
  createdAt: createdAt(),
}, (t) => [index('mail_outbox_pending_idx').on(t.nextAttemptAt).where(sql`${t.sentAt} is null`)]);
