import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@/lib/db/test-database';
import { emailVerifications, mailOutbox, memberships, organizations, users } from '@/lib/db/schema';
import type { InvoiceEventType } from '@/lib/shared/lifecycle';
import { AppError } from './errors';
import { enqueueInvoiceEvent, enqueueInvoiceReceived, enqueueSecurityNotice, enqueueSignUpVerification, notificationSettings, requestVerification, sendDueMail, updateNotificationPrefs, verifyEmail } from './notifications';
import type { CurrentSession } from './sessions';
import { useDatabaseForTests } from './testing';

// DESIGN §12 against a real SMTP server (smtp-server) and real MIME parsing (mailparser): each
// notice goes to the right people and nobody else, choices are honoured, unconfirmed addresses get
// nothing but their confirmation link, and no message holds anything the server must not know.

const ORIGIN = 'http://portal.example.test:3999';
const received: ParsedMail[] = [];
let smtp: SMTPServer;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        received.push(mail);
        callback();
      }, callback);
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  const { port } = smtp.server.address() as AddressInfo;
  // env() is read once per test file, after these are set.
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  process.env.ORIGIN = ORIGIN;
  process.env.MAIL_FROM = 'zkinvoice <no-reply@portal.example.test>';
});
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((a) => a?.value.map((v) => v.address) ?? []);

