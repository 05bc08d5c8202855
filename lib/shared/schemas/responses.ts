import { z } from 'zod';
import { eventRecordSchema } from './invoice-event';
import { INVOICE_STATUSES, manifestSchema } from './invoice';

/**
 * Schemas of what the server answers, checked by the client before use (STYLE §21): a malformed
 * answer is refused as such, and in a list one malformed item is flagged on its own instead of
 * breaking the page. Cryptographic checks still follow; these only vouch for the shape.
 */

export const orgPublicKeysSchema = z.object({
  orgId: z.uuid(),
  name: z.string(),
  handle: z.string(),
  keyVersion: z.number().int().positive(),
  encryptionPublicKey: z.string(),
  signingPublicKey: z.string(),
  successions: z
    .array(
      z.object({
        record: z.object({ v: z.literal(1), orgId: z.string(), epoch: z.number().int().positive(), prevEpoch: z.number().int().nonnegative(), encryptionPublicKey: z.string(), signingPublicKey: z.string() }),
        signature: z.string(),
      }),
    )
    .max(1000)
    .optional(),
});

export const signerDtoSchema = z.object({
  userId: z.uuid(),
  orgId: z.uuid(),
  displayName: z.string(),
  signingPublicKey: z.string(),
  certificate: z.record(z.string(), z.unknown()),
  certificateSignature: z.string(),
});

export const invoiceDtoSchema = z.object({
  id: z.uuid(),
  supplierOrgId: z.uuid(),
  customerOrgId: z.uuid(),
  signerUserId: z.uuid(),
  status: z.enum(INVOICE_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
  manifest: manifestSchema,
  manifestSignature: z.string(),
  sealedHeader: z.string(),
  keys: z.array(z.object({ kind: z.enum(['grant', 'fast']), orgId: z.uuid(), keyVersion: z.number().int().positive(), sealedDek: z.string() })),
  files: z.array(z.object({ fileId: z.uuid(), ciphertextSize: z.number().int().nonnegative() })),
});

/** GET /api/invoices?view=bounds: where the compact list splits into chunks (at most one bound per COMPACT_BOUNDS_MIN_CHUNK invoices). */
export const compactBoundsSchema = z.object({ bounds: z.array(z.uuid()).max(10_000) });

/** A list's envelope: its items are parsed one by one (see parseInvoiceList in lib/client). */
export const invoiceListEnvelopeSchema = z.object({
  invoices: z.array(z.unknown()),
  orgs: z.record(z.string(), z.unknown()),
  signers: z.record(z.string(), z.unknown()),
  viewerOrgId: z.uuid().optional(),
  /** Paged lists (GET /api/invoices with `limit`): the id to ask for the next chunk after; null on the last. */
  nextCursor: z.uuid().nullable().optional(),
});

export const keyringResponseSchema = z.object({ encryptedKeyring: z.string().nullable(), version: z.number().int().nonnegative() });
export const keyringPutResponseSchema = z.object({ version: z.number().int().positive() });

export const invoiceEventDtoSchema = z.object({
  record: eventRecordSchema,
  signature: z.string(),
  sealedPayload: z.string().nullable(),
  seq: z.number().int(),
  statusAfter: z.string(),
  recordedAt: z.string(),
});

export const invoiceEventsResponseSchema = z.object({
  invoiceId: z.uuid(),
  status: z.enum(INVOICE_STATUSES),
  creditsInvoiceId: z.uuid().nullable(),
  creditedBy: z.array(z.uuid()),
  events: z.array(invoiceEventDtoSchema),
  actors: z.record(z.string(), signerDtoSchema),
  orgs: z.record(z.string(), orgPublicKeysSchema),
});

/**
 * What changed in an org's lists, for the unread count in the navigation and for open lists that
 * tell when they are out of date (DESIGN §12). Only what the server knows anyway: counts, statuses
 * and times. `unopened`: received invoices nobody in the org has opened yet (status issued).
 */
export const invoiceActivitySchema = z.object({
  inbox: z.object({ total: z.number().int().nonnegative(), unopened: z.number().int().nonnegative(), changedAt: z.string().nullable() }),
  sent: z.object({ total: z.number().int().nonnegative(), changedAt: z.string().nullable() }),
});
export type InvoiceActivityDto = z.infer<typeof invoiceActivitySchema>;
