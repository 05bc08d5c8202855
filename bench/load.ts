// Load (issue #15): 50 simulated users against one instance on PostgreSQL for 2 minutes, each
// listing its inbox and sent box, sending invoices (create upload → PUT parts → signed commit)
// to the next user and recording the signed `viewed` event on invoices it received. Prints error
// rate and p50/p95 latency per route, the server's RSS over time, and whether every invoice a
// client saw committed is in the database exactly as sent (none lost, none duplicated).
//
// The users are API clients in this Node process, not browsers: 50 Chromiums do not fit on the
// machine. Their accounts are made with the browser's own sign-up code (createAccountMaterial)
// and written to the database with a session each, so no passkey ceremony runs; every invoice
// and event is real (encrypted, sealed, signed) and the server checks it as any other. The
// clients' crypto runs on the same cores as the server, so the latencies include that contention.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { createAccountMaterial } from '@/lib/client/account';
import { importAccountKey, userPrivateKeysAad } from '@/lib/crypto/account';
import { fromBase64Url, toBase64Url, utf8Encode } from '@/lib/crypto/encoding';
import {
  ciphertextLengthFor,
  computeDekCommitment,
  computeKeyId,
  createCiphertextDigest,
  encryptFileStream,
  encryptHeader,
  ENVELOPE_VERSION,
  generateDek,
  RECORD_SIZE,
  sealDekForOrg,
  signEventRecord,
  signManifest,
  type InvoiceManifest,
} from '@/lib/crypto/envelope';
import { sha256 } from '@/lib/crypto/kdf';
import { unwrapPrivateKeys } from '@/lib/crypto/keys';
import * as schema from '@/lib/db/schema';
import { hashLink, type ChainLink } from '@/lib/crypto/org';
import { memberships, orgChainLinks, organizations, orgKeys, orgSecretGrants, sessions, users } from '@/lib/db/schema';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';
import type { SignedEvent } from '@/lib/shared/schemas/invoice-event';
import { RECORDS_PER_PART } from '@/lib/shared/upload';
import { machineInfo, MIB, report, round } from './lib/report';
import { rssOf } from './lib/rss';
import { startBenchServer } from './lib/server';

const USERS = Number(process.env.BENCH_USERS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 120);
const DOCUMENT_BYTES = Number(process.env.BENCH_DOCUMENT_KIB ?? 256) * 1024;
/** Pause between one user's actions, drawn uniformly from 0 to twice this (a person, not a loop). */
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 500);
const PORT = Number(process.env.BENCH_PORT ?? 3592);
const SESSION_COOKIE = '__Host-zkinvoice-session';

interface SimUser {
  index: number;
  userId: string;
  orgId: string;
  cookie: string;
  signingPrivateKey: CryptoKey;
  signerKeyId: string;
  encryptionPublicKey: Uint8Array;
  /** Invoice ids whose commit this client saw answered 201 (or 200, already committed), with the header digest it signed. */
  committed: Map<string, string>;
  /** Commits that failed or got no answer: they may or may not exist. */
  uncertain: Set<string>;
  viewed: Set<string>;
}

interface Sample {
  route: string;
  ms: number;
  ok: boolean;
  status: number;
}

const samples: Sample[] = [];
let baseURL = '';

async function call(user: SimUser, route: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const binary = body instanceof Uint8Array;
  const started = performance.now();
  let status = 0;
  try {
    const response = await fetch(`${baseURL}${path}`, {
      method,
      headers: {
        cookie: `${SESSION_COOKIE}=${user.cookie}`,
        origin: baseURL,
        // Each user its own client address, as the rate limits see real people.
        'x-forwarded-for': `2001:db8::${user.index + 1}`,
        ...(body === undefined ? {} : { 'content-type': binary ? 'application/octet-stream' : 'application/json' }),
      },
      body: body === undefined ? undefined : binary ? (body as BodyInit) : JSON.stringify(body),
    });
    status = response.status;
    const text = await response.text();
    samples.push({ route: `${method} ${route}`, ms: performance.now() - started, ok: response.ok, status });
    return { status, json: text ? JSON.parse(text) : null };
  } catch (error) {
    samples.push({ route: `${method} ${route}`, ms: performance.now() - started, ok: false, status });
    throw error;
  }
}

