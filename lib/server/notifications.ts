import 'server-only';
import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNotNull, isNull, lt, lte, ne, sql } from 'drizzle-orm';
import type { Transaction } from '@/lib/db/client';
import { emailVerifications, mailOutbox, memberships, organizations, users } from '@/lib/db/schema';
import { isMailLocale, mailTranslate, type MailKey, type MailLocale, type MailTranslate } from '@/lib/shared/i18n/mail';
import type { MessageParams } from '@/lib/shared/i18n/translate';
import type { InvoiceEventType } from '@/lib/shared/lifecycle';
import { effectivePrefs, type NoticeKind, type NotificationSettings } from '@/lib/shared/schemas/notifications';
import { db } from './db';
import { describeError } from './failures';
import { env } from './env';
import { AppError } from './errors';
import { hashToken } from './invitations';
import { log } from './log';
import { deliver } from './mail';
import { enforceRateLimit } from './rate-limit';
import type { CurrentSession } from './sessions';

/*
 * Notifications (DESIGN §12). A notice is written to `mail_outbox` in the same transaction as what
 * it reports, so it exists exactly when its event does and a crash between the two loses nothing;
 * a worker in every instance sends due rows (claimed with SKIP LOCKED, so two instances never send
 * one row twice) and retries failures with backoff. A message holds only what the server already
 * knows (§7): organization names, the kind of event, its time and a link to the portal. Never
 * invoice content (the server has none) and never a claim or invitation secret. Nothing but the
 * verification message goes to an address that was not verified. Each message is written in the
 * language its recipient last used in the portal (`users.locale`, kept by `rememberLocale`).
 */

const VERIFICATION_TTL_MS = 48 * 60 * 60 * 1000;
const MAX_ATTEMPTS = 8;
const BATCH = 20;
const KEEP_SENT_MS = 7 * 24 * 60 * 60 * 1000;

type Executor = Transaction | ReturnType<typeof db>;

interface Composed {
  subject: string;
  lines: string[];
  link: { href: string; label: string };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Names come from users: no line breaks in a subject, and nothing longer than a name needs. */
const clean = (name: string) => name.replace(/[\r\n\t]+/g, ' ').trim().slice(0, 120);

/** The recipient's language; English for accounts that have not used the portal since languages were kept. */
const translatorFor = (locale: string | null | undefined): MailTranslate => mailTranslate(isMailLocale(locale) ? locale : 'en');

/**
 * Keeps the language the user reads the portal in, so notices are written in it. Called when a
 * portal or admin page renders; writes only when the language changed (the Settings switch, or
 * another browser language).
 */
export async function rememberLocale(userId: string, locale: string, current: MailLocale | null): Promise<void> {
  if (!isMailLocale(locale) || locale === current) return;
  await db().update(users).set({ locale }).where(eq(users.id, userId));
}

function render(composed: Composed, t: MailTranslate): { text: string; html: string } {
  const footer = t('mail.footer', { origin: env().ORIGIN, settings: `${env().ORIGIN}/settings` });
  const text = [...composed.lines, '', `${composed.link.label}: ${composed.link.href}`, '', '—', footer].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#111">',
    ...composed.lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    `<p><a href="${escapeHtml(composed.link.href)}">${escapeHtml(composed.link.label)}</a></p>`,
    `<hr><p style="font-size:12px;color:#555">${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { text, html };
}

async function enqueue(tx: Executor, userId: string | null, recipient: string, kind: string, composed: Composed, t: MailTranslate): Promise<void> {
  const { text, html } = render(composed, t);
  await tx.insert(mailOutbox).values({ id: randomUUID(), userId, kind, recipient, subject: clean(composed.subject), textBody: text, htmlBody: html });
  kick();
}

// ---------------------------------------------------------------------------------------------
// Address verification

/** Writes a one-time link for `email` (the account's address, or the one it is changing to). */
async function enqueueVerification(tx: Executor, user: { id: string; displayName: string; locale?: string | null }, email: string): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  await tx.insert(emailVerifications).values({ tokenHash: hashToken(token), userId: user.id, email, expiresAt: new Date(Date.now() + VERIFICATION_TTL_MS) });
  const t = translatorFor(user.locale);
  await enqueue(tx, user.id, email, 'verification', {
    subject: t('mail.verify.subject'),
    lines: [t('mail.greeting', { name: clean(user.displayName) }), t('mail.verify.line', { email, origin: env().ORIGIN }), t('mail.verify.once')],
    // In the fragment: the browser never sends it in a request line, so no proxy log keeps it.
    link: { href: `${env().ORIGIN}/verify-email#${token}`, label: t('mail.verify.link') },
  }, t);
}

