import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url, utf8Encode } from '@/lib/crypto/encoding';
import { computeDekCommitment, computeKeyId, encryptEventPayload, encryptHeader, generateDek, payloadDigest, sealDekForOrg, signEventRecord, signManifest, type InvoiceEventRecord, type InvoiceManifest } from '@/lib/crypto/envelope';
import { sha256 } from '@/lib/crypto/kdf';
import { generateKeyPairs, type GeneratedKeyPairs } from '@/lib/crypto/keys';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@/lib/db/test-database';
import { auditLog, invoiceEvents, invoices, memberships, organizations, orgKeys, uploads, users } from '@/lib/db/schema';
import { EVENT_TYPES, TRANSITIONS, type InvoiceEventType } from '@/lib/shared/lifecycle';
import { INVOICE_STATUSES, type InvoiceStatus } from '@/lib/shared/schemas/invoice';
import type { SignedEvent } from '@/lib/shared/schemas/invoice-event';
import { AppError } from './errors';
import { appendInvoiceEvent, listInvoiceEvents, MAX_COMMENTS_PER_INVOICE, MAX_EVENTS_PER_INVOICE } from './invoice-events';
import type { CurrentSession } from './sessions';
import { useDatabaseForTests } from './testing';
import { commitUpload, createUpload } from './uploads';

const NO_CONTEXT = { ip: null, userAgent: null };
const code = (promise: Promise<unknown>) => promise.then(() => 'ok', (e: unknown) => (e instanceof AppError ? e.code : String(e)));

interface Actor {
  session: CurrentSession;
  keys: GeneratedKeyPairs;
  orgId: string;
}

