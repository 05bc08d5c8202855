import { afterEach, describe, expect, it, vi } from 'vitest';
import { signMembershipCertificate, type MembershipCertificate } from '@/lib/crypto/certificate';
import { concatBytes, fromBase64Url, fromHex, randomBytes, toBase64Url, utf8Encode } from '@/lib/crypto/encoding';
import { canonicalManifestBytes, computeDekCommitment, computeKeyId, encryptHeader, ENVELOPE_VERSION, generateDek, importListIndexKey, importOrgDekWrapKey, sealDekForOrg, sealListIndexSegment, signManifest, type InvoiceManifest } from '@/lib/crypto/envelope';
import { sha256 } from '@/lib/crypto/kdf';
import { generateKeyPairs } from '@/lib/crypto/keys';
import type { InvoiceDto, InvoiceListDto, OrgPublicKeys } from '@/lib/shared/invoice-dto';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';
import { decodeListChunk, encodeListChunk, type ListChunkMeta } from '@/lib/shared/list-chunk';
import type { UnlockedOrg } from './account';
import { genesisKeyring, pinOrg } from './keyring';
import { appendListIndex, fetchCompactChunk, hasOpenedSegments, loadListIndex, readCompactChunk, recordOf, rowFromIndex, type CompactInvoice, type ListIndexTransport, type OpenedSegments } from './list-index';
import { createListChecks, openInvoiceList, type ListedInvoice } from './open-invoice';

const SUPPLIER = '11111111-1111-4111-8111-111111111111';
const CUSTOMER = '22222222-2222-4222-8222-222222222222';
const SIGNER = '33333333-3333-4333-8333-333333333333';
const invoiceId = (n: number) => `44444444-4444-4444-8444-${n.toString(16).padStart(12, '0')}`;

function header(n: number): InvoiceHeader {
  return {
    v: 1, type: n % 3 === 0 ? 'credit-note' : 'invoice', number: `INV-${n}`, issueDate: `2025-01-${String(n + 1).padStart(2, '0')}`, dueDate: '2025-03-01', currency: 'EUR',
    amounts: { net: '100.00', tax: '19.00', gross: '119.00', payable: `${100 + n}.00` },
    seller: { name: 'Supplier GmbH', vatId: 'DE123456789' }, buyer: { name: 'Customer AG', vatId: '' },
    payment: { payeeName: 'Supplier GmbH', iban: 'DE89370400440532013000', bic: '', reference: `REF-${n}`, url: '' },
    notes: n === 1 ? 'Bitte bis März zahlen' : '',
    documents: [],
    ...(n === 2 ? { einvoiceMismatches: [{ field: 'payable' as const, header: '102.00', einvoice: '101.00', document: 'x.xml' }] } : {}),
  };
}

/** A server's in-memory segment store, which a test may make withhold, tamper with or swap segments. */
function memoryTransport() {
  const segments = new Map<string, { epoch: number; bytes: Uint8Array }>();
  const transport: ListIndexTransport & { segments: typeof segments; epoch: number; reads: number } = {
    segments,
    epoch: 1,
    async listSegments() {
      return { epoch: transport.epoch, segments: [...segments.keys()].map((segmentId) => ({ segmentId })) };
    },
    reads: 0,
    async readSegment(_orgId, segmentId) {
      transport.reads++;
      return segments.get(segmentId)!.bytes;
    },
    async appendSegment(_orgId, epoch, segmentId, _records, sealed) {
      segments.set(segmentId, { epoch, bytes: sealed });
    },
  };
  return transport;
}