/** At sign-up, in the transaction that creates the account (written in the language of the sign-up page). */
export async function enqueueSignUpVerification(tx: Transaction, user: { id: string; displayName: string; email: string; locale?: string | null }): Promise<void> {
  await enqueueVerification(tx, user, user.email);
}

/** Sends a new link to the current address, or to a new address the user wants to use instead. */
export async function requestVerification(session: CurrentSession, newEmail: string | undefined): Promise<{ sentTo: string }> {
  await enforceRateLimit(`verify-email:${session.userId}`, 5, 60 * 60);
  return db().transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id, email: users.email, displayName: users.displayName, locale: users.locale, verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, session.userId));
    if (!user) throw new AppError('unauthenticated', 'sign_in_required');
    const email = newEmail ?? user.email;
    if (email === user.email && user.verifiedAt) throw new AppError('conflict', 'email_already_confirmed');
    if (email !== user.email) {
      const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
      if (taken) throw new AppError('conflict', 'email_in_use');
    }
    // Only the newest link counts.
    await tx.update(emailVerifications).set({ usedAt: new Date() }).where(and(eq(emailVerifications.userId, user.id), isNull(emailVerifications.usedAt)));
    await enqueueVerification(tx, user, email);
    return { sentTo: email };
  });
}

/** Opens a verification link: the address it was sent to becomes the account's, confirmed. */
export async function verifyEmail(token: string, clientKey: string): Promise<{ email: string }> {
  await enforceRateLimit(`verify-email-open:${clientKey}`, 20, 60);
  return db().transaction(async (tx) => {
    const [row] = await tx.select().from(emailVerifications).where(eq(emailVerifications.tokenHash, hashToken(token))).for('update');
    if (!row || row.usedAt) throw new AppError('not_found', 'email_link_used');
    if (row.expiresAt.getTime() < Date.now()) throw new AppError('not_found', 'email_link_expired');
    const [user] = await tx.select({ id: users.id, email: users.email, displayName: users.displayName, locale: users.locale, deletedAt: users.deletedAt, verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, row.userId)).for('update');
    if (!user || user.deletedAt) throw new AppError('not_found', 'email_link_account_gone');
    const [taken] = await tx.select({ id: users.id }).from(users).where(and(eq(users.email, row.email), ne(users.id, user.id)));
    if (taken) throw new AppError('conflict', 'email_in_use');
    await tx.update(emailVerifications).set({ usedAt: new Date() }).where(eq(emailVerifications.tokenHash, row.tokenHash));
    await tx.update(users).set({ email: row.email, emailVerifiedAt: new Date() }).where(eq(users.id, user.id));
    // The old, confirmed address hears of the change: that is how a takeover is noticed.
    if (row.email !== user.email && user.verifiedAt) {
      const t = translatorFor(user.locale);
      await enqueue(tx, user.id, user.email, 'security', {
        subject: t('mail.email_changed.subject'),
        lines: [t('mail.greeting', { name: clean(user.displayName) }), t('mail.email_changed.line', { origin: env().ORIGIN, email: row.email, time: t.time(new Date()) }), t('mail.email_changed.advice')],
        link: { href: `${env().ORIGIN}/settings`, label: t('mail.open_settings') },
      }, t);
    }
    return { email: row.email };
  });
}