describe.each(testDatabaseKinds())('notifications on %s', (kind) => {
  let database: TestDatabase;
  const db = () => database.handle.db;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    useDatabaseForTests(database.handle);
  });
  afterAll(() => database.drop());
  beforeEach(() => {
    received.length = 0;
  });

  async function person(orgId: string, options: { verified?: boolean; prefs?: Record<string, boolean>; locale?: 'en' | 'de' } = {}) {
    const id = randomUUID();
    const email = `${id.slice(0, 8)}@example.test`;
    await db().insert(users).values({ id, email, displayName: `Person ${id.slice(0, 8)}`, emailVerifiedAt: options.verified === false ? null : new Date(), notificationPrefs: options.prefs ?? {}, locale: options.locale ?? null });
    await db().insert(memberships).values({ orgId, userId: id, role: 'member', keyVersion: 1, certificate: {}, certificateSignature: 'x' });
    const session: CurrentSession = { sessionId: randomUUID(), userId: id, credentialId: null, reauthAt: null, isPlatformAdmin: false, displayName: 'P', email, recoveryConfirmed: true };
    return { id, email, session };
  }

  async function org(name: string) {
    const id = randomUUID();
    await db().insert(organizations).values({ id, name, handle: `h-${id}` });
    return id;
  }

  async function world() {
    const supplierOrg = await org('Supplier <GmbH>');
    const customerOrg = await org('Customer AG');
    const supplier = await person(supplierOrg);
    const supplierColleague = await person(supplierOrg);
    const customer = await person(customerOrg);
    const customerOptedOut = await person(customerOrg, { prefs: { invoice_received: false, paid: false } });
    const customerUnverified = await person(customerOrg, { verified: false });
    const bystander = await person(await org('Someone else'));
    return { supplierOrg, customerOrg, supplier, supplierColleague, customer, customerOptedOut, customerUnverified, bystander, invoiceId: randomUUID() };
  }

  it('tells the customer’s members of a new invoice, except those who turned it off or never confirmed their address', async () => {
    const w = await world();
    await db().transaction((tx) => enqueueInvoiceReceived(tx, { id: w.invoiceId, supplierOrgId: w.supplierOrg, customerOrgId: w.customerOrg }));
    await sendDueMail();
    expect(received.flatMap(to).sort()).toEqual([w.customer.email]);
    const [mail] = received;
    expect(mail!.subject).toBe('New invoice from Supplier <GmbH>');
    expect(mail!.from?.text).toContain('no-reply@portal.example.test');
    expect(mail!.text).toContain(`${ORIGIN}/invoices/${w.invoiceId}`);
    // Both parts, and the name is escaped in HTML rather than taken for markup.
    expect(mail!.html).toContain('Supplier &#60;GmbH&#62;');
    expect(mail!.html).toContain(`href="${ORIGIN}/invoices/${w.invoiceId}"`);
  });

  it('sends each event type to the other side only, never to the one who acted', async () => {
    const w = await world();
    const byCustomer: InvoiceEventType[] = ['payment_announced', 'partially_paid', 'payment_withdrawn', 'disputed', 'dispute_withdrawn', 'dispute_comment'];
    const bySupplier: InvoiceEventType[] = ['paid', 'cancelled', 'credited', 'dispute_comment'];
    const expected: [InvoiceEventType, string, string[]][] = [];
    for (const type of byCustomer) {
      await db().transaction((tx) => enqueueInvoiceEvent(tx, { invoiceId: w.invoiceId, type, actorOrgId: w.customerOrg, actorUserId: w.customer.id, supplierOrgId: w.supplierOrg, customerOrgId: w.customerOrg }));
      expected.push([type, 'supplier side', [w.supplier.email, w.supplierColleague.email].sort()]);
    }
    for (const type of bySupplier) {
      await db().transaction((tx) => enqueueInvoiceEvent(tx, { invoiceId: w.invoiceId, type, actorOrgId: w.supplierOrg, actorUserId: w.supplier.id, supplierOrgId: w.supplierOrg, customerOrgId: w.customerOrg }));
      // The opted-out customer turned off `paid` only; the unconfirmed one gets nothing.
      expected.push([type, 'customer side', (type === 'paid' ? [w.customer.email] : [w.customer.email, w.customerOptedOut.email]).sort()]);
    }
    // Viewing tells nobody.
    await db().transaction((tx) => enqueueInvoiceEvent(tx, { invoiceId: w.invoiceId, type: 'viewed', actorOrgId: w.customerOrg, actorUserId: w.customer.id, supplierOrgId: w.supplierOrg, customerOrgId: w.customerOrg }));
    await sendDueMail();
    const everyone = new Set(received.flatMap(to));
    expect(everyone.has(w.customer.email) && everyone.has(w.supplier.email)).toBe(true);
    for (const address of [w.customerUnverified.email, w.bystander.email]) expect(everyone.has(address)).toBe(false);
    const expectedCount = expected.reduce((n, [, , addresses]) => n + addresses.length, 0);
    expect(received).toHaveLength(expectedCount);
    const subjects = received.map((m) => m.subject);
    for (const text of ['Customer AG announced a payment', 'Customer AG announced a partial payment', 'Customer AG withdrew a payment announcement', 'Customer AG disputed an invoice', 'Customer AG withdrew a dispute', 'Customer AG commented on a disputed invoice', 'Supplier <GmbH> confirmed your payment', 'Supplier <GmbH> cancelled an invoice', 'Supplier <GmbH> credited an invoice', 'Supplier <GmbH> commented on a disputed invoice']) {
      expect(subjects).toContain(text);
    }
    // The customer who acted is not told of its own events.
    expect(received.filter((m) => to(m).includes(w.customer.email)).map((m) => m.subject).every((s) => s?.startsWith('Supplier'))).toBe(true);
  });

  it('writes each message in the language its recipient last used, names and times included', async () => {
    const w = await world();
    const german = await person(w.customerOrg, { locale: 'de' });
    const germanSupplier = await person(w.supplierOrg, { locale: 'de' });
    await db().transaction((tx) => enqueueInvoiceReceived(tx, { id: w.invoiceId, supplierOrgId: w.supplierOrg, customerOrgId: w.customerOrg }));
    await db().transaction((tx) => enqueueInvoiceEvent(tx, { invoiceId: w.invoiceId, type: 'payment_withdrawn', actorOrgId: w.customerOrg, actorUserId: w.customer.id, supplierOrgId: w.supplierOrg, customerOrgId: w.customerOrg }));
    await enqueueSecurityNotice(db(), german.id, 'passkey_removed');
    await sendDueMail();
    const byAddress = (address: string) => received.filter((m) => to(m).includes(address));
    const [invoiceDe] = byAddress(german.email).filter((m) => m.subject?.startsWith('Neue Rechnung'));
    expect(invoiceDe!.subject).toBe('Neue Rechnung von Supplier <GmbH>');
    expect(invoiceDe!.text).toContain('Hallo Person ');
    expect(invoiceDe!.text).toMatch(/hat Customer AG am \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} UTC eine Rechnung gesendet\./);
    expect(invoiceDe!.text).toContain(`Rechnung öffnen: ${ORIGIN}/invoices/${w.invoiceId}`);
    expect(invoiceDe!.text).toContain('Welche Benachrichtigungen Sie bekommen, wählen Sie unter Einstellungen');
    expect(invoiceDe!.html).toContain('Supplier &#60;GmbH&#62;');
    expect(byAddress(german.email).map((m) => m.subject)).toContain('Aus Ihrem zkinvoice-Konto wurde ein Passkey entfernt');
    expect(byAddress(germanSupplier.email).map((m) => m.subject)).toEqual(['Customer AG hat eine Zahlungsankündigung zurückgezogen']);
    // The others, who have not chosen German, read the same notices in English.
    expect(byAddress(w.customer.email).map((m) => m.subject)).toEqual(['New invoice from Supplier <GmbH>']);
    expect(byAddress(w.supplier.email).map((m) => m.subject)).toEqual(['Customer AG withdrew a payment announcement']);
    expect(byAddress(w.customer.email)[0]!.text).toMatch(/on [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M UTC\./);
  });

  it('always sends security notices to a confirmed address, never to an unconfirmed one', async () => {
    const w = await world();
    await enqueueSecurityNotice(db(), w.customerOptedOut.id, 'passkey_added');
    await enqueueSecurityNotice(db(), w.customerUnverified.id, 'recovery_used');
    await sendDueMail();
    expect(received.map((m) => [to(m)[0], m.subject])).toEqual([[w.customerOptedOut.email, 'A passkey was added to your zkinvoice account']]);
  });

  it('confirms an address by its one-time link, once, and tells the old address of a change', async () => {
    const w = await world();
    const user = w.customerUnverified;
    await db().transaction((tx) => enqueueSignUpVerification(tx, { id: user.id, displayName: 'New', email: user.email }));
    await sendDueMail();
    expect(received).toHaveLength(1);
    const link = /(http\S+\/verify-email#([A-Za-z0-9_-]{43}))/.exec(received[0]!.text ?? '');
    expect(link?.[1]?.startsWith(`${ORIGIN}/verify-email#`)).toBe(true);
    const token = link![2]!;
    // Only the hash is stored.
    const stored = await db().select().from(emailVerifications).where(eq(emailVerifications.userId, user.id));
    expect(JSON.stringify(stored)).not.toContain(token);

    expect((await notificationSettings(user.session)).emailVerified).toBe(false);
    await expect(verifyEmail(token, `ip-${user.id}`)).resolves.toEqual({ email: user.email });
    expect((await notificationSettings(user.session)).emailVerified).toBe(true);
    await expect(verifyEmail(token, `ip-${user.id}`)).rejects.toBeInstanceOf(AppError);

    // Changing the address: the new one proves itself, the old one hears of it.
    received.length = 0;
    const next = `new-${user.email}`;
    await expect(requestVerification(user.session, next)).resolves.toEqual({ sentTo: next });
    expect((await notificationSettings(user.session)).pendingEmail).toBe(next);
    await sendDueMail();
    const changeToken = /verify-email#([A-Za-z0-9_-]{43})/.exec(received[0]!.text ?? '')![1]!;
    expect(to(received[0]!)).toEqual([next]);
    received.length = 0;
    await verifyEmail(changeToken, `ip-${user.id}`);
    await sendDueMail();
    expect(received.map((m) => [to(m)[0], m.subject])).toEqual([[user.email, 'The e-mail address of your zkinvoice account was changed']]);
    expect((await notificationSettings(user.session)).email).toBe(next);
  });

  it('refuses expired links and another account’s address', async () => {
    const w = await world();
    await expect(requestVerification(w.customerUnverified.session, w.customer.email)).rejects.toMatchObject({ code: 'conflict' });
    await requestVerification(w.customerUnverified.session, undefined);
    await sendDueMail();
    const token = /verify-email#([A-Za-z0-9_-]{43})/.exec(received[0]!.text ?? '')![1]!;
    await db().update(emailVerifications).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(emailVerifications.userId, w.customerUnverified.id));
    await expect(verifyEmail(token, 'ip-expired')).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('expired') });
  });

  it('keeps each choice and starts new kinds switched on', async () => {
    const w = await world();
    const after = await updateNotificationPrefs(w.customer.session, { comment: false });
    expect(after.prefs.comment).toBe(false);
    expect(after.prefs.invoice_received).toBe(true);
    const [row] = await db().select({ prefs: users.notificationPrefs }).from(users).where(eq(users.id, w.customer.id));
    expect(row!.prefs).toEqual({ comment: false });
  });

  it('retries a message the SMTP server refused, and sends it later', async () => {
    const w = await world();
    const id = randomUUID();
    // Due a second ago: the column's default is the database's now(), which can lie a fraction of a
    // millisecond after the JavaScript clock that sendDueMail compares with.
    await db().insert(mailOutbox).values({ id, userId: w.customer.id, kind: 'security', recipient: 'not an address', subject: 's', textBody: 't', htmlBody: '<p>h</p>', nextAttemptAt: new Date(Date.now() - 1000) });
    await sendDueMail();
    const [row] = await db().select().from(mailOutbox).where(eq(mailOutbox.id, id));
    expect(row!.sentAt).toBeNull();
    expect(row!.attempts).toBe(1);
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    await db().update(mailOutbox).set({ recipient: w.customer.email, nextAttemptAt: new Date() }).where(eq(mailOutbox.id, id));
    await sendDueMail();
    const [sent] = await db().select().from(mailOutbox).where(eq(mailOutbox.id, id));
    expect(sent!.sentAt).not.toBeNull();
    // What was sent is not kept.
    expect([sent!.textBody, sent!.htmlBody]).toEqual(['', '']);
  });
});
