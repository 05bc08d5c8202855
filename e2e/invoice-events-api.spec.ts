import type { APIRequestContext, Browser } from '@playwright/test';
import { importAccountKey, userPrivateKeysAad } from '@/lib/crypto/account';
import { fromBase64Url, toBase64Url, utf8Encode } from '@/lib/crypto/encoding';
import {
  computeDekCommitment,
  computeKeyId,
  encryptEventPayload,
  encryptHeader,
  generateDek,
  payloadDigest,
  sealDekForOrg,
  signEventRecord,
  signManifest,
  type InvoiceManifest,
} from '@/lib/crypto/envelope';
import { sha256 } from '@/lib/crypto/kdf';
import { unwrapPrivateKeys, type UnlockedKeyPairs } from '@/lib/crypto/keys';
import type { OrgPublicKeys } from '@/lib/shared/invoice-dto';
import { EVENT_TYPES, TRANSITIONS, type InvoiceEventType } from '@/lib/shared/lifecycle';
import type { SignedEvent } from '@/lib/shared/schemas/invoice-event';
import type { TestDatabase } from './db';
import { expect, newActor, newPerson, test } from './fixtures';
import { expectRefusal, signUpThroughApi } from './webauthn';

// DESIGN §8–§9 at the HTTP API: for every transition, each kind of caller gets its answer —
// the party the transition table allows 201, the other party 403, a member of an unrelated
// organization and a platform administrator 404 (the invoice does not exist for them), an
// anonymous client 401 — and a refusal changes nothing. Events are built and signed here with the
// users' own keys (their account keys are made in this process at sign-up), as the browser would.

interface ApiUser {
  request: APIRequestContext;
  userId: string;
  orgId: string;
  keys: UnlockedKeyPairs;
}

async function apiUser(browser: Browser, baseURL: string, label: string): Promise<ApiUser & { close: () => Promise<void> }> {
  const actor = await newActor(browser, baseURL);
  await actor.page.goto('/api/health');
  const signedUp = await signUpThroughApi(actor.page, newPerson(label));
  expect((await actor.page.request.post('/api/account/recovery-key/confirm', { data: {} })).status()).toBeLessThan(300);
  const { user } = signedUp.body.keys;
  const keys = await unwrapPrivateKeys(await importAccountKey(signedUp.accountKey), fromBase64Url(user.wrappedPrivateKeys), userPrivateKeysAad(signedUp.userId), {
    encryptionPublicKey: fromBase64Url(user.encryptionPublicKey),
    signingPublicKey: fromBase64Url(user.signingPublicKey),
  });
  return { request: actor.page.request, userId: signedUp.userId, orgId: signedUp.orgId, keys, close: () => actor.context.close() };
}

async function orgKeys(user: ApiUser, orgId: string, db: TestDatabase): Promise<OrgPublicKeys> {
  const [{ handle }] = (await db.query<{ handle: string }>('select handle from organizations where id = $1', [orgId])) as [{ handle: string }];
  return (await (await user.request.get(`/api/orgs/lookup?handle=${handle}`)).json()) as OrgPublicKeys;
}

/** Sends a document-less invoice through the upload API, signed by the supplier user. */
async function sendInvoice(supplier: ApiUser, customerOrg: OrgPublicKeys, supplierOrg: OrgPublicKeys): Promise<{ invoiceId: string; dek: Uint8Array }> {
  const created = await supplier.request.post('/api/uploads', { data: { supplierOrgId: supplier.orgId, customerOrgId: customerOrg.orgId, files: [] } });
  expect(created.status()).toBe(201);
  const { invoiceId } = (await created.json()) as { invoiceId: string };
  const dek = generateDek();
  const sealedHeader = await encryptHeader(dek, invoiceId, utf8Encode('{"v":1}'), 1);
  const recipients = [supplierOrg, customerOrg];
  const manifest: InvoiceManifest = {
    v: 1, invoiceId, supplierOrgId: supplier.orgId, customerOrgId: customerOrg.orgId, signerUserId: supplier.userId,
    signerKeyId: await computeKeyId(supplier.keys.signingPublicKey), createdAt: new Date().toISOString(),
    header: { sha256: toBase64Url(await sha256(sealedHeader)), size: sealedHeader.byteLength }, files: [],
    dekCommitment: toBase64Url(await computeDekCommitment(dek)), recipients: recipients.map((o) => ({ orgId: o.orgId, keyVersion: o.keyVersion })),
  };
  const grants = await Promise.all(recipients.map(async (o) => ({ orgId: o.orgId, keyVersion: o.keyVersion, sealedDek: toBase64Url(await sealDekForOrg(dek, fromBase64Url(o.encryptionPublicKey), { invoiceId, orgId: o.orgId, keyVersion: o.keyVersion })) })));
  const commit = await supplier.request.post(`/api/uploads/${invoiceId}/commit`, { data: { manifest, manifestSignature: await signManifest(supplier.keys.signingPrivateKey, manifest), sealedHeader: toBase64Url(sealedHeader), grants } });
  expect(commit.status()).toBe(201);
  return { invoiceId, dek };
}

async function signedEvent(user: ApiUser, invoiceId: string, dek: Uint8Array, type: InvoiceEventType, prevEventId: string | null): Promise<SignedEvent> {
  const eventId = crypto.randomUUID();
  const sealed = TRANSITIONS[type].payload === 'required' ? await encryptEventPayload(dek, { invoiceId, eventId }, utf8Encode('{"reason":"api test"}'), 1) : null;
  const record: SignedEvent['record'] = {
    v: 1, eventId, invoiceId, type, actorUserId: user.userId, actorOrgId: user.orgId, signerKeyId: await computeKeyId(user.keys.signingPublicKey),
    createdAt: new Date().toISOString(), prevEventId, payloadSha256: sealed ? await payloadDigest(sealed) : null,
  };
  return { record, signature: await signEventRecord(user.keys.signingPrivateKey, record), sealedPayload: sealed ? toBase64Url(sealed) : null };
}

