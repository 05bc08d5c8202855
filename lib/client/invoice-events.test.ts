import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signMembershipCertificate, type MembershipCertificate } from '@/lib/crypto/certificate';
import { toBase64Url } from '@/lib/crypto/encoding';
import { generateDek } from '@/lib/crypto/envelope';
import { generateKeyPairs, type GeneratedKeyPairs } from '@/lib/crypto/keys';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';
import type { InvoiceEventDto, InvoiceEventsDto, SignedEvent } from '@/lib/shared/schemas/invoice-event';
import type { UnlockedAccount } from './account';
import { buildSignedEvent, checkHistoryMark, readHistoryMark, verifyGuestHistory, type OpenedForEvents } from './invoice-events';

const header = { currency: 'EUR', amounts: { net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00' } } as InvoiceHeader;

interface Actor {
  account: UnlockedAccount;
  orgId: string;
  certificate: MembershipCertificate;
  certificateSignature: string;
}

/** A user of `orgId` whose certificate `orgKeys` signed, as the server serves it among a history's actors. */
async function actorOf(orgId: string, orgKeys: GeneratedKeyPairs): Promise<Actor> {
  const keys = await generateKeyPairs();
  const userId = randomUUID();
  const certificate: MembershipCertificate = { v: 1, orgId, userId, userSigningKey: toBase64Url(keys.signingPublicKey), userEncryptionKey: toBase64Url(keys.encryptionPublicKey), role: 'owner', version: 1, issuedAt: '2026-01-01T00:00:00.000Z' };
  return { account: { userId, keys } as unknown as UnlockedAccount, orgId, certificate, certificateSignature: await signMembershipCertificate(orgKeys.signingPrivateKey, certificate) };
}

/**
 * A guest's view of one invoice from a supplier to a provisional org: the supplier's key the link
 * vouches for, a supplier member, and a way to sign events as any actor and serve them as a history.
 */
async function setting() {
  const supplierKeys = await generateKeyPairs();
  const provisionalKeys = await generateKeyPairs();
  const supplierOrgId = randomUUID();
  const customerOrgId = randomUUID();
  const invoice: OpenedForEvents = { invoiceId: randomUUID(), supplierOrgId, customerOrgId, dek: generateDek(), header };
  const clerk = await actorOf(supplierOrgId, supplierKeys);
  const sign = (actor: Actor, type: SignedEvent['record']['type'], prevEventId: string | null, options: { invoiceId?: string; payload?: Record<string, string> | null } = {}) =>
    buildSignedEvent({ account: actor.account, actorOrgId: actor.orgId, invoiceId: options.invoiceId ?? invoice.invoiceId, dek: invoice.dek, type, payload: (options.payload === undefined ? null : options.payload) as never, prevEventId });
  const served = (events: SignedEvent[], actors: Actor[], status: InvoiceEventsDto['status']): InvoiceEventsDto => ({
    invoiceId: invoice.invoiceId,
    status,
    creditsInvoiceId: null,
    creditedBy: [],
    events: events.map((e, i): InvoiceEventDto => ({ seq: i + 1, record: e.record, signature: e.signature, sealedPayload: e.sealedPayload, statusAfter: status, recordedAt: e.record.createdAt })),
    actors: Object.fromEntries(actors.map((a) => [`${a.account.userId}|${a.orgId}`, { userId: a.account.userId, orgId: a.orgId, displayName: 'Clerk', signingPublicKey: a.certificate.userSigningKey, certificate: a.certificate as unknown as Record<string, unknown>, certificateSignature: a.certificateSignature }])),
    orgs: {},
  });
  const verify = (data: InvoiceEventsDto) => verifyGuestHistory(data, invoice, { orgId: supplierOrgId, signingPublicKey: supplierKeys.signingPublicKey });
  return { supplierKeys, provisionalKeys, supplierOrgId, customerOrgId, invoice, clerk, sign, served, verify };
}

describe('a guest verifies an invoice’s history with the supplier key its link vouches for', () => {
  it('shows a supplier’s cancellation as the verified status, with its details', async () => {
    const s = await setting();
    const cancelled = await s.sign(s.clerk, 'cancelled', null, { payload: { reason: 'Sent twice' } });
    const history = await s.verify(s.served([cancelled], [s.clerk], 'cancelled'));
    expect(history).toMatchObject({ status: 'cancelled', blocked: null, lastEventId: cancelled.record.eventId });
    expect(history.events[0]).toMatchObject({ party: 'supplier', problems: [], payload: { reason: 'Sent twice' } });
    // An empty history is an issued invoice, and a server status that disagrees with it blocks.
    expect(await s.verify(s.served([], [], 'issued'))).toMatchObject({ status: 'issued', blocked: null });
    expect((await s.verify(s.served([], [], 'cancelled'))).blocked?.key).toBe('history.block.status_differs');
  });

  it('blocks on a forged signature, keeping the status from before it', async () => {
    const s = await setting();
    const cancelled = await s.sign(s.clerk, 'cancelled', null);
    const forger = await generateKeyPairs();
    const forged = { ...cancelled, signature: (await buildSignedEvent({ account: { userId: s.clerk.account.userId, keys: forger } as unknown as UnlockedAccount, actorOrgId: s.supplierOrgId, invoiceId: s.invoice.invoiceId, dek: s.invoice.dek, type: 'cancelled', payload: null, prevEventId: null })).signature };
    const history = await s.verify(s.served([forged], [s.clerk], 'cancelled'));
    expect(history.events[0]!.problems).toContain('signature');
    expect(history).toMatchObject({ status: 'issued', blocked: { key: 'history.block.invalid_events' } });
  });

  it('blocks on an event signed for another invoice', async () => {
    const s = await setting();
    const elsewhere = await s.sign(s.clerk, 'cancelled', null, { invoiceId: randomUUID() });
    const history = await s.verify(s.served([elsewhere], [s.clerk], 'cancelled'));
    expect(history.events[0]!.problems).toContain('chain');
    expect(history.blocked?.key).toBe('history.block.invalid_events');
  });

  it('blocks on a history served reordered, or cut at its start', async () => {
    const s = await setting();
    const first = await s.sign(s.clerk, 'cancelled', null);
    const second = await s.sign(s.clerk, 'dispute_comment', first.record.eventId, { payload: { comment: 'See the corrected invoice.' } });
    const reordered = await s.verify(s.served([second, first], [s.clerk], 'cancelled'));
    expect(reordered.events.map((e) => e.problems.includes('chain'))).toEqual([true, true]);
    expect(reordered.blocked?.key).toBe('history.block.invalid_events');
    const cut = await s.verify(s.served([second], [s.clerk], 'cancelled'));
    expect(cut.events[0]!.problems).toContain('chain');
    expect(cut.blocked?.key).toBe('history.block.invalid_events');
  });

  it('blocks on an actor certified by a key the link does not vouch for, even the one the server serves', async () => {
    const s = await setting();
    const impostorOrgKeys = await generateKeyPairs();
    const impostor = await actorOf(s.supplierOrgId, impostorOrgKeys);
    const cancelled = await s.sign(impostor, 'cancelled', null);
    const data = s.served([cancelled], [impostor], 'cancelled');
    data.orgs[s.supplierOrgId] = { orgId: s.supplierOrgId, name: 'Supplier', handle: 'supplier', keyVersion: 1, signingPublicKey: toBase64Url(impostorOrgKeys.signingPublicKey), encryptionPublicKey: toBase64Url(impostorOrgKeys.encryptionPublicKey) };
    const history = await s.verify(data);
    expect(history.events[0]!.problems).toContain('certificate');
    expect(history).toMatchObject({ status: 'issued', blocked: { key: 'history.block.invalid_events' } });
  });

  it('blocks on any customer event: the provisional org has no member before its claim', async () => {
    const s = await setting();
    // Certified by the provisional org's own key, which the supplier (holding the link's secret) can derive.
    const fake = await actorOf(s.customerOrgId, s.provisionalKeys);
    const viewed = await s.sign(fake, 'viewed', null, { payload: {} });
    const data = s.served([viewed], [fake], 'viewed');
    data.orgs[s.customerOrgId] = { orgId: s.customerOrgId, name: 'Customer', handle: '~customer', keyVersion: 1, signingPublicKey: toBase64Url(s.provisionalKeys.signingPublicKey), encryptionPublicKey: toBase64Url(s.provisionalKeys.encryptionPublicKey) };
    const history = await s.verify(data);
    expect(history.events[0]).toMatchObject({ party: 'customer', problems: ['certificate'] });
    expect(history).toMatchObject({ status: 'issued', blocked: { key: 'history.block.invalid_events' } });
  });

  it('remembers on this device what it verified: an older history served later blocks', async () => {
    const s = await setting();
    const guest = `guest:${s.customerOrgId}`;
    const cancelled = await s.sign(s.clerk, 'cancelled', null);
    const seen = await readHistoryMark(guest, s.invoice.invoiceId);
    expect((await checkHistoryMark(guest, s.invoice.invoiceId, await s.verify(s.served([cancelled], [s.clerk], 'cancelled')), seen)).blocked).toBeNull();
    // The server withholds the cancellation and reports the status to match: only the mark sees it.
    const rolledBack = await s.verify(s.served([], [], 'issued'));
    expect(rolledBack.blocked).toBeNull();
    const checked = await checkHistoryMark(guest, s.invoice.invoiceId, rolledBack, await readHistoryMark(guest, s.invoice.invoiceId));
    expect(checked.blocked).toMatchObject({ key: 'history.block.rollback', params: { count: 0, seen: 1 } });
  });
});