describe.each(testDatabaseKinds())('invoice events on %s', (kind) => {
  let database: TestDatabase;
  let supplier: Actor;
  let customer: Actor;
  let outsider: Actor;
  const orgKeyPairs = new Map<string, GeneratedKeyPairs>();

  async function newActor(orgId?: string): Promise<Actor> {
    const db = database.handle.db;
    const keys = await generateKeyPairs();
    const userId = randomUUID();
    await db.insert(users).values({ id: userId, email: `${userId}@example.test`, displayName: `User ${userId}`, signingPublicKey: keys.signingPublicKey, encryptionPublicKey: keys.encryptionPublicKey });
    const org = orgId ?? randomUUID();
    if (!orgId) {
      const orgPairs = await generateKeyPairs();
      orgKeyPairs.set(org, orgPairs);
      await db.insert(organizations).values({ id: org, name: `Org ${org}`, handle: `h-${org}` });
      await db.insert(orgKeys).values({ orgId: org, version: 1, encryptionPublicKey: orgPairs.encryptionPublicKey, signingPublicKey: orgPairs.signingPublicKey, wrappedPrivateKeys: new Uint8Array(48) });
    }
    await db.insert(memberships).values({ orgId: org, userId, role: 'owner', keyVersion: 1, certificate: { userSigningKey: toBase64Url(keys.signingPublicKey) }, certificateSignature: 'x' });
    return { keys, orgId: org, session: { sessionId: randomUUID(), userId, credentialId: null, reauthAt: null, isPlatformAdmin: false, displayName: 'U', email: 'u@example.test', recoveryConfirmed: true } };
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    useDatabaseForTests(database.handle);
    supplier = await newActor();
    customer = await newActor();
    outsider = await newActor();
  });
  afterAll(() => database.drop());

  /** An invoice row in `status` (as if earlier events had moved it there, with no stored history). */
  async function newInvoice(status: InvoiceStatus = 'issued'): Promise<string> {
    const db = database.handle.db;
    const id = randomUUID();
    await db.insert(uploads).values({ id, supplierOrgId: supplier.orgId, customerOrgId: customer.orgId, createdBy: supplier.session.userId, files: [], expiresAt: new Date(Date.now() + 60_000), committedAt: new Date() });
    await db.insert(invoices).values({ id, supplierOrgId: supplier.orgId, customerOrgId: customer.orgId, signerUserId: supplier.session.userId, status, manifest: {}, manifestSignature: 'x', sealedHeader: new Uint8Array(40) });
    return id;
  }

  async function signed(actor: Actor, invoiceId: string, type: InvoiceEventType, prevEventId: string | null, options: { orgId?: string; payload?: boolean; signWith?: GeneratedKeyPairs; eventId?: string } = {}): Promise<SignedEvent> {
    const eventId = options.eventId ?? randomUUID();
    const withPayload = options.payload ?? TRANSITIONS[type].payload === 'required';
    const sealed = withPayload ? await encryptEventPayload(generateDek(), { invoiceId, eventId }, utf8Encode('{"reason":"x"}'), 1) : null;
    const key = options.signWith ?? actor.keys;
    const record: InvoiceEventRecord & SignedEvent['record'] = {
      v: 1,
      eventId,
      invoiceId,
      type,
      actorUserId: actor.session.userId,
      actorOrgId: options.orgId ?? actor.orgId,
      signerKeyId: await computeKeyId(key.signingPublicKey),
      createdAt: new Date().toISOString(),
      prevEventId,
      payloadSha256: sealed ? await payloadDigest(sealed) : null,
    };
    return { record, signature: await signEventRecord(key.signingPrivateKey, record), sealedPayload: sealed ? toBase64Url(sealed) : null };
  }

  /** Everything a refused request must leave untouched. */
  async function snapshot(invoiceId: string) {
    const db = database.handle.db;
    const [invoice] = await db.select({ status: invoices.status, updatedAt: invoices.updatedAt }).from(invoices).where(eq(invoices.id, invoiceId));
    const [events] = await db.select({ n: count() }).from(invoiceEvents).where(eq(invoiceEvents.invoiceId, invoiceId));
    const [audits] = await db.select({ n: count() }).from(auditLog).where(eq(auditLog.objectId, invoiceId));
    return { status: invoice?.status, updatedAt: invoice?.updatedAt.toISOString(), events: events?.n, audits: audits?.n };
  }

  const append = (actor: Actor, invoiceId: string, event: SignedEvent) => appendInvoiceEvent(actor.session, invoiceId, event, NO_CONTEXT);

  it('lets each party make exactly its transitions; the other party is refused and an outsider is told "not found"', async () => {
    for (const type of EVENT_TYPES.filter((t) => !TRANSITIONS[t].viaCreditNote)) {
      const from = TRANSITIONS[type].from[0]!;
      for (const [name, actor] of [['customer', customer], ['supplier', supplier], ['outsider', outsider]] as const) {
        const invoiceId = await newInvoice(from);
        const before = await snapshot(invoiceId);
        const result = await code(append(actor, invoiceId, await signed(actor, invoiceId, type, null)));
        const by = TRANSITIONS[type].by;
        const expected = name === 'outsider' ? 'not_found' : by === 'either' || by === name ? 'ok' : 'forbidden';
        expect(result, `${name} → ${type} from ${from}`).toBe(expected);
        const after = await snapshot(invoiceId);
        if (expected === 'ok') {
          expect(after.events).toBe(1);
          expect(after.audits).toBe(1);
          const to = TRANSITIONS[type].to;
          expect(after.status).toBe(to === null ? from : to === 'previous' ? 'issued' : to);
        } else {
          expect(after, `${name} → ${type} changed nothing`).toEqual(before);
        }
      }
    }
  });

  it('refuses a member who signs in the name of the other organization', async () => {
    const invoiceId = await newInvoice('viewed');
    const before = await snapshot(invoiceId);
    expect(await code(append(customer, invoiceId, await signed(customer, invoiceId, 'paid', null, { orgId: supplier.orgId })))).toBe('forbidden');
    expect(await code(append(supplier, invoiceId, await signed(supplier, invoiceId, 'payment_announced', null, { orgId: customer.orgId })))).toBe('forbidden');
    expect(await snapshot(invoiceId)).toEqual(before);
  });

  it('refuses every transition that is not legal from the current status, changing nothing', async () => {
    for (const type of EVENT_TYPES.filter((t) => !TRANSITIONS[t].viaCreditNote)) {
      for (const status of INVOICE_STATUSES.filter((s) => !TRANSITIONS[type].from.includes(s))) {
        const invoiceId = await newInvoice(status);
        const actor = TRANSITIONS[type].by === 'supplier' ? supplier : customer;
        const before = await snapshot(invoiceId);
        expect(await code(append(actor, invoiceId, await signed(actor, invoiceId, type, null))), `${type} from ${status}`).toBe('conflict');
        expect(await snapshot(invoiceId)).toEqual(before);
      }
    }
  });

  it('answers a retried event with the stored one, and refuses a different event under the same id', async () => {
    const invoiceId = await newInvoice('viewed');
    const event = await signed(customer, invoiceId, 'payment_announced', null);
    const first = await append(customer, invoiceId, event);
    expect(first.created).toBe(true);
    const again = await append(customer, invoiceId, structuredClone(event));
    expect(again).toEqual({ event: first.event, created: false });
    const state = await snapshot(invoiceId);
    expect(state.events).toBe(1);
    expect(state.audits).toBe(1);
    const reused = await signed(customer, invoiceId, 'partially_paid', null, { eventId: event.record.eventId });
    expect(await code(append(customer, invoiceId, reused))).toBe('conflict');
    expect(await snapshot(invoiceId)).toEqual(state);
  });

  it('refuses an event that does not continue the current history (409), and accepts the one that does', async () => {
    const invoiceId = await newInvoice();
    const viewed = await append(customer, invoiceId, await signed(customer, invoiceId, 'viewed', null));
    const before = await snapshot(invoiceId);
    expect(await code(append(customer, invoiceId, await signed(customer, invoiceId, 'disputed', null)))).toBe('conflict');
    expect(await code(append(customer, invoiceId, await signed(customer, invoiceId, 'disputed', randomUUID())))).toBe('conflict');
    expect(await snapshot(invoiceId)).toEqual(before);
    expect(await code(append(customer, invoiceId, await signed(customer, invoiceId, 'disputed', viewed.event.record.eventId)))).toBe('ok');
  });

  it('refuses forged, mismatched or incomplete events, changing nothing', async () => {
    const invoiceId = await newInvoice('viewed');
    const before = await snapshot(invoiceId);
    const forged = await signed(customer, invoiceId, 'disputed', null, { signWith: await generateKeyPairs() });
    expect(await code(append(customer, invoiceId, forged))).toBe('bad_request');
    const good = await signed(customer, invoiceId, 'disputed', null);
    expect(await code(append(customer, invoiceId, { ...good, signature: forged.signature }))).toBe('bad_request');
    const otherPayload = await signed(customer, invoiceId, 'disputed', null);
    expect(await code(append(customer, invoiceId, { ...good, sealedPayload: otherPayload.sealedPayload }))).toBe('bad_request');
    expect(await code(append(customer, invoiceId, await signed(customer, invoiceId, 'disputed', null, { payload: false })))).toBe('bad_request');
    const someoneElse = await newActor(customer.orgId);
    const impersonated = await signed(someoneElse, invoiceId, 'disputed', null);
    expect(await code(append(customer, invoiceId, impersonated))).toBe('bad_request');
    expect(await code(append(customer, invoiceId, { ...good, record: { ...good.record, invoiceId: randomUUID() } }))).toBe('bad_request');
    expect(await code(append(supplier, invoiceId, await signed(supplier, invoiceId, 'credited', null)))).toBe('bad_request');
    expect(await snapshot(invoiceId)).toEqual(before);
  });

  it('returns a withdrawn dispute to the status before it, and serves the same history to both parties only', async () => {
    const invoiceId = await newInvoice();
    let prev: string | null = null;
    for (const [actor, type] of [[customer, 'viewed'], [customer, 'partially_paid'], [customer, 'disputed'], [supplier, 'dispute_comment'], [customer, 'dispute_withdrawn']] as const) {
      prev = (await append(actor, invoiceId, await signed(actor, invoiceId, type, prev))).event.record.eventId;
    }
    expect((await snapshot(invoiceId)).status).toBe('partially_paid');
    const forCustomer = await listInvoiceEvents(customer.session, invoiceId);
    const forSupplier = await listInvoiceEvents(supplier.session, invoiceId);
    expect(forCustomer).toEqual(forSupplier);
    expect(forCustomer.events.map((e) => e.record.type)).toEqual(['viewed', 'partially_paid', 'disputed', 'dispute_comment', 'dispute_withdrawn']);
    expect(Object.keys(forCustomer.actors).sort()).toEqual([`${customer.session.userId}|${customer.orgId}`, `${supplier.session.userId}|${supplier.orgId}`].sort());
    expect(await code(listInvoiceEvents(outsider.session, invoiceId))).toBe('not_found');
    const audits = await database.handle.db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.objectId, invoiceId), eq(auditLog.objectType, 'invoice')));
    expect(audits.map((a) => a.action)).toEqual(['invoice.viewed', 'invoice.partially_paid', 'invoice.disputed', 'invoice.dispute_comment', 'invoice.dispute_withdrawn']);
  });

  /** `n` stored events of `type` (as if appended one by one), returning the last one's id. */
  async function storedHistory(invoiceId: string, n: number, type: InvoiceEventType, actor: Actor): Promise<string> {
    let prev: string | null = null;
    const rows = [];
    for (let seq = 1; seq <= n; seq++) {
      const id = randomUUID();
      rows.push({ id, invoiceId, seq, type, actorUserId: actor.session.userId, actorOrgId: actor.orgId, prevEventId: prev, statusAfter: 'disputed' as const, record: {}, signature: 'x', createdAt: new Date() });
      prev = id;
    }
    await database.handle.db.insert(invoiceEvents).values(rows);
    return prev!;
  }

  it('refuses a comment past the dispute’s limit, and any event past the history’s limit, changing nothing', async () => {
    const disputed = await newInvoice('disputed');
    const lastComment = await storedHistory(disputed, MAX_COMMENTS_PER_INVOICE, 'dispute_comment', supplier);
    const before = await snapshot(disputed);
    expect(await code(append(customer, disputed, await signed(customer, disputed, 'dispute_comment', lastComment)))).toBe('limit_reached');
    expect(await snapshot(disputed)).toEqual(before);
    // Other events still continue the history.
    expect(await code(append(customer, disputed, await signed(customer, disputed, 'dispute_withdrawn', lastComment)))).toBe('ok');

    const long = await newInvoice('disputed');
    const lastEvent = await storedHistory(long, MAX_EVENTS_PER_INVOICE, 'disputed', customer);
    const full = await snapshot(long);
    expect(await code(append(customer, long, await signed(customer, long, 'dispute_withdrawn', lastEvent)))).toBe('limit_reached');
    expect(await snapshot(long)).toEqual(full);
  });

  it('refuses every event of a suspended organization, and accepts them again once it is resumed', async () => {
    const db = database.handle.db;
    const invoiceId = await newInvoice('issued');
    const before = await snapshot(invoiceId);
    await db.update(organizations).set({ suspendedAt: new Date() }).where(eq(organizations.id, customer.orgId));
    try {
      const refused = await append(customer, invoiceId, await signed(customer, invoiceId, 'viewed', null)).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/suspended/) });
      expect(await snapshot(invoiceId)).toEqual(before);
    } finally {
      await db.update(organizations).set({ suspendedAt: null }).where(eq(organizations.id, customer.orgId));
    }
    expect(await code(append(customer, invoiceId, await signed(customer, invoiceId, 'viewed', null)))).toBe('ok');
  });

  describe('credit notes', () => {
    /** A document-less credit note upload with a valid commit, crediting `originalId`. */
    async function creditNote(originalId: string, prevEventId: string | null, customerOrgId = customer.orgId) {
      const upload = await createUpload(supplier.session, { supplierOrgId: supplier.orgId, customerOrgId, files: [] });
      const dek = generateDek();
      const sealedHeader = await encryptHeader(dek, upload.invoiceId, utf8Encode('{"v":1}'), 1);
      const manifest: InvoiceManifest = {
        v: 1,
        invoiceId: upload.invoiceId,
        supplierOrgId: supplier.orgId,
        customerOrgId,
        signerUserId: supplier.session.userId,
        signerKeyId: await computeKeyId(supplier.keys.signingPublicKey),
        createdAt: new Date().toISOString(),
        header: { sha256: toBase64Url(await sha256(sealedHeader)), size: sealedHeader.byteLength },
        files: [],
        dekCommitment: toBase64Url(await computeDekCommitment(dek)),
        recipients: [{ orgId: supplier.orgId, keyVersion: 1 }, { orgId: customerOrgId, keyVersion: 1 }],
      };
      const grants = await Promise.all([supplier.orgId, customerOrgId].map(async (orgId) => ({ orgId, keyVersion: 1, sealedDek: toBase64Url(await sealDekForOrg(dek, orgKeyPairs.get(orgId)!.encryptionPublicKey, { invoiceId: upload.invoiceId, orgId, keyVersion: 1 })) })));
      const commit = {
        manifest,
        manifestSignature: await signManifest(supplier.keys.signingPrivateKey, manifest),
        sealedHeader: toBase64Url(sealedHeader),
        grants,
        credits: { invoiceId: originalId, event: await signed(supplier, originalId, 'credited', prevEventId) },
      };
      return { creditNoteId: upload.invoiceId, commit: () => commitUpload(supplier.session, upload.invoiceId, commit, NO_CONTEXT) };
    }
    const visible = async (id: string) => (await database.handle.db.select({ id: invoices.id, creditsInvoiceId: invoices.creditsInvoiceId }).from(invoices).where(eq(invoices.id, id)))[0] ?? null;

    it('commits the credit note and moves the original to credited in one transaction', async () => {
      const originalId = await newInvoice();
      const viewed = await append(customer, originalId, await signed(customer, originalId, 'viewed', null));
      const note = await creditNote(originalId, viewed.event.record.eventId);
      await note.commit();
      expect(await visible(note.creditNoteId)).toEqual({ id: note.creditNoteId, creditsInvoiceId: originalId });
      const history = await listInvoiceEvents(customer.session, originalId);
      expect(history.status).toBe('credited');
      expect(history.creditedBy).toEqual([note.creditNoteId]);
      expect(history.events.map((e) => e.record.type)).toEqual(['viewed', 'credited']);
    });

    it('commits nothing for an organization suspended while its upload was open', async () => {
      const db = database.handle.db;
      const originalId = await newInvoice();
      const note = await creditNote(originalId, null);
      await db.update(organizations).set({ suspendedAt: new Date() }).where(eq(organizations.id, supplier.orgId));
      try {
        expect(await code(note.commit())).toBe('forbidden');
      } finally {
        await db.update(organizations).set({ suspendedAt: null }).where(eq(organizations.id, supplier.orgId));
      }
      expect(await visible(note.creditNoteId)).toBeNull();
      expect((await snapshot(originalId)).status).toBe('issued');
      await note.commit();
      expect((await snapshot(originalId)).status).toBe('credited');
    });

    it('commits nothing when the original cannot be credited or belongs to another customer', async () => {
      const paidId = await newInvoice('paid');
      const before = await snapshot(paidId);
      const late = await creditNote(paidId, null);
      expect(await code(late.commit())).toBe('conflict');
      expect(await visible(late.creditNoteId)).toBeNull();
      expect(await snapshot(paidId)).toEqual(before);

      const otherCustomer = await newActor();
      const originalId = await newInvoice();
      const misaddressed = await creditNote(originalId, null, otherCustomer.orgId);
      expect(await code(misaddressed.commit())).toBe('bad_request');
      expect(await visible(misaddressed.creditNoteId)).toBeNull();
      expect((await snapshot(originalId)).status).toBe('issued');
    });
  });
});