async function state(db: TestDatabase, invoiceId: string) {
  const [invoice] = await db.query<{ status: string; updated_at: unknown }>('select status, updated_at::text from invoices where id = $1', [invoiceId]);
  const events = await db.query<{ id: string }>('select id from invoice_events where invoice_id = $1 order by seq', [invoiceId]);
  const audits = await db.query<{ seq: string }>("select seq from audit_log where object_id = $1 and action <> 'invoice.uploaded'", [invoiceId]);
  return { invoice, events: events.map((e) => e.id), audits: audits.length };
}

test('every transition answers each caller as the table says, and a refusal changes nothing', async ({ browser, baseURL, db, playwright }) => {
  test.setTimeout(240_000);
  const [supplier, customer, unrelated, admin] = [
    await apiUser(browser, baseURL!, 'supplier'), await apiUser(browser, baseURL!, 'customer'),
    await apiUser(browser, baseURL!, 'unrelated'), await apiUser(browser, baseURL!, 'admin'),
  ];
  await db.query('update users set is_platform_admin = true where id = $1', [admin.userId]);
  const anonymous = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: new URL(baseURL!).origin } });
  const supplierOrg = await orgKeys(supplier, supplier.orgId, db);
  const customerOrg = await orgKeys(supplier, customer.orgId, db);

  for (const type of EVENT_TYPES) {
    const { invoiceId, dek } = await sendInvoice(supplier, customerOrg, supplierOrg);
    const from = TRANSITIONS[type].from[0]!;
    await db.query('update invoices set status = $2 where id = $1', [invoiceId, from]);
    const path = `/api/invoices/${invoiceId}/events`;
    const allowed = TRANSITIONS[type].by;
    const callers = [
      { name: 'unrelated', user: unrelated, request: unrelated.request, status: 404, code: 'not_found' },
      { name: 'admin', user: admin, request: admin.request, status: 404, code: 'not_found' },
      { name: 'anonymous', user: customer, request: anonymous, status: 401, code: 'unauthenticated' },
      ...(['supplier', 'customer'] as const).map((party) => {
        const user = party === 'supplier' ? supplier : customer;
        // Credit notes are committed with the credit note, never on their own.
        const ok = !TRANSITIONS[type].viaCreditNote && (allowed === 'either' || allowed === party);
        return { name: party, user, request: user.request, status: ok ? 201 : TRANSITIONS[type].viaCreditNote && allowed === party ? 400 : 403, code: ok ? null : TRANSITIONS[type].viaCreditNote && allowed === party ? 'bad_request' : 'forbidden' };
      }),
    ].sort((a, b) => Number(a.status === 201) - Number(b.status === 201));
    // Both parties may comment on a dispute: each event continues the history recorded so far.
    const recorded: string[] = [];
    for (const caller of callers) {
      const before = await state(db, invoiceId);
      const event = await signedEvent(caller.user, invoiceId, dek, type, recorded.at(-1) ?? null);
      const answer = await caller.request.post(path, { data: event });
      if (caller.code === null) {
        expect(answer.status(), `${caller.name} → ${type}`).toBe(201);
        recorded.push(event.record.eventId);
        const after = await state(db, invoiceId);
        expect(after.events).toEqual(recorded);
        expect(after.audits).toBe(recorded.length);
        // The same request again (a retry) returns the stored event and duplicates nothing.
        const retry = await caller.request.post(path, { data: event });
        expect(retry.status()).toBe(200);
        expect(((await retry.json()) as { event: SignedEvent }).event.record).toEqual(event.record);
        expect(await state(db, invoiceId)).toEqual(after);
      } else {
        await expectRefusal(answer, caller.status, caller.code as never);
        expect(await state(db, invoiceId), `${caller.name} → ${type} changed nothing`).toEqual(before);
      }
    }
    for (const caller of callers) {
      const read = await caller.request.get(path);
      if (caller.name === 'supplier' || caller.name === 'customer') expect(read.status()).toBe(200);
      else await expectRefusal(read, caller.status, caller.code as never);
    }
  }

  // Illegal from the current status: 409, and nothing changes.
  const { invoiceId, dek } = await sendInvoice(supplier, customerOrg, supplierOrg);
  await db.query("update invoices set status = 'cancelled' where id = $1", [invoiceId]);
  const before = await state(db, invoiceId);
  await expectRefusal(await supplier.request.post(`/api/invoices/${invoiceId}/events`, { data: await signedEvent(supplier, invoiceId, dek, 'paid', null) }), 409, 'conflict');
  await expectRefusal(await customer.request.post(`/api/invoices/${invoiceId}/events`, { data: await signedEvent(customer, invoiceId, dek, 'disputed', null) }), 409, 'conflict');
  // Malformed input is a typed 400 naming the field.
  const malformed = await customer.request.post(`/api/invoices/${invoiceId}/events`, { data: { record: { v: 1 }, signature: 'x', sealedPayload: null } });
  expect((await expectRefusal(malformed, 400, 'bad_request')).issues?.length).toBeGreaterThan(0);
  expect(await state(db, invoiceId)).toEqual(before);

  await anonymous.dispose();
  for (const user of [supplier, customer, unrelated, admin]) await user.close();
});