async function createUsers(databaseUrl: string): Promise<SimUser[]> {
  const client = postgres(databaseUrl, { max: 4, onnotice: () => {} });
  const db = drizzle(client, { schema });
  const buf = (b64: string) => fromBase64Url(b64);
  try {
    const made: SimUser[] = [];
    for (let index = 0; index < USERS; index++) {
      const userId = randomUUID();
      const orgId = randomUUID();
      const material = await createAccountMaterial(userId, orgId);
      const keys = material.keys;
      const unlocked = await unwrapPrivateKeys(await importAccountKey(material.accountKey), buf(keys.user.wrappedPrivateKeys), userPrivateKeysAad(userId), {
        encryptionPublicKey: buf(keys.user.encryptionPublicKey),
        signingPublicKey: buf(keys.user.signingPublicKey),
      });
      const token = randomBytes(32).toString('base64url');
      await db.transaction(async (tx) => {
        await tx.insert(users).values({
          id: userId,
          email: `load-${index}-${userId.slice(0, 8)}@example.test`,
          displayName: `Load user ${index}`,
          recoveryConfirmedAt: new Date(),
          encryptionPublicKey: buf(keys.user.encryptionPublicKey),
          signingPublicKey: buf(keys.user.signingPublicKey),
          wrappedPrivateKeys: buf(keys.user.wrappedPrivateKeys),
          recoveryWrappedAccountKey: buf(keys.recoveryWrappedAccountKey),
          recoveryAuthHash: buf(keys.recoveryAuthHash),
        });
        await tx.insert(organizations).values({ id: orgId, name: `Load org ${index}`, handle: `load-${index}-${orgId.slice(0, 8)}`, currentKeyVersion: 1 });
        await tx.insert(orgKeys).values({ orgId, version: 1, encryptionPublicKey: buf(keys.org.encryptionPublicKey), signingPublicKey: buf(keys.org.signingPublicKey), wrappedPrivateKeys: buf(keys.org.wrappedPrivateKeys) });
        await tx.insert(memberships).values({ orgId, userId, role: 'owner', keyVersion: 1, certificate: keys.org.certificate, certificateSignature: keys.org.certificateSignature });
        await tx.insert(orgSecretGrants).values({ orgId, epoch: 1, userId, sealedOrgSecret: buf(keys.org.sealedOrgSecret) });
        await tx.insert(orgChainLinks).values({ orgId, seq: 0, type: 'create', link: keys.org.chain.link, signature: keys.org.chain.signature, orgSignature: keys.org.chain.orgSignature ?? null, hash: await hashLink(keys.org.chain.link as ChainLink) });
        await tx.insert(sessions).values({ id: randomUUID(), tokenHash: createHash('sha256').update(token).digest(), userId, expiresAt: new Date(Date.now() + 24 * 3600_000) });
      });
      made.push({
        index,
        userId,
        orgId,
        cookie: token,
        signingPrivateKey: unlocked.signingPrivateKey,
        signerKeyId: await computeKeyId(unlocked.signingPublicKey),
        encryptionPublicKey: buf(keys.org.encryptionPublicKey),
        committed: new Map(),
        uncertain: new Set(),
        viewed: new Set(),
      });
    }
    return made;
  } finally {
    await client.end({ timeout: 5 });
  }
}

async function* chunksOf(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += RECORD_SIZE) yield bytes.subarray(offset, offset + RECORD_SIZE);
}