describe('list index on the client', async () => {
  const [supplierKeys, customerKeys, signerKeys] = await Promise.all([generateKeyPairs(), generateKeyPairs(), generateKeyPairs()]);
  const orgSecret = randomBytes(32);
  const org = {
    orgId: CUSTOMER, name: 'Customer AG', handle: 'customer', role: 'owner', keyVersion: 1, keys: customerKeys, orgSecret, fingerprint: 'f',
    dekWrapKey: await importOrgDekWrapKey(orgSecret, { orgId: CUSTOMER, version: 1 }),
  } as unknown as UnlockedOrg;
  const publicKeys = (orgId: string, name: string, keys: typeof supplierKeys): OrgPublicKeys => ({
    orgId, name, handle: name.toLowerCase(), keyVersion: 1, encryptionPublicKey: toBase64Url(keys.encryptionPublicKey), signingPublicKey: toBase64Url(keys.signingPublicKey),
  });
  const orgs = { [SUPPLIER]: publicKeys(SUPPLIER, 'Supplier', supplierKeys), [CUSTOMER]: publicKeys(CUSTOMER, 'Customer', customerKeys) };
  const certificate: MembershipCertificate = {
    v: 1, orgId: SUPPLIER, userId: SIGNER, userSigningKey: toBase64Url(signerKeys.signingPublicKey), userEncryptionKey: toBase64Url(signerKeys.encryptionPublicKey), role: 'owner', version: 1, issuedAt: '2025-01-01T00:00:00.000Z',
  };
  const signers = {
    [`${SIGNER}|${SUPPLIER}`]: { userId: SIGNER, orgId: SUPPLIER, displayName: 'Signer', signingPublicKey: certificate.userSigningKey, certificate, certificateSignature: await signMembershipCertificate(supplierKeys.signingPrivateKey, certificate) },
  };

  async function sealedInvoice(n: number): Promise<InvoiceDto> {
    const id = invoiceId(n);
    const dek = generateDek();
    const sealedHeader = await encryptHeader(dek, id, utf8Encode(JSON.stringify(header(n))), ENVELOPE_VERSION);
    const manifest: InvoiceManifest = {
      v: ENVELOPE_VERSION, invoiceId: id, supplierOrgId: SUPPLIER, customerOrgId: CUSTOMER, signerUserId: SIGNER, signerKeyId: await computeKeyId(signerKeys.signingPublicKey), createdAt: '2025-01-02T00:00:00.000Z',
      header: { sha256: toBase64Url(await sha256(sealedHeader)), size: sealedHeader.byteLength }, files: [], dekCommitment: toBase64Url(await computeDekCommitment(dek)),
      recipients: [{ orgId: SUPPLIER, keyVersion: 1 }, { orgId: CUSTOMER, keyVersion: 1 }],
    };
    return {
      id, supplierOrgId: SUPPLIER, customerOrgId: CUSTOMER, signerUserId: SIGNER, status: n === 1 ? 'paid' : 'issued', createdAt: manifest.createdAt, updatedAt: manifest.createdAt,
      manifest: manifest as InvoiceDto['manifest'], manifestSignature: await signManifest(signerKeys.signingPrivateKey, manifest), sealedHeader: toBase64Url(sealedHeader),
      keys: [{ kind: 'grant', orgId: CUSTOMER, keyVersion: 1, sealedDek: toBase64Url(await sealDekForOrg(dek, customerKeys.encryptionPublicKey, { invoiceId: id, orgId: CUSTOMER, keyVersion: 1 })) }],
      files: [],
    };
  }

  const list: InvoiceListDto = { invoices: await Promise.all([0, 1, 2, 3, 4].map(sealedInvoice)), orgs, signers };
  const keyring = genesisKeyring();
  pinOrg(keyring, orgs[SUPPLIER]!, 'supplier-fingerprint');
  const full = await openInvoiceList(list, org, keyring);
  const records = (await Promise.all(full.map(recordOf))).filter((r) => r !== null);
  // The compact list as lib/server/invoices.ts serves it (lib/shared/list-chunk.ts): per invoice its
  // id, times in ms and the hashes of the canonical manifest and of the sealed header, read back as the list reads it.
  const time = (iso: string) => {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, Date.parse(iso));
    return bytes;
  };
  const recordBytes = async (invoice: InvoiceDto) =>
    concatBytes(fromHex(invoice.id.replaceAll('-', '')), time(invoice.createdAt), time(invoice.updatedAt), await sha256(canonicalManifestBytes(invoice.manifest as InvoiceManifest)), await sha256(fromBase64Url(invoice.sealedHeader)));
  const meta: ListChunkMeta = { parties: [SUPPLIER, CUSTOMER], statuses: ['issued', 'paid'], orgs, nextCursor: null };
  const columns = {
    records: concatBytes(...(await Promise.all(list.invoices.map(recordBytes)))),
    supplier: list.invoices.map((i) => meta.parties.indexOf(i.supplierOrgId)),
    customer: list.invoices.map((i) => meta.parties.indexOf(i.customerOrgId)),
    status: list.invoices.map((i) => meta.statuses.indexOf(i.status)),
  };
  const chunk = decodeListChunk(encodeListChunk(meta, columns))!;
  const read = readCompactChunk(chunk);
  const served = read.invoices;

  /** What the list shows, sorts, searches, sums and exports of a row, and its trust state. */
  const shown = (row: ListedInvoice) => ({
    invoice: { id: row.invoice.id, status: row.invoice.status, updatedAt: row.invoice.updatedAt, supplierOrgId: row.invoice.supplierOrgId, customerOrgId: row.invoice.customerOrgId },
    supplier: row.supplier?.orgId, customer: row.customer?.orgId,
    header: row.header && {
      type: row.header.type, number: row.header.number, issueDate: row.header.issueDate, dueDate: row.header.dueDate, currency: row.header.currency, amounts: row.header.amounts,
      seller: { name: row.header.seller.name, vatId: row.header.seller.vatId }, buyer: row.header.buyer.name, payee: row.header.payment.payeeName, reference: row.header.payment.reference,
      notes: row.header.notes, documents: row.header.documents, mismatches: row.header.einvoiceMismatches?.length ?? 0,
    },
    dek: row.dek, problems: row.problems, supplierPin: row.supplierPin, supplierFingerprint: row.supplierFingerprint, supplierSeen: row.supplierSeen, lookalikes: row.lookalikes, neverPaid: row.neverPaid,
  });

  async function indexedRows(transport: ListIndexTransport, items: CompactInvoice[] = served, ring = keyring) {
    const index = await loadListIndex(org, transport);
    const checks = createListChecks();
    return { index, rows: await Promise.all(items.map((item) => rowFromIndex(item, index, orgs, org, ring, checks))) };
  }

  it('reads a compact chunk by column: every invoice, with the full list\u2019s metadata', () => {
    expect(read.malformed).toEqual([]);
    expect(served.map(({ id, supplierOrgId, customerOrgId, status, createdAt, updatedAt }) => ({ id, supplierOrgId, customerOrgId, status, createdAt, updatedAt }))).toEqual(
      list.invoices.map(({ id, supplierOrgId, customerOrgId, status, createdAt, updatedAt }) => ({ id, supplierOrgId, customerOrgId, status, createdAt, updatedAt })),
    );
  });

  it('flags a compact entry with a value of its own that is wrong, by its id when it has one', () => {
    const records = columns.records.slice();
    const view = new DataView(records.buffer);
    // Not a UUID: version 0.
    records[6] = 0x04;
    view.setFloat64(3 * 96 + 16, 1.5);
    view.setFloat64(4 * 96 + 24, 9e15);
    const bad = { records, supplier: [0, 2, 0, 0, 0], customer: columns.customer, status: [0, 0, 2, 0, 0] };
    const flagged = readCompactChunk(decodeListChunk(encodeListChunk({ ...meta, statuses: [...meta.statuses, 'settled'] }, bad))!);
    expect(flagged.invoices).toEqual([]);
    expect(flagged.malformed).toEqual([null, ...list.invoices.slice(1).map((i) => i.id)]);
    // A status index past the chunk's statuses, a party index past its parties.
    const past = readCompactChunk(decodeListChunk(encodeListChunk(meta, { ...columns, status: [0, 0, 2, 0, 0], customer: [1, 1, 1, 1, 7] }))!);
    expect(past.malformed).toEqual([list.invoices[2]!.id, list.invoices[4]!.id]);
    expect(past.invoices.map((i) => i.id)).toEqual([0, 1, 3].map((n) => list.invoices[n]!.id));
  });

  describe('fetchCompactChunk', () => {
    afterEach(() => vi.unstubAllGlobals());
    const answer = (response: Response | Error) => vi.stubGlobal('fetch', vi.fn(async () => (response instanceof Error ? Promise.reject(response) : response)));

    it('reads the chunk the server sent, and refuses an answer that is not one', async () => {
      const bytes = encodeListChunk(meta, columns);
      answer(new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } }));
      expect((await fetchCompactChunk('/api/invoices')).ids).toEqual(list.invoices.map((i) => i.id));
      for (const body of [bytes.subarray(0, bytes.length - 1), utf8Encode(JSON.stringify({ ids: [], nextCursor: null })), new Uint8Array(0)]) {
        answer(new Response(body));
        await expect(fetchCompactChunk('/api/invoices')).rejects.toMatchObject({ code: 'malformed_response' });
      }
    });

    it('passes on the server\u2019s typed error, and a connection lost as a network error', async () => {
      answer(Response.json({ error: { code: 'not_found', message: 'Not found' } }, { status: 404 }));
      await expect(fetchCompactChunk('/api/invoices')).rejects.toMatchObject({ code: 'not_found', status: 404 });
      answer(new TypeError('fetch failed'));
      await expect(fetchCompactChunk('/api/invoices')).rejects.toMatchObject({ code: 'network' });
      // The body cut off mid-way.
      const cut = new ReadableStream({ start: (c) => c.error(new TypeError('terminated')) });
      answer(new Response(cut));
      await expect(fetchCompactChunk('/api/invoices')).rejects.toMatchObject({ code: 'network' });
    });
  });

  it('shows every verified invoice from the index exactly as the full path shows it', async () => {
    expect(full.every((o) => o.problems.length === 0)).toBe(true);
    const transport = memoryTransport();
    expect(await appendListIndex(org, records, transport)).toBe(1);
    const { rows, index } = await indexedRows(transport);
    expect(index.unreadable).toBe(0);
    expect(rows.map((r) => r && shown(r))).toEqual(full.map(shown));
  });

  it('sends the full path an invoice whose record is missing (a withheld segment) or was made for another manifest, header or party', async () => {
    const transport = memoryTransport();
    await appendListIndex(org, records.slice(0, 3), transport);
    await appendListIndex(org, records.slice(3), transport);
    const withheld = [...transport.segments.keys()][1]!;
    transport.segments.delete(withheld);
    const otherBytes = [
      { ...served[0]!, manifestSha256: served[1]!.manifestSha256 },
      { ...served[1]!, headerSha256: served[0]!.headerSha256 },
      { ...served[2]!, supplierOrgId: CUSTOMER },
    ];
    const { rows } = await indexedRows(transport, [...otherBytes, ...served]);
    expect(rows.map((r) => r !== null)).toEqual([false, false, false, true, true, true, false, false]);
  });

  it('opens nothing from a tampered segment, another org’s or epoch’s segment, or one listed under another id', async () => {
    const transport = memoryTransport();
    await appendListIndex(org, records, transport);
    const [segmentId, segment] = [...transport.segments][0]!;
    const tampered = segment.bytes.slice();
    tampered[30]! ^= 1;
    transport.segments.set(segmentId, { ...segment, bytes: tampered });
    expect((await indexedRows(transport)).index).toMatchObject({ unreadable: 1, records: new Map() });

    // Sealed for another org (its own secret and AAD), for another epoch of this org, or under another segment id.
    const otherOrg = '55555555-5555-4555-8555-555555555555';
    const swapped = memoryTransport();
    const foreignId = globalThis.crypto.randomUUID();
    swapped.segments.set(foreignId, { epoch: 1, bytes: await sealListIndexSegment(await importListIndexKey(orgSecret, otherOrg, 1), records, { orgId: otherOrg, epoch: 1, segmentId: foreignId }) });
    const epochId = globalThis.crypto.randomUUID();
    swapped.segments.set(epochId, { epoch: 1, bytes: await sealListIndexSegment(await importListIndexKey(orgSecret, CUSTOMER, 2), records, { orgId: CUSTOMER, epoch: 2, segmentId: epochId }) });
    const movedId = globalThis.crypto.randomUUID();
    swapped.segments.set(movedId, { epoch: 1, bytes: await sealListIndexSegment(await importListIndexKey(orgSecret, CUSTOMER, 1), records, { orgId: CUSTOMER, epoch: 1, segmentId: globalThis.crypto.randomUUID() }) });
    const { index, rows } = await indexedRows(swapped);
    expect(index.unreadable).toBe(3);
    expect(rows.every((r) => r === null)).toBe(true);
  });

  it('trusts only segments of the org’s current epoch, and leaves a changed supplier key to the full path’s warning', async () => {
    const transport = memoryTransport();
    await appendListIndex(org, records, transport);
    transport.epoch = 2;
    expect((await loadListIndex(org, transport)).records.size).toBe(0);
    transport.epoch = 1;
    const changed = genesisKeyring();
    pinOrg(changed, { ...orgs[SUPPLIER]!, signingPublicKey: toBase64Url((await generateKeyPairs()).signingPublicKey) }, 'old');
    const { rows } = await indexedRows(transport, served, changed);
    expect(rows.every((r) => r === null)).toBe(true);
  });

  it('judges the supplier once per keyring and served keys: a list that goes on with another keyring, or other keys served, is judged afresh', async () => {
    const transport = memoryTransport();
    await appendListIndex(org, records, transport);
    const index = await loadListIndex(org, transport);
    const checks = createListChecks();
    const rowsWith = (ring: typeof keyring, servedOrgs: typeof orgs = orgs) => Promise.all(served.map((item) => rowFromIndex(item, index, servedOrgs, org, ring, checks)));
    expect((await rowsWith(keyring)).map((r) => r?.supplierPin)).toEqual(served.map(() => 'pinned'));
    // The same list (checks), now with a keyring whose pin differs: no row from the index.
    const changed = structuredClone(keyring);
    changed.orgs[SUPPLIER]!.signingPublicKey = toBase64Url((await generateKeyPairs()).signingPublicKey);
    expect((await rowsWith(changed)).every((r) => r === null)).toBe(true);
    // Other keys served for the supplier under the first keyring: differs from the pin, no row either.
    const otherKeys = { ...orgs, [SUPPLIER]: { ...orgs[SUPPLIER]!, encryptionPublicKey: toBase64Url((await generateKeyPairs()).encryptionPublicKey) } };
    expect((await rowsWith(keyring, otherKeys)).every((r) => r === null)).toBe(true);
    // A keyring that has paid the supplier: the same rows, no longer "never paid"; and one that pins a lookalike.
    const paid = structuredClone(keyring);
    paid.payees.push({ iban: 'DE89370400440532013000', orgId: SUPPLIER, orgName: 'Supplier', paidAt: '2025-01-01T00:00:00.000Z' });
    expect((await rowsWith(keyring)).map((r) => r?.neverPaid)).toEqual(served.map(() => true));
    expect((await rowsWith(paid)).map((r) => r?.neverPaid)).toEqual(served.map(() => false));
    const lookalike = structuredClone(keyring);
    pinOrg(lookalike, { ...orgs[CUSTOMER]!, orgId: '55555555-5555-4555-8555-555555555555', name: 'Supplier GmbH', handle: 'lookalike' }, 'other');
    // Pinned before the supplier was: the supplier looks like it.
    lookalike.orgs['55555555-5555-4555-8555-555555555555']!.pinnedAt = '2000-01-01T00:00:00.000Z';
    expect((await rowsWith(lookalike)).map((r) => r?.lookalikes.map((l) => l.reasons))).toEqual(served.map(() => [['name']]));
    expect((await rowsWith(keyring)).map((r) => r?.lookalikes)).toEqual(served.map(() => []));
  });
  it('keeps the segments a tab opened, but uses only those listed now, of this epoch, and never one that did not open', async () => {
    const transport = memoryTransport();
    await appendListIndex(org, records.slice(0, 3), transport);
    await appendListIndex(org, records.slice(3), transport);
    const opened: OpenedSegments = new WeakMap();
    const size = async () => (await loadListIndex(org, transport, opened)).records.size;
    expect(hasOpenedSegments(org, opened)).toBe(false);
    expect(await size()).toBe(5);
    expect(transport.reads).toBe(2);
    // What makes a later open ask for the compact list at once: this org, epoch and unlock only.
    expect(hasOpenedSegments(org, opened)).toBe(true);
    expect(hasOpenedSegments({ ...org, keyVersion: org.keyVersion + 1 }, opened)).toBe(false);
    expect(hasOpenedSegments({ ...org, orgSecret: org.orgSecret.slice() }, opened)).toBe(false);
    // Opened before: not fetched again, and the same listing gets the same merged index.
    const again = await loadListIndex(org, transport, opened);
    expect(again.records.size).toBe(5);
    expect(transport.reads).toBe(2);
    expect(await loadListIndex(org, transport, opened)).toBe(again);
    // Withheld now: noticed, its records not served from what the tab kept.
    const [withheldId, withheld] = [...transport.segments][1]!;
    transport.segments.delete(withheldId);
    expect(await size()).toBe(3);
    transport.segments.set(withheldId, withheld);
    // Another epoch: nothing, kept or not.
    transport.epoch = 2;
    expect(await size()).toBe(0);
    transport.epoch = 1;
    // Another org secret (another unlock, or another org): nothing kept for it.
    const otherUnlock = { ...org, orgSecret: orgSecret.slice() } as UnlockedOrg;
    expect((await loadListIndex(otherUnlock, transport, opened)).records.size).toBe(5);
    expect(transport.reads).toBe(4);
    // A segment that did not open is tried again, not remembered as empty or as good.
    const fresh = memoryTransport();
    await appendListIndex(org, records, fresh);
    const [segmentId, segment] = [...fresh.segments][0]!;
    const tampered = segment.bytes.slice();
    tampered[30]! ^= 1;
    fresh.segments.set(segmentId, { ...segment, bytes: tampered });
    const freshOpened: OpenedSegments = new WeakMap();
    const unread = await loadListIndex(org, fresh, freshOpened);
    expect(unread).toMatchObject({ unreadable: 1 });
    const unreadAgain = await loadListIndex(org, fresh, freshOpened);
    expect(unreadAgain).toMatchObject({ unreadable: 1 });
    expect(unreadAgain).not.toBe(unread);
    expect(fresh.reads).toBe(2);
    fresh.segments.set(segmentId, segment);
    expect((await loadListIndex(org, fresh, freshOpened)).records.size).toBe(5);
  });
});
