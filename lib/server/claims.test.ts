import { randomUUID } from 'node:crypto';
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClaim, claimAuthFor, ClaimOpenError, createProvisionalCustomer, openProvisionalOrg, openProvisionalRecord, type OpenedProvisionalOrg } from '@/lib/client/claim';
import { signMembershipCertificate, type MembershipCertificate } from '@/lib/crypto/certificate';
import { fromBase64Url, toBase64Url } from '@/lib/crypto/encoding';
import { fingerprint } from '@/lib/crypto/fingerprint';
import { generateKeyPairs } from '@/lib/crypto/keys';
import { followSuccession, generateOrgSecret, openOrgSecret, parseClaimFragment, replayChain, sealOrgSecretToMember, type SignedChainLink, type SignedSuccession } from '@/lib/crypto/org';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@/lib/db/test-database';
import { invoiceEvents, invoices, memberships, organizations, orgKeys, orgSecretGrants, provisionalOrgs, rateLimits, uploads } from '@/lib/db/schema';
import type { ClaimOpenDto } from '@/lib/shared/schemas/claim';
import { beginSignUp, claimSignUpReason } from './accounts';
import { recordAudit } from './audit';
import { claimInvoiceEvents, claimProvisionalOrg, createProvisionalOrg, listProvisionalOrgs, mayAddressProvisional, openClaim, updateProvisionalOrg } from './claims';
import { db } from './db';
import { AppError } from './errors';
import { appendToChain } from './org-members';
import { saveRegistrationMode } from './invitations';
import { findOrgById } from './orgs';
import { testPerson, type TestPerson } from './test-people';
import { useDatabaseForTests } from './testing';

const CONTEXT = { ip: null, userAgent: null };
const reason = (promise: Promise<unknown>) => promise.then(() => 'ok', (e: unknown) => (e instanceof AppError ? e.reason : e instanceof ClaimOpenError ? e.reason : String(e)));

type Person = TestPerson;
const person = testPerson;

/** A supplier org with one owner, as the owner's browser holds it unlocked. */
async function supplierOrg(owner: Person, name: string) {
  const orgId = randomUUID();
  const keys = await generateKeyPairs();
  const orgSecret = generateOrgSecret();
  const certificate: MembershipCertificate = { v: 1, orgId, userId: owner.userId, userSigningKey: toBase64Url(owner.keys.signingPublicKey), userEncryptionKey: toBase64Url(owner.keys.encryptionPublicKey), role: 'owner', version: 1, issuedAt: new Date().toISOString() };
  await db().insert(organizations).values({ id: orgId, name, handle: `s-${orgId}` });
  await db().insert(orgKeys).values({ orgId, version: 1, encryptionPublicKey: keys.encryptionPublicKey, signingPublicKey: keys.signingPublicKey, wrappedPrivateKeys: new Uint8Array(48) });
  await db().insert(memberships).values({ orgId, userId: owner.userId, role: 'owner', keyVersion: 1, certificate, certificateSignature: await signMembershipCertificate(keys.signingPrivateKey, certificate) });
  await db().insert(orgSecretGrants).values({ orgId, epoch: 1, userId: owner.userId, sealedOrgSecret: await sealOrgSecretToMember(orgSecret, owner.keys.encryptionPublicKey, { orgId, userId: owner.userId, version: 1 }) });
  return { orgId, keyVersion: 1, orgSecret, keys, fingerprint: await fingerprint({ signing: keys.signingPublicKey, encryption: keys.encryptionPublicKey }, `org:${orgId}`) };
}