/** One invoice from `from` to `to`, as the browser sends it (lib/client/send-invoice.ts). */
async function sendInvoice(from: SimUser, to: SimUser, sequence: number): Promise<void> {
  const document = randomBytes(DOCUMENT_BYTES);
  const fileId = randomUUID();
  const created = await call(from, '/api/uploads', 'POST', '/api/uploads', { supplierOrgId: from.orgId, customerOrgId: to.orgId, files: [{ fileId, ciphertextSize: ciphertextLengthFor(document.byteLength) }] });
  if (created.status !== 201 && created.status !== 200) return;
  const invoiceId = (created.json as { invoiceId: string }).invoiceId;
  const dek = generateDek();
  const digest = createCiphertextDigest();
  let part: Uint8Array[] = [];
  let partIndex = 0;
  let size = 0;
  const flush = async () => {
    const body = Buffer.concat(part);
    const put = await call(from, '/api/uploads/[id]/files/[fileId]/parts/[index]', 'PUT', `/api/uploads/${invoiceId}/files/${fileId}/parts/${partIndex}`, new Uint8Array(body));
    if (put.status !== 204 && put.status !== 200) throw new Error(`part ${partIndex}: ${put.status}`);
    partIndex++;
    part = [];
  };
  for await (const record of encryptFileStream(dek, { invoiceId, fileId }, chunksOf(document), document.byteLength)) {
    await digest.update(record);
    size += record.byteLength;
    part.push(record);
    if (part.length === RECORDS_PER_PART) await flush();
  }
  if (part.length) await flush();

  const number = `LOAD-${from.index}-${sequence}`;
  const header: InvoiceHeader = {
    v: 1,
    type: 'invoice',
    number,
    issueDate: '2026-11-30',
    dueDate: '2026-12-30',
    currency: 'EUR',
    amounts: { net: '100.00', tax: '19.00', gross: '119.00', payable: '119.00' },
    seller: { name: `Load org ${from.index}`, vatId: '' },
    buyer: { name: `Load org ${to.index}`, vatId: '' },
    payment: { payeeName: `Load org ${from.index}`, iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', reference: number, url: '' },
    notes: '',
    documents: [{ fileId, name: 'invoice.pdf', mediaType: 'application/pdf', size: document.byteLength, role: 'invoice-pdf' }],
  };
  const sealedHeader = await encryptHeader(dek, invoiceId, utf8Encode(JSON.stringify(header)), ENVELOPE_VERSION);
  const recipients = [from, to].map((u) => ({ orgId: u.orgId, keyVersion: 1, publicKey: u.encryptionPublicKey }));
  const headerSha256 = toBase64Url(await sha256(sealedHeader));
  const manifest: InvoiceManifest = {
    v: ENVELOPE_VERSION,
    invoiceId,
    supplierOrgId: from.orgId,
    customerOrgId: to.orgId,
    signerUserId: from.userId,
    signerKeyId: from.signerKeyId,
    createdAt: new Date().toISOString(),
    header: { sha256: headerSha256, size: sealedHeader.byteLength },
    files: [{ fileId, sha256: toBase64Url(await digest.digest()), size, recordSize: RECORD_SIZE }],
    dekCommitment: toBase64Url(await computeDekCommitment(dek)),
    recipients: recipients.map(({ orgId, keyVersion }) => ({ orgId, keyVersion })),
  };
  const grants = await Promise.all(recipients.map(async (r) => ({ orgId: r.orgId, keyVersion: r.keyVersion, sealedDek: toBase64Url(await sealDekForOrg(dek, r.publicKey, { invoiceId, orgId: r.orgId, keyVersion: r.keyVersion })) })));
  const body = { manifest, manifestSignature: await signManifest(from.signingPrivateKey, manifest), sealedHeader: toBase64Url(sealedHeader), grants };
  try {
    const committed = await call(from, '/api/uploads/[id]/commit', 'POST', `/api/uploads/${invoiceId}/commit`, body);
    if (committed.status === 201 || committed.status === 200) from.committed.set(invoiceId, headerSha256);
    else from.uncertain.add(invoiceId);
  } catch (error) {
    from.uncertain.add(invoiceId);
    throw error;
  }
}

async function listAndView(user: SimUser): Promise<void> {
  await call(user, '/api/invoices?box=sent', 'GET', `/api/invoices?box=sent&orgId=${user.orgId}`);
  const inbox = await call(user, '/api/invoices?box=inbox', 'GET', `/api/invoices?box=inbox&orgId=${user.orgId}`);
  if (inbox.status !== 200) return;
  const unseen = (inbox.json as { invoices: { id: string; status: string }[] }).invoices.find((i) => i.status === 'issued' && !user.viewed.has(i.id));
  if (!unseen) return;
  const eventId = randomUUID();
  const record: SignedEvent['record'] = {
    v: 1,
    eventId,
    invoiceId: unseen.id,
    type: 'viewed',
    actorUserId: user.userId,
    actorOrgId: user.orgId,
    signerKeyId: user.signerKeyId,
    createdAt: new Date().toISOString(),
    prevEventId: null,
    payloadSha256: null,
  };
  const event: SignedEvent = { record, signature: await signEventRecord(user.signingPrivateKey, record), sealedPayload: null };
  const posted = await call(user, '/api/invoices/[id]/events', 'POST', `/api/invoices/${unseen.id}/events`, event);
  if (posted.status === 201 || posted.status === 200) user.viewed.add(unseen.id);
}

const think = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * THINK_MS));

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const server = await startBenchServer('postgres', PORT);
  baseURL = server.baseURL;
  const clientErrors: Record<string, number> = {};
  try {
    // Ready means migrated: the users are written straight to the database.
    for (let ready = false; !ready; ) ready = (await fetch(`${baseURL}/api/ready`)).ok;
    const users = await createUsers(server.location);
    const rss: { atS: number; rssMiB: number }[] = [];
    const startedAt = Date.now();
    const sampler = setInterval(() => rss.push({ atS: round((Date.now() - startedAt) / 1000, 1), rssMiB: round(rssOf(server.pid) / MIB, 1) }), 1000);
    const deadline = startedAt + SECONDS * 1000;
    await Promise.all(
      users.map(async (user) => {
        const to = users[(user.index + 1) % users.length]!;
        let sequence = 0;
        // Start spread over the first seconds, as people arrive.
        await new Promise((resolve) => setTimeout(resolve, (user.index / users.length) * 2000));
        while (Date.now() < deadline) {
          try {
            await listAndView(user);
            await think();
            await sendInvoice(user, to, sequence++);
          } catch (error) {
            const name = error instanceof Error ? error.message.slice(0, 80) : String(error);
            clientErrors[name] = (clientErrors[name] ?? 0) + 1;
          }
          await think();
        }
      }),
    );
    clearInterval(sampler);
    const elapsedS = (Date.now() - startedAt) / 1000;

    // Every commit answered 2xx must be in the database once, with the header the client signed;
    // nothing may be there that no client tried to commit.
    const sql = postgres(server.location, { max: 1, onnotice: () => {} });
    const stored = await sql<{ id: string; supplier_org_id: string; header_sha256: string }[]>`select id, supplier_org_id, manifest->'header'->>'sha256' as header_sha256 from invoices`;
    await sql.end({ timeout: 5 });
    const byId = new Map(stored.map((r) => [r.id, r]));
    let lost = 0;
    let altered = 0;
    let unexpected = 0;
    for (const user of users) {
      for (const [id, headerSha256] of user.committed) {
        const row = byId.get(id);
        if (!row) lost++;
        else if (row.header_sha256 !== headerSha256 || row.supplier_org_id !== user.orgId) altered++;
      }
    }
    const attempted = new Set(users.flatMap((u) => [...u.committed.keys(), ...u.uncertain]));
    for (const row of stored) if (!attempted.has(row.id)) unexpected++;
    const uncertainStored = users.reduce((n, u) => n + [...u.uncertain].filter((id) => byId.has(id)).length, 0);

    const routes: Record<string, { requests: number; errors: number; errorRate: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number; statuses: Record<string, number> }> = {};
    for (const route of [...new Set(samples.map((s) => s.route))].sort()) {
      const list = samples.filter((s) => s.route === route);
      const ms = list.map((s) => s.ms).sort((a, b) => a - b);
      const statuses: Record<string, number> = {};
      for (const s of list) statuses[String(s.status)] = (statuses[String(s.status)] ?? 0) + 1;
      const errors = list.filter((s) => !s.ok).length;
      routes[route] = { requests: list.length, errors, errorRate: round(errors / list.length, 4), p50Ms: round(percentile(ms, 50), 1), p95Ms: round(percentile(ms, 95), 1), p99Ms: round(percentile(ms, 99), 1), maxMs: round(ms.at(-1) ?? 0, 1), statuses };
    }
    const errors = samples.filter((s) => !s.ok).length;
    report('load', {
      what: `${USERS} simulated users (API clients, one session each) for ${SECONDS} s against one instance on PostgreSQL: list inbox and sent, post the signed viewed event on a received invoice, send an invoice of ${DOCUMENT_BYTES / 1024} KiB (upload, parts, signed commit) to the next user; think time 0–${2 * THINK_MS} ms between actions`,
      users: USERS,
      seconds: round(elapsedS, 1),
      requests: samples.length,
      requestsPerSecond: round(samples.length / elapsedS, 1),
      errors,
      errorRate: round(errors / Math.max(1, samples.length), 4),
      clientErrors,
      routes,
      invoices: {
        committedAsSeenByClients: users.reduce((n, u) => n + u.committed.size, 0),
        commitsWithoutAnswer: users.reduce((n, u) => n + u.uncertain.size, 0),
        commitsWithoutAnswerThatExist: uncertainStored,
        inDatabase: stored.length,
        lost,
        altered,
        duplicatedOrUnexpected: unexpected,
      },
      viewedEventsPosted: users.reduce((n, u) => n + u.viewed.size, 0),
      serverRss: { startMiB: rss[0]?.rssMiB ?? null, peakMiB: Math.max(...rss.map((r) => r.rssMiB)), endMiB: rss.at(-1)?.rssMiB ?? null, everySecond: rss },
      notes: 'The clients run in one Node process on the same 2 cores as the server and PostgreSQL, and the machine is shared with other sessions’ builds and tests: latencies are loaded figures, an upper bound for this hardware.',
      machine,
    });
  } finally {
    await server.stop();
  }
}

await main();
