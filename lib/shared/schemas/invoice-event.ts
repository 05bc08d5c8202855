import { z } from 'zod';
import { DECIMAL_PATTERN, toUnits } from '../decimal';
import { EVENT_TYPES } from '../lifecycle';
import type { OrgPublicKeys, SignerDto } from '../invoice-dto';
import { base64url } from './common';
import type { InvoiceStatus } from './invoice';

const text = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`);
const positiveAmount = z
  .string()
  .trim()
  .regex(DECIMAL_PATTERN, 'validation.amount')
  .refine((a) => toUnits(a) > 0n, 'validation.amount_positive');

export const eventTypeSchema = z.enum(EVENT_TYPES);

/** The signed event record (lib/crypto/envelope/event.ts), as the API accepts and serves it. */
export const eventRecordSchema = z.strictObject({
  /** v2 records have a Padmé-padded payload (DESIGN §4); v1 ones stay readable. */
  v: z.union([z.literal(1), z.literal(2)]),
  eventId: z.uuid(),
  invoiceId: z.uuid(),
  type: eventTypeSchema,
  actorUserId: z.uuid(),
  actorOrgId: z.uuid(),
  signerKeyId: base64url(16).length(22),
  createdAt: z.iso.datetime(),
  prevEventId: z.uuid().nullable(),
  payloadSha256: base64url(32).length(43).nullable(),
});
export type EventRecord = z.infer<typeof eventRecordSchema>;

/** A sealed payload is small: amounts, a reference, a reason or comment of at most 2,000 characters. */
export const MAX_SEALED_PAYLOAD_BYTES = 16 * 1024;

export const signedEventSchema = z.object({
  record: eventRecordSchema,
  signature: base64url(64).length(86),
  sealedPayload: base64url(MAX_SEALED_PAYLOAD_BYTES).min(40).nullable(),
});
export type SignedEvent = z.infer<typeof signedEventSchema>;

export const appendEventRequestSchema = signedEventSchema;

// ---- Payloads: encrypted in the browser, never seen by the server -----------------------------

const isoDate = z.iso.date('Use a date like 2026-11-24.');

export const paymentPayloadSchema = z.object({
  amount: positiveAmount,
  currency: z.string().length(3),
  date: isoDate,
  reference: text(140),
  /** A correction names the announcement (event id) it replaces; readers check it was still open. */
  replaces: z.uuid().optional(),
});
export const paidPayloadSchema = z.object({ amount: positiveAmount, currency: z.string().length(3), date: isoDate });
export const reasonPayloadSchema = z.object({ reason: text(2000).min(1, 'Give a reason.') });
export const optionalReasonPayloadSchema = z.object({ reason: text(2000) });
export const commentPayloadSchema = z.object({ comment: text(2000).min(1, 'Write a comment.') });
export const creditedPayloadSchema = z.object({ creditNoteId: z.uuid(), creditNoteNumber: text(64).min(1) });
export const viewedPayloadSchema = z.object({});

/** The payload schema of each event type; the record's digest binds the payload to its type. */
export const EVENT_PAYLOAD_SCHEMAS = {
  viewed: viewedPayloadSchema,
  payment_announced: paymentPayloadSchema,
  partially_paid: paymentPayloadSchema,
  payment_withdrawn: optionalReasonPayloadSchema,
  paid: paidPayloadSchema,
  disputed: reasonPayloadSchema,
  dispute_withdrawn: optionalReasonPayloadSchema,
  dispute_comment: commentPayloadSchema,
  cancelled: optionalReasonPayloadSchema,
  credited: creditedPayloadSchema,
} as const;

export type EventPayloads = { [K in keyof typeof EVENT_PAYLOAD_SCHEMAS]: z.infer<(typeof EVENT_PAYLOAD_SCHEMAS)[K]> };

// ---- Responses ---------------------------------------------------------------------------------

/** One stored event as served: the signed record, its signature and sealed payload, and metadata. */
export interface InvoiceEventDto extends SignedEvent {
  seq: number;
  /** The status the server moved the invoice to (or left it in); readers re-derive it. */
  statusAfter: string;
  recordedAt: string;
}

/** GET /api/invoices/:id/events. */
export interface InvoiceEventsDto {
  invoiceId: string;
  status: InvoiceStatus;
  /** For a credit note, the invoice it credits; for a credited invoice, the credit notes. */
  creditsInvoiceId: string | null;
  creditedBy: string[];
  events: InvoiceEventDto[];
  /** Each actor's membership certificate, by `userId|orgId`, for the reader to check. */
  actors: Record<string, SignerDto>;
  orgs: Record<string, OrgPublicKeys>;
}
