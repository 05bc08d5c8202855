import { z } from 'zod';
import { DECIMAL_PATTERN, toUnits } from '../decimal';
import { isValidIban, normalizeIban } from '../iban';
import { base64url } from './common';
import { signedEventSchema } from './invoice-event';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const isoDate = z.iso.date('validation.date');
const amount = z.string().trim().regex(DECIMAL_PATTERN, 'validation.amount');
const text = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`);

export const INVOICE_STATUSES = ['issued', 'viewed', 'payment_announced', 'partially_paid', 'paid', 'disputed', 'cancelled', 'credited'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** Header fields checked against every attached e-invoice (issue #12, DESIGN §13). */
export const EINVOICE_CHECKED_FIELDS = ['payable', 'iban', 'number', 'dueDate', 'currency', 'sellerVatId'] as const;

export const documentRoleSchema = z.enum(['invoice-pdf', 'einvoice-xml', 'attachment']);

export const invoiceDocumentSchema = z.object({
  fileId: z.uuid(),
  name: text(255).min(1),
  mediaType: text(127),
  size: z.number().int().nonnegative(),
  role: documentRoleSchema,
});
export type InvoiceDocument = z.infer<typeof invoiceDocumentSchema>;

/** The invoice header (DESIGN §4): encrypted in the browser, never seen by the server. */
export const invoiceHeaderSchema = z
  .object({
    v: z.literal(1),
    type: z.enum(['invoice', 'credit-note']),
    number: text(64).min(1, 'validation.invoice_number'),
    issueDate: isoDate,
    dueDate: isoDate,
    currency: z.string().refine((c) => CURRENCIES.has(c), 'validation.currency'),
    amounts: z.object({ net: amount, tax: amount, gross: amount, payable: amount }),
    seller: z.object({ name: text(200).min(1, 'validation.seller_name'), vatId: text(32) }),
    buyer: z.object({ name: text(200).min(1, 'validation.buyer_name'), vatId: text(32) }),
    payment: z.object({
      payeeName: text(70).min(1, 'validation.payee_name'),
      iban: z.string().transform(normalizeIban).refine(isValidIban, 'validation.iban'),
      bic: z
        .string()
        .trim()
        .toUpperCase()
        .refine((v) => v === '' || /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(v), 'validation.bic'),
      reference: text(140),
      url: z.union([z.literal(''), z.url({ protocol: /^https$/, error: 'validation.https' })]),
    }),
    notes: text(2000),
    documents: z.array(invoiceDocumentSchema).max(20),
    /**
     * Differences between this header and an attached e-invoice that the supplier confirmed one by
     * one when sending (optional, so v1 headers without it stay valid). Signed with the header, so
     * the customer's list can warn without downloading the documents.
     */
    einvoiceMismatches: z
      .array(z.object({ field: z.enum(EINVOICE_CHECKED_FIELDS), header: text(140), einvoice: text(140), document: text(255) }))
      .max(60)
      .optional(),
    /** A credit note names the invoice it credits (optional, so v1 headers without it stay valid). */
    creditFor: z.object({ invoiceId: z.uuid(), number: text(64).min(1) }).optional(),
  })
  .superRefine((h, ctx) => {
    if (h.creditFor && h.type !== 'credit-note') ctx.addIssue({ code: 'custom', path: ['creditFor'], message: 'Only a credit note credits another invoice.' });
    if (h.dueDate < h.issueDate) ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'validation.due_before_issue' });
    const { net, tax, gross, payable } = h.amounts;
    if (![net, tax, gross, payable].every((a) => DECIMAL_PATTERN.test(a))) return;
    if (toUnits(net) + toUnits(tax) !== toUnits(gross)) ctx.addIssue({ code: 'custom', path: ['amounts', 'gross'], message: 'validation.gross_sum' });
    if (toUnits(payable) > toUnits(gross)) ctx.addIssue({ code: 'custom', path: ['amounts', 'payable'], message: 'validation.payable_above_gross' });
    if (toUnits(payable) < 0n) ctx.addIssue({ code: 'custom', path: ['amounts', 'payable'], message: 'validation.payable_negative' });
  });
export type InvoiceHeader = z.infer<typeof invoiceHeaderSchema>;

const manifestFileSchema = z.object({ fileId: z.uuid(), sha256: base64url(32), size: z.number().int().nonnegative(), recordSize: z.number().int().positive() });

export const manifestSchema = z.object({
  /** Envelope v1 or v2 (DESIGN §4); new invoices are v2. */
  v: z.union([z.literal(1), z.literal(2)]),
  invoiceId: z.uuid(),
  supplierOrgId: z.uuid(),
  customerOrgId: z.uuid(),
  signerUserId: z.uuid(),
  signerKeyId: base64url(16),
  createdAt: z.iso.datetime(),
  header: z.object({ sha256: base64url(32), size: z.number().int().positive() }),
  files: z.array(manifestFileSchema).max(20),
  dekCommitment: base64url(32),
  recipients: z.array(z.object({ orgId: z.uuid(), keyVersion: z.number().int().positive() })).min(1).max(2),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const createUploadRequestSchema = z.object({
  supplierOrgId: z.uuid(),
  customerOrgId: z.uuid(),
  files: z.array(z.object({ fileId: z.uuid(), ciphertextSize: z.number().int().nonnegative() })).max(20),
});

const sealedDek = base64url(512).min(40);

export const commitUploadRequestSchema = z.object({
  manifest: manifestSchema,
  manifestSignature: base64url(64).length(86),
  sealedHeader: base64url(64 * 1024).min(40),
  grants: z.array(z.object({ orgId: z.uuid(), keyVersion: z.number().int().positive(), sealedDek })).min(1).max(2),
  /** The supplier's own per-org fast-path copy, so the sent list opens without HPKE. */
  fastKey: z.object({ orgId: z.uuid(), keyVersion: z.number().int().positive(), wrappedDek: sealedDek }).optional(),
  /** A credit note: the invoice it credits and that invoice's signed `credited` event, committed together. */
  credits: z.object({ invoiceId: z.uuid(), event: signedEventSchema }).optional(),
});


/** Most fast-path copies one request may store (about 70 KB of JSON). */
export const FAST_KEYS_PER_REQUEST = 500;

/** Fast-path copies for many invoices of one org at once: a first open of a large inbox makes thousands. */
export const storeFastKeysRequestSchema = z.object({
  orgId: z.uuid(),
  keyVersion: z.number().int().positive(),
  keys: z.array(z.object({ invoiceId: z.uuid(), wrappedDek: sealedDek })).min(1).max(FAST_KEYS_PER_REQUEST),
});

/** `counterpartyOrgId` narrows the list to one customer (sent) or supplier (inbox), e.g. to find a repeated invoice number. */
/** The largest chunk of a paged list (GET /api/invoices?limit=…): ~2.5 KB an invoice. */
export const LIST_PAGE_MAX = 2000;
/** The largest chunk of the compact list (view=compact): 101 bytes an invoice (lib/shared/list-chunk.ts); fewer, larger requests (each has a fixed cost). */
export const COMPACT_PAGE_MAX = 10_000;
/** Full invoices asked for by id in one request (GET /api/invoices?ids=…). */
export const LIST_IDS_MAX = 100;
/** The smallest chunk a compact list may be split into (view=bounds): at most one bound per this many invoices. */
export const COMPACT_BOUNDS_MIN_CHUNK = 100;

export const listInvoicesQuerySchema = z.object({
  box: z.enum(['inbox', 'sent']),
  orgId: z.uuid(),
  counterpartyOrgId: z.uuid().optional(),
  /** Paged: at most this many invoices, after the invoice id in `after` (the previous chunk's nextCursor). */
  limit: z.coerce.number().int().min(1).max(COMPACT_PAGE_MAX).optional(),
  after: z.uuid().optional(),
  /** `compact` (paged only): per invoice just its metadata and the hashes a list-index record binds (DESIGN §6). */
  view: z.enum(['full', 'compact', 'bounds']).optional(),
  /** Compact only: the end (inclusive) of one range of a split list, a bound served by view=bounds. */
  until: z.uuid().optional(),
  /** Full invoices by id (at most LIST_IDS_MAX, comma-separated): the ones a compact list could not show from the index. */
  ids: z
    .string()
    .transform((v) => v.split(','))
    .pipe(z.array(z.uuid()).min(1).max(LIST_IDS_MAX))
    .optional(),
})
  .refine((q) => q.view === 'compact' || q.view === 'bounds' || (q.limit ?? 0) <= LIST_PAGE_MAX, { path: ['limit'] })
  .refine((q) => q.view !== 'bounds' || (q.limit ?? 0) >= COMPACT_BOUNDS_MIN_CHUNK, { path: ['limit'] });

export const keyringPutRequestSchema = z.object({ encryptedKeyring: base64url(256 * 1024).min(40), expectedVersion: z.number().int().nonnegative() });