export async function notificationSettings(session: CurrentSession): Promise<NotificationSettings> {
  const [user] = await db().select({ email: users.email, verifiedAt: users.emailVerifiedAt, prefs: users.notificationPrefs }).from(users).where(eq(users.id, session.userId));
  if (!user) throw new AppError('unauthenticated', 'sign_in_required');
  const [pending] = await db()
    .select({ email: emailVerifications.email })
    .from(emailVerifications)
    .where(and(eq(emailVerifications.userId, session.userId), isNull(emailVerifications.usedAt), ne(emailVerifications.email, user.email), sql`${emailVerifications.expiresAt} > now()`))
    .orderBy(sql`${emailVerifications.createdAt} desc`)
    .limit(1);
  return { email: user.email, emailVerified: user.verifiedAt !== null, pendingEmail: pending?.email ?? null, prefs: effectivePrefs(user.prefs) };
}

export async function updateNotificationPrefs(session: CurrentSession, changes: Partial<Record<NoticeKind, boolean>>): Promise<NotificationSettings> {
  await db().transaction(async (tx) => {
    const [user] = await tx.select({ prefs: users.notificationPrefs }).from(users).where(eq(users.id, session.userId)).for('update');
    const merged = { ...effectivePrefs(user?.prefs), ...changes };
    // Only what is off is stored, so a kind added later starts on.
    const stored = Object.fromEntries(Object.entries(merged).filter(([, on]) => !on));
    await tx.update(users).set({ notificationPrefs: stored }).where(eq(users.id, session.userId));
  });
  return notificationSettings(session);
}

// ---------------------------------------------------------------------------------------------
// Notices

/** Verified, active members of an organization who want `kind`, except the one who acted. */
async function recipients(tx: Executor, orgId: string, kind: NoticeKind | 'security', exceptUserId: string | null) {
  const rows = await tx
    .select({ id: users.id, email: users.email, displayName: users.displayName, locale: users.locale, prefs: users.notificationPrefs })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), isNotNull(users.emailVerifiedAt), isNull(users.deletedAt), isNull(users.disabledAt), exceptUserId ? ne(users.id, exceptUserId) : undefined));
  return rows.filter((row) => kind === 'security' || effectivePrefs(row.prefs)[kind]);
}

async function orgNames(tx: Executor, ids: string[]): Promise<Map<string, string>> {
  const rows = await tx.select({ id: organizations.id, name: organizations.name }).from(organizations).where(inArray(organizations.id, ids));
  return new Map(rows.map((r) => [r.id, clean(r.name)]));
}

type EventNotice = 'payment_announced' | 'partially_paid' | 'payment_withdrawn' | 'disputed' | 'dispute_withdrawn' | 'dispute_comment' | 'paid' | 'cancelled' | 'credited';

/** Which events tell the other side, under which of the user's choices (`viewed` tells nobody). */
const EVENT_NOTICE: Partial<Record<InvoiceEventType, { kind: NoticeKind; text: EventNotice }>> = {
  payment_announced: { kind: 'payment_announced', text: 'payment_announced' },
  partially_paid: { kind: 'payment_announced', text: 'partially_paid' },
  payment_withdrawn: { kind: 'payment_announced', text: 'payment_withdrawn' },
  disputed: { kind: 'disputed', text: 'disputed' },
  dispute_withdrawn: { kind: 'disputed', text: 'dispute_withdrawn' },
  dispute_comment: { kind: 'comment', text: 'dispute_comment' },
  paid: { kind: 'paid', text: 'paid' },
  cancelled: { kind: 'cancelled', text: 'cancelled' },
  credited: { kind: 'credited', text: 'credited' },
};