describe.each(testDatabaseKinds())('provisional organizations and claims on %s', (kind) => {
  let database: TestDatabase;
  let supplierOwner: Person;
  let supplier: Awaited<ReturnType<typeof supplierOrg>>;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    useDatabaseForTests(database.handle);
    supplierOwner = await person('supplier');
    supplier = await supplierOrg(supplierOwner, 'Supplier GmbH');
  });
  afterAll(() => database.drop());

  /** The supplier makes a customer; returns what its link carries. */
  async function newCustomer(accessCode: string | null = null) {
    const made = await createProvisionalCustomer(supplier, { name: 'Customer AG', email: 'ap@customer.example', accessCode });
    await createProvisionalOrg(supplierOwner.session, supplier.orgId, made.request, CONTEXT);
    const fragment = parseClaimFragment(made.path.split('#')[1]!)!;
    return { ...made, orgId: made.request.orgId, fragment, claimAuth: await claimAuthFor(fragment.secret) };
  }

  async function guestOpens(orgId: string, claimAuth: string, fragment: { secret: Uint8Array; supplierFingerprint: string }, code: string | null = null): Promise<OpenedProvisionalOrg> {
    return openProvisionalOrg(await openClaim(orgId, claimAuth, CONTEXT), fragment.secret, fragment.supplierFingerprint, code);
  }

  it('stores a provisional customer the supplier can list, re-send and address, and nobody else can', async () => {
    const customer = await newCustomer();
    const [listed] = await listProvisionalOrgs(supplierOwner.session, supplier.orgId);
    expect(listed).toMatchObject({ orgId: customer.orgId, name: 'Customer AG', state: 'open' });
    const record = await openProvisionalRecord(supplier, listed!, () => Promise.reject(new Error('the current epoch needs no older ones')));
    expect(record).toMatchObject({ email: 'ap@customer.example', accessCode: null, path: customer.path });
    // The server holds neither the secret nor the address, only their sealed form and a hash.
    const [row] = await db().select().from(provisionalOrgs).where(eq(provisionalOrgs.orgId, customer.orgId));
    const stored = JSON.stringify({ ...row, claimAuthHash: toBase64Url(row!.claimAuthHash), sealedRecord: toBase64Url(row!.sealedRecord) });
    expect(stored).not.toContain(toBase64Url(customer.fragment.secret));
    expect(stored).not.toContain(customer.claimAuth);
    expect(stored).not.toContain('ap@customer.example');
    // Its handle cannot be looked up; only its supplier may send to it.
    expect((await findOrgById(customer.orgId))?.handle).toMatch(/^~/);
    expect(await mayAddressProvisional(supplier.orgId, customer.orgId)).toBe(true);
    expect(await mayAddressProvisional(randomUUID(), customer.orgId)).toBe(false);
    const stranger = await person('stranger');
    expect(await reason(listProvisionalOrgs(stranger.session, supplier.orgId))).toBe('org_not_found');
  });

  it('refuses a provisional link not signed by its key or naming another supplier', async () => {
    const made = await createProvisionalCustomer(supplier, { name: 'Other AG', email: 'x@example.test', accessCode: null });
    const otherSupplier = { ...made.request, chain: { ...made.request.chain, link: { ...made.request.chain.link, body: { ...made.request.chain.link.body, supplierOrgId: randomUUID() } } } };
    expect(await reason(createProvisionalOrg(supplierOwner.session, supplier.orgId, otherSupplier, CONTEXT))).toBe('membership_rejected');
    const forged = { ...made.request, chain: { ...made.request.chain, signature: made.request.chain.signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) } };
    expect(await reason(createProvisionalOrg(supplierOwner.session, supplier.orgId, forged, CONTEXT))).toBe('membership_rejected');
  });

  it('opens for a guest with the link, and with the access code only when one was set', async () => {
    const plain = await newCustomer();
    const opened = await guestOpens(plain.orgId, plain.claimAuth, plain.fragment);
    expect(opened).toMatchObject({ orgId: plain.orgId, name: 'Customer AG', keyVersion: 1 });
    expect(toBase64Url(opened.keys.encryptionPublicKey)).toBe(plain.keys.encryptionPublicKey);
    expect(await reason(openClaim(plain.orgId, toBase64Url(new Uint8Array(32)), CONTEXT))).toBe('claim_invalid');
    expect(await reason(openClaim(randomUUID(), plain.claimAuth, CONTEXT))).toBe('claim_invalid');

    const coded = await newCustomer('4711-2342');
    expect(await reason(guestOpens(coded.orgId, coded.claimAuth, coded.fragment))).toBe('wrong_code');
    expect(await reason(guestOpens(coded.orgId, coded.claimAuth, coded.fragment, '4711-2343'))).toBe('wrong_code');
    expect(await guestOpens(coded.orgId, coded.claimAuth, coded.fragment, '47112342')).toMatchObject({ orgId: coded.orgId });
  }, 30_000);

  it('refuses keys the server swapped, and a supplier other than the link names', async () => {
    const customer = await newCustomer();
    const dto = await openClaim(customer.orgId, customer.claimAuth, CONTEXT);
    const impostor = await generateKeyPairs();
    const swapped: ClaimOpenDto = { ...dto, epoch: { ...dto.epoch, encryptionPublicKey: toBase64Url(impostor.encryptionPublicKey), signingPublicKey: toBase64Url(impostor.signingPublicKey) } };
    expect(await reason(openProvisionalOrg(swapped, customer.fragment.secret, customer.fragment.supplierFingerprint, null))).toBe('chain_invalid');
    const otherSupplier: ClaimOpenDto = { ...dto, supplier: { ...dto.supplier, signingPublicKey: toBase64Url(impostor.signingPublicKey) }, supplierEpochs: [{ epoch: 1, signingPublicKey: toBase64Url(impostor.signingPublicKey), encryptionPublicKey: dto.supplier.encryptionPublicKey }] };
    expect(await reason(openProvisionalOrg(otherSupplier, customer.fragment.secret, customer.fragment.supplierFingerprint, null))).toBe('supplier_mismatch');
    // The supplier's own pin of the customer catches the swap the same way as for any org.
    await db().update(orgKeys).set({ encryptionPublicKey: impostor.encryptionPublicKey }).where(eq(orgKeys.orgId, customer.orgId));
    const served = (await findOrgById(customer.orgId))!;
    const pin = { epoch: 1, signingPublicKey: customer.keys.signingPublicKey, encryptionPublicKey: customer.keys.encryptionPublicKey };
    expect(await followSuccession(customer.orgId, pin, { epoch: served.keyVersion, signingPublicKey: served.signingPublicKey, encryptionPublicKey: served.encryptionPublicKey }, [])).toBeNull();
    expect(await reason(guestOpens(customer.orgId, customer.claimAuth, customer.fragment))).toBe('chain_invalid');
  });

  it('refuses revoked and expired links by name; renews an expired one, never a revoked one', async () => {
    const revoked = await newCustomer();
    await updateProvisionalOrg(supplierOwner.session, supplier.orgId, revoked.orgId, 'revoke', CONTEXT);
    expect(await reason(openClaim(revoked.orgId, revoked.claimAuth, CONTEXT))).toBe('claim_revoked');
    expect(await reason(updateProvisionalOrg(supplierOwner.session, supplier.orgId, revoked.orgId, 'renew', CONTEXT))).toBe('provisional_not_open');

    const expired = await newCustomer();
    await db().update(provisionalOrgs).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(provisionalOrgs.orgId, expired.orgId));
    expect(await reason(openClaim(expired.orgId, expired.claimAuth, CONTEXT))).toBe('claim_expired');
    expect((await listProvisionalOrgs(supplierOwner.session, supplier.orgId)).find((c) => c.orgId === expired.orgId)?.state).toBe('expired');
    await updateProvisionalOrg(supplierOwner.session, supplier.orgId, expired.orgId, 'renew', CONTEXT);
    expect(await reason(openClaim(expired.orgId, expired.claimAuth, CONTEXT))).toBe('ok');

    const stranger = await person('stranger2');
    expect(await reason(updateProvisionalOrg(stranger.session, supplier.orgId, expired.orgId, 'revoke', CONTEXT))).toBe('org_not_found');
  });

  it('lets a sign-up follow an open claim link with its proof, even where registration is by invitation', async () => {
    const customer = await newCustomer();
    const email = () => `new-${randomUUID()}@example.test`;
    const signUp = (claimAuth: string) => beginSignUp({ displayName: 'New Owner', email: email(), claim: { orgId: customer.orgId, claimAuth } }, CONTEXT);
    expect(await reason(signUp(toBase64Url(new Uint8Array(32))))).toBe('claim_invalid');
    await saveRegistrationMode(db(), 'invitation', supplierOwner.userId);
    try {
      // No organization of its own: the account claims this one next.
      expect((await signUp(customer.claimAuth)).orgId).toBeNull();
      expect(await reason(beginSignUp({ displayName: 'Someone', email: email(), orgName: 'Own GmbH' }, CONTEXT))).toBe('invitation_required');
      // Like an invitation, the link makes one account: once a sign-up through it completed (as
      // completeSignUp records it), the next one is refused; another link is not affected.
      const other = await newCustomer();
      await recordAudit({ action: 'account.sign_up', outcome: 'success', actorUserId: supplierOwner.userId, objectType: 'user', objectId: randomUUID(), reason: claimSignUpReason(customer.orgId) }, CONTEXT);
      expect(await reason(signUp(customer.claimAuth))).toBe('claim_sign_up_used');
      expect((await beginSignUp({ displayName: 'Other', email: email(), claim: { orgId: other.orgId, claimAuth: other.claimAuth } }, CONTEXT)).orgId).toBeNull();
    } finally {
      await saveRegistrationMode(db(), 'open', supplierOwner.userId);
    }
    const fresh = await newCustomer();
    await updateProvisionalOrg(supplierOwner.session, supplier.orgId, fresh.orgId, 'revoke', CONTEXT);
    expect(await reason(beginSignUp({ displayName: 'New Owner', email: email(), claim: { orgId: fresh.orgId, claimAuth: fresh.claimAuth } }, CONTEXT))).toBe('claim_revoked');
  });

  /** An invoice from the supplier to `customerOrgId` (metadata only) with one `cancelled` event by the supplier's owner. */
  async function cancelledInvoiceTo(customerOrgId: string): Promise<{ invoiceId: string; eventId: string }> {
    const invoiceId = randomUUID();
    const eventId = randomUUID();
    await db().insert(uploads).values({ id: invoiceId, supplierOrgId: supplier.orgId, customerOrgId, createdBy: supplierOwner.userId, files: [], expiresAt: new Date(Date.now() + 60_000), committedAt: new Date() });
    await db().insert(invoices).values({ id: invoiceId, supplierOrgId: supplier.orgId, customerOrgId, signerUserId: supplierOwner.userId, status: 'cancelled', manifest: {}, manifestSignature: 'x', sealedHeader: new Uint8Array(40) });
    const record = { v: 1, eventId, invoiceId, type: 'cancelled', actorUserId: supplierOwner.userId, actorOrgId: supplier.orgId, signerKeyId: 'k', createdAt: new Date().toISOString(), prevEventId: null, payloadSha256: null };
    await db().insert(invoiceEvents).values({ id: eventId, invoiceId, seq: 1, type: 'cancelled', actorUserId: supplierOwner.userId, actorOrgId: supplier.orgId, prevEventId: null, statusAfter: 'cancelled', record, signature: 'sig', createdAt: new Date() });
    return { invoiceId, eventId };
  }

  it('serves a guest the signed history of an invoice sent to its org, and nothing else', async () => {
    const customer = await newCustomer();
    const other = await newCustomer();
    const mine = await cancelledInvoiceTo(customer.orgId);
    const theirs = await cancelledInvoiceTo(other.orgId);
    const guestAttempts = async () => (await db().select({ count: rateLimits.count }).from(rateLimits).where(like(rateLimits.key, `claim-org:${customer.orgId}`))).reduce((n, r) => n + r.count, 0);

    const before = await guestAttempts();
    const history = await claimInvoiceEvents(customer.orgId, customer.claimAuth, mine.invoiceId, CONTEXT);
    expect(history).toMatchObject({ invoiceId: mine.invoiceId, status: 'cancelled', events: [{ seq: 1, record: { eventId: mine.eventId, type: 'cancelled' } }] });
    expect(Object.keys(history.actors)).toEqual([`${supplierOwner.userId}|${supplier.orgId}`]);
    expect(Object.keys(history.orgs).sort()).toEqual([supplier.orgId, customer.orgId].sort());
    // A proven guest reads many histories: only a failed proof counts as a guess.
    expect(await guestAttempts()).toBe(before);

    expect(await reason(claimInvoiceEvents(customer.orgId, toBase64Url(new Uint8Array(32)), mine.invoiceId, CONTEXT))).toBe('claim_invalid');
    expect(await guestAttempts()).toBe(before + 1);
    // Another org's invoice, with this org's proof or that org's proof under this org's id.
    expect(await reason(claimInvoiceEvents(customer.orgId, customer.claimAuth, theirs.invoiceId, CONTEXT))).toBe('invoice_not_found');
    expect(await reason(claimInvoiceEvents(customer.orgId, other.claimAuth, theirs.invoiceId, CONTEXT))).toBe('claim_invalid');
    expect(await reason(claimInvoiceEvents(customer.orgId, customer.claimAuth, randomUUID(), CONTEXT))).toBe('invoice_not_found');

    await updateProvisionalOrg(supplierOwner.session, supplier.orgId, other.orgId, 'revoke', CONTEXT);
    expect(await reason(claimInvoiceEvents(other.orgId, other.claimAuth, theirs.invoiceId, CONTEXT))).toBe('claim_revoked');
    await db().update(provisionalOrgs).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(provisionalOrgs.orgId, customer.orgId));
    expect(await reason(claimInvoiceEvents(customer.orgId, customer.claimAuth, mine.invoiceId, CONTEXT))).toBe('claim_expired');
    await db().update(provisionalOrgs).set({ expiresAt: new Date(Date.now() + 60_000), claimedAt: new Date() }).where(eq(provisionalOrgs.orgId, customer.orgId));
    expect(await reason(claimInvoiceEvents(customer.orgId, customer.claimAuth, mine.invoiceId, CONTEXT))).toBe('claim_claimed');
  });

  it('is claimed by a user who rotates at once: the supplier’s pin follows, the guest link stops working', async () => {
    const customer = await newCustomer();
    const claimant = await person('claimant');
    const opened = await guestOpens(customer.orgId, customer.claimAuth, customer.fragment);

    // Without the secret's proof, or through the ordinary chain route, nothing is claimed.
    const request = await buildClaim(claimant, opened, customer.claimAuth);
    expect(await reason(claimProvisionalOrg(claimant.session, customer.orgId, { ...request, claimAuth: toBase64Url(new Uint8Array(32)) }, CONTEXT))).toBe('claim_invalid');
    const { claimAuth: _proof, ...append } = request;
    expect(await reason(appendToChain(claimant.session, customer.orgId, append, CONTEXT))).toBe('membership_rejected');
    // With the proof but without the provisional org key (a server or a guesser cannot sign with it).
    const impostorKeys = await generateKeyPairs();
    const forged = await buildClaim(claimant, { ...opened, keys: { ...opened.keys, signingPrivateKey: impostorKeys.signingPrivateKey } }, customer.claimAuth);
    expect(await reason(claimProvisionalOrg(claimant.session, customer.orgId, forged, CONTEXT))).toBe('membership_rejected');

    // Nobody of the supplier's org may take its customer over, though it knows the secret.
    const bySupplier = await buildClaim(supplierOwner, opened, customer.claimAuth);
    expect(await reason(claimProvisionalOrg(supplierOwner.session, customer.orgId, bySupplier, CONTEXT))).toBe('claim_by_supplier');

    const result = await claimProvisionalOrg(claimant.session, customer.orgId, request, CONTEXT);
    expect(result.handle).toMatch(/^customer-ag-[a-z0-9]{6}$/);
    const served = (await findOrgById(customer.orgId))!;
    expect(served).toMatchObject({ keyVersion: 2, handle: result.handle });
    const pin = { epoch: 1, signingPublicKey: customer.keys.signingPublicKey, encryptionPublicKey: customer.keys.encryptionPublicKey };
    expect(await followSuccession(customer.orgId, pin, { epoch: 2, signingPublicKey: served.signingPublicKey, encryptionPublicKey: served.encryptionPublicKey }, served.successions as SignedSuccession[])).toHaveLength(1);

    const [member] = await db().select().from(memberships).where(eq(memberships.orgId, customer.orgId));
    expect(member).toMatchObject({ userId: claimant.userId, role: 'owner', keyVersion: 2 });
    const [grant] = await db().select().from(orgSecretGrants).where(eq(orgSecretGrants.orgId, customer.orgId));
    expect((await openOrgSecret(claimant.keys.encryptionPrivateKey, claimant.keys.encryptionPublicKey, grant!.sealedOrgSecret, { orgId: customer.orgId, userId: claimant.userId, version: 2 })).length).toBe(32);
    const chain = await db().query.orgChainLinks.findMany({ where: (l, { eq: is }) => is(l.orgId, customer.orgId) });
    const state = await replayChain(customer.orgId, chain.sort((a, b) => a.seq - b.seq).map((l) => ({ link: l.link, signature: l.signature, orgSignature: l.orgSignature }) as SignedChainLink));
    expect(state).toMatchObject({ epoch: 2, provisional: { claimed: true } });

    expect(await reason(openClaim(customer.orgId, customer.claimAuth, CONTEXT))).toBe('claim_claimed');
    expect(await reason(claimProvisionalOrg(claimant.session, customer.orgId, request, CONTEXT))).toBe('claim_claimed');
    expect((await listProvisionalOrgs(supplierOwner.session, supplier.orgId)).find((c) => c.orgId === customer.orgId)?.state).toBe('claimed');
    // Claimed, it is an ordinary org: any supplier may address it by its handle.
    expect(await mayAddressProvisional(randomUUID(), customer.orgId)).toBe(true);
    expect(fromBase64Url(served.signingPublicKey)).not.toEqual(opened.keys.signingPublicKey);
  });
});