/** A new invoice: every member of the customer organization who wants to know. */
export async function enqueueInvoiceReceived(tx: Transaction, invoice: { id: string; supplierOrgId: string; customerOrgId: string }): Promise<void> {
  const names = await orgNames(tx, [invoice.supplierOrgId, invoice.customerOrgId]);
  for (const user of await recipients(tx, invoice.customerOrgId, 'invoice_received', null)) {
    const t = translatorFor(user.locale);
    const supplier = names.get(invoice.supplierOrgId) ?? t('mail.some_supplier');
    const customer = names.get(invoice.customerOrgId) ?? t('mail.your_org');
    await enqueue(tx, user.id, user.email, 'invoice_received', {
      subject: t('mail.received.subject', { supplier }),
      lines: [t('mail.greeting', { name: clean(user.displayName) }), t('mail.received.line', { supplier, customer, time: t.time(new Date()) }), t('mail.received.encrypted')],
      link: { href: `${env().ORIGIN}/invoices/${invoice.id}`, label: t('mail.open_invoice') },
    }, t);
  }
}

/** An event on an invoice: the members of the other side. */
export async function enqueueInvoiceEvent(tx: Transaction, event: { invoiceId: string; type: InvoiceEventType; actorOrgId: string; actorUserId: string; supplierOrgId: string; customerOrgId: string }): Promise<void> {
  const notice = EVENT_NOTICE[event.type];
  if (!notice) return;
  const otherOrgId = event.actorOrgId === event.supplierOrgId ? event.customerOrgId : event.supplierOrgId;
  const names = await orgNames(tx, [event.actorOrgId, otherOrgId]);
  for (const user of await recipients(tx, otherOrgId, notice.kind, event.actorUserId)) {
    const t = translatorFor(user.locale);
    const actor = names.get(event.actorOrgId) ?? t('mail.other_party');
    const you = names.get(otherOrgId) ?? t('mail.your_org');
    await enqueue(tx, user.id, user.email, notice.kind, {
      subject: t(`mail.event.${notice.text}.subject`, { actor }),
      lines: [t('mail.greeting', { name: clean(user.displayName) }), t('mail.event.at', { line: t(`mail.event.${notice.text}.line`, { actor, you }), time: t.time(new Date()) })],
      link: { href: `${env().ORIGIN}/invoices/${event.invoiceId}`, label: t('mail.open_invoice') },
    }, t);
  }
}

/**
 * What a membership notice says: a catalog message with its parameters (names and roles only), so
 * each member reads it in their language, or a line already written (English).
 */
export type MembershipLine = string | { key: MailKey; params?: MessageParams };

/** Membership changes (organizations, DESIGN §3.3): every member of the organization but the actor. */
export async function enqueueMembershipNotice(tx: Transaction, orgId: string, actorUserId: string | null, line: MembershipLine): Promise<void> {
  const names = await orgNames(tx, [orgId]);
  for (const user of await recipients(tx, orgId, 'membership', actorUserId)) {
    const t = translatorFor(user.locale);
    const org = names.get(orgId) ?? t('mail.your_org');
    const text = typeof line === 'string' ? line : t(line.key, line.params);
    await enqueue(tx, user.id, user.email, 'membership', {
      subject: t('mail.membership.subject', { org }),
      lines: [t('mail.greeting', { name: clean(user.displayName) }), t('mail.membership.line', { line: text, org, time: t.time(new Date()) })],
      link: { href: `${env().ORIGIN}/`, label: t('mail.open_portal') },
    }, t);
  }
}

export type SecurityNotice = 'passkey_added' | 'passkey_removed' | 'recovery_used' | 'signed_out_everywhere';

/** Security notices go to every user with a verified address, whatever their choices. */
export async function enqueueSecurityNotice(tx: Executor, userId: string, what: SecurityNotice): Promise<void> {
  const [user] = await tx.select({ email: users.email, displayName: users.displayName, locale: users.locale, verifiedAt: users.emailVerifiedAt, deletedAt: users.deletedAt }).from(users).where(eq(users.id, userId));
  if (!user?.verifiedAt || user.deletedAt) return;
  const t = translatorFor(user.locale);
  await enqueue(tx, userId, user.email, 'security', {
    subject: t(`mail.security.${what}.subject`),
    lines: [t('mail.greeting', { name: clean(user.displayName) }), t('mail.event.at', { line: t(`mail.security.${what}.line`), time: t.time(new Date()) }), t('mail.security.advice')],
    link: { href: `${env().ORIGIN}/settings`, label: t('mail.check_passkeys') },
  }, t);
}

/** An account deleted by an admin gets nothing more. */
export async function dropPendingMail(tx: Transaction, userId: string): Promise<void> {
  await tx.delete(mailOutbox).where(and(eq(mailOutbox.userId, userId), isNull(mailOutbox.sentAt)));
  await tx.delete(emailVerifications).where(eq(emailVerifications.userId, userId));
}

// ---------------------------------------------------------------------------------------------
// The sender

let timer: NodeJS.Timeout | null = null;
let draining: Promise<void> | null = null;
let again = false;

/** Starts the sender of this instance (lib/server/startup.ts); due mail goes out every few seconds. */
export function startMailWorker(intervalMs = 2000): void {
  if (timer) return;
  timer = setInterval(kick, intervalMs);
  timer.unref();
  kick();
}

/** Sends what is due now (rows written by a transaction that has not committed wait for the next round). */
function kick(): void {
  if (!timer) return;
  if (draining) {
    again = true;
    return;
  }
  draining = sendDueMail()
    .catch((error: unknown) => log('error', 'mail.drain_failed', describeError(error)))
    .finally(() => {
      draining = null;
      if (again) {
        again = false;
        setTimeout(kick, 50).unref();
      }
    });
}

/** Sends every due message now; the worker calls it, and tests call it to send without waiting. */
export async function sendDueMail(): Promise<void> {
  for (;;) {
    const batch = await db().transaction(async (tx) => {
      // Due by the database's clock, which wrote the row's default: a JavaScript Date has only
      // milliseconds, so a row written in the same millisecond would look a few µs in the future.
      const rows = await tx
        .select()
        .from(mailOutbox)
        .where(and(isNull(mailOutbox.sentAt), lte(mailOutbox.nextAttemptAt, sql`now()`), lt(mailOutbox.attempts, MAX_ATTEMPTS)))
        .orderBy(asc(mailOutbox.nextAttemptAt))
        .limit(BATCH)
        .for('update', { skipLocked: true });
      if (rows.length) {
        // A lease: another instance skips these until then, and a crash mid-send retries them.
        await tx
          .update(mailOutbox)
          .set({ attempts: sql`${mailOutbox.attempts} + 1`, nextAttemptAt: new Date(Date.now() + 60_000) })
          .where(inArray(mailOutbox.id, rows.map((r) => r.id)));
      }
      return rows;
    });
    if (!batch.length) break;
    for (const row of batch) {
      try {
        await deliver({ id: row.id, to: row.recipient, subject: row.subject, text: row.textBody, html: row.htmlBody });
        // Sent: the body (a verification link's token, say) is not kept.
        await db().update(mailOutbox).set({ sentAt: new Date(), lastError: null, textBody: '', htmlBody: '' }).where(eq(mailOutbox.id, row.id));
        log('info', 'mail.sent', { id: row.id, kind: row.kind });
      } catch (error) {
        const backoff = Math.min(60 * 60_000, 5_000 * 2 ** row.attempts);
        // The error's class and SMTP code only: a server's reply may quote the message.
        const code = (error as { responseCode?: number; code?: string }).responseCode ?? (error as { code?: string }).code ?? 'unknown';
        await db().update(mailOutbox).set({ lastError: `${error instanceof Error ? error.name : 'Error'} ${code}`, nextAttemptAt: new Date(Date.now() + backoff) }).where(eq(mailOutbox.id, row.id));
        log('warn', 'mail.failed', { id: row.id, kind: row.kind, attempt: row.attempts + 1, code: String(code) });
      }
    }
    if (batch.length < BATCH) break;
  }
  await db().delete(mailOutbox).where(and(isNotNull(mailOutbox.sentAt), lt(mailOutbox.sentAt, new Date(Date.now() - KEEP_SENT_MS))));
}
