import 'client-only';

import { z } from 'zod';
import { CryptoError } from '@/lib/crypto/errors';
import { fromBase64Url, toBase64Url } from '@/lib/crypto/encoding';
import { KEYRING_FORMAT, keyringHash, openKeyring, sealKeyring } from '@/lib/crypto/keyring';
import type { UnlockedAccount } from './account';
import { keyringPutResponseSchema, keyringResponseSchema } from '@/lib/shared/schemas/responses';
import { api, ApiError } from './api';
import { compareWithMark, keyringScope, raiseHighWater, readHighWater, type Mark } from './high-water';
import { englishT, type Translate } from '@/lib/shared/i18n';

/** A counterparty org's keys as first seen (trust on first use, DESIGN §5), and how it presents itself. */
export interface PinnedOrg {
  name: string;
  handle: string;
  signingPublicKey: string;
  encryptionPublicKey: string;
  fingerprint: string;
  pinnedAt: string;
  /** VAT ids and payee names seen on its verified invoices: what an impostor would copy (§3.4). */
  vatIds: string[];
  payeeNames: string[];
  /** The key version (epoch) the pinned keys belong to; absent in pins from before rotations: 1. */
  epoch?: number;
  /** Key rotations this browser followed through succession records signed by the previous keys (§3.3). */
  rotations?: { fromEpoch: number; epoch: number; at: string }[];
  /**
   * How this user's own e-invoices name the org as their buyer (`vat:DE123…`, `endpoint:0204:…`),
   * remembered when the user sent to it, so that bulk sending finds the customer of a dropped
   * e-invoice without asking again. Absent in pins from before bulk sending.
   */
  buyerIds?: string[];
}

/** One IBAN paid to one org: every payment this user announced is remembered, not only the last. */
export interface PaidIban {
  iban: string;
  orgId: string;
  orgName: string;
  paidAt: string;
}

/** The user's keyring, format v2 (DESIGN §3.4): sealed under AK in the browser, ciphertext on the server. */
export interface Keyring {
  v: 2;
  /** The server's version number for this keyring, bound into its AEAD. */
  version: number;
  /** SHA-256 (base64url) of the sealed keyring this one replaced; null for the first. */
  prevHash: string | null;
  orgs: Record<string, PinnedOrg>;
  payees: PaidIban[];
  /** The last verified head of each own org's membership chain (§3.3). */
  chains: Record<string, Mark>;
}

const pinnedOrgSchema = z.object({
  name: z.string(),
  handle: z.string(),
  signingPublicKey: z.string(),
  encryptionPublicKey: z.string(),
  fingerprint: z.string(),
  pinnedAt: z.string(),
  vatIds: z.array(z.string()),
  payeeNames: z.array(z.string()),
  epoch: z.number().int().positive().optional(),
  rotations: z.array(z.object({ fromEpoch: z.number().int().positive(), epoch: z.number().int().positive(), at: z.string() })).optional(),
  buyerIds: z.array(z.string()).optional(),
});
const keyringSchema = z.object({
  v: z.literal(KEYRING_FORMAT),
  version: z.number().int().positive(),
  prevHash: z.string().nullable(),
  orgs: z.record(z.string(), pinnedOrgSchema),
  payees: z.array(z.object({ iban: z.string(), orgId: z.string(), orgName: z.string(), paidAt: z.string() })),
  chains: z.record(z.string(), z.object({ seq: z.number().int().nonnegative(), hash: z.string() })),
});

/** The v1 body, as clients before v2 wrote it: pins without VAT ids, and only the last IBAN per org. */
const keyringV1Schema = z.object({
  orgs: z.record(z.string(), z.object({ name: z.string(), handle: z.string(), signingPublicKey: z.string(), encryptionPublicKey: z.string(), fingerprint: z.string(), pinnedAt: z.string() })).default({}),
  payees: z.record(z.string(), z.object({ iban: z.string(), paidAt: z.string() })).default({}),
});

export interface LoadedKeyring {
  keyring: Keyring;
  version: number;
  /** SHA-256 of the sealed keyring as served; the device's high-water mark for it. */
  hash: string;
}

/**
 * Why the keyring the server served cannot be trusted. Each is a blocking warning: while it
 * stands, nothing is sent and no payment details are shown.
 */
export type KeyringProblem =
  | { kind: 'missing'; seen: Mark | null }
  | { kind: 'rollback'; seen: Mark; served: number }
  | { kind: 'fork'; seen: Mark; served: number }
  | { kind: 'unreadable' };

export class KeyringTrustError extends Error {
  constructor(readonly problem: KeyringProblem) {
    super(describeKeyringProblem(problem));
    this.name = 'KeyringTrustError';
  }
}

/** What went wrong with the keyring, in the reader's language (English for the error's message). */
export function describeKeyringProblem(problem: KeyringProblem, t: Translate = englishT): string {
  switch (problem.kind) {
    case 'missing':
      return problem.seen ? t('keyring.missing_seen', { seen: problem.seen.seq }) : t('keyring.missing');
    case 'rollback':
      return t('keyring.rollback', { served: problem.served, seen: problem.seen.seq });
    case 'fork':
      return t('keyring.fork', { served: problem.served, seen: problem.seen.seq });
    case 'unreadable':
      return t('keyring.unreadable');
  }
}

export function genesisKeyring(): Keyring {
  return { v: 2, version: 1, prevHash: null, orgs: {}, payees: [], chains: {} };
}

/** The first keyring, sealed at sign-up so that an account never exists without one. */
export async function sealGenesisKeyring(accountKey: Uint8Array, userId: string): Promise<{ sealed: string; hash: string }> {
  const sealed = await sealKeyring(accountKey, userId, genesisKeyring());
  return { sealed: toBase64Url(sealed), hash: await keyringHash(sealed) };
}

/** Remembers on this device that the keyring exists, as just sealed at sign-up. */
export async function markGenesisKeyring(userId: string, hash: string): Promise<void> {
  await raiseHighWater(userId, keyringScope(), { seq: 1, hash });
}

function fromV1(body: Record<string, unknown>, version: number, prevHash: string): Keyring {
  const parsed = keyringV1Schema.safeParse(body);
  if (!parsed.success) throw new KeyringTrustError({ kind: 'unreadable' });
  const orgs = Object.fromEntries(Object.entries(parsed.data.orgs).map(([id, pin]) => [id, { ...pin, vatIds: [], payeeNames: [] }]));
  const payees = Object.entries(parsed.data.payees).map(([orgId, p]) => ({ iban: p.iban, orgId, orgName: orgs[orgId]?.name ?? '', paidAt: p.paidAt }));
  return { v: 2, version, prevHash, orgs, payees, chains: {} };
}

async function writeKeyring(account: UnlockedAccount, keyring: Keyring): Promise<LoadedKeyring> {
  const sealed = await sealKeyring(account.accountKey, account.userId, keyring);
  const { version } = await api('/api/account/keyring', { method: 'PUT', body: { encryptedKeyring: toBase64Url(sealed), expectedVersion: keyring.version - 1 } }, keyringPutResponseSchema);
  if (version !== keyring.version) throw new KeyringTrustError({ kind: 'unreadable' });
  const hash = await keyringHash(sealed);
  await raiseHighWater(account.userId, keyringScope(), { seq: version, hash });
  return { keyring, version, hash };
}

/**
 * Fetches the keyring and checks it against this device's high-water mark: an absent keyring the
 * device has seen, an older version, or another keyring of the same version is refused with a
 * KeyringTrustError. An account from before keyrings were created at sign-up gets its first one;
 * a v1 keyring is upgraded to v2 (its hash becomes the upgrade's prevHash).
 */
export async function loadKeyring(account: UnlockedAccount): Promise<LoadedKeyring> {
  // The mark is read before the request: a write from another component or tab that lands while
  // the answer is on its way raises the mark past what this answer holds, and comparing the answer
  // with that newer mark would take an honest server's older-by-one answer for a rollback.
  const seen = await readHighWater(account.userId, keyringScope());
  const served = await api('/api/account/keyring', {}, keyringResponseSchema);
  if (!served.encryptedKeyring) {
    if (served.version > 0 || seen) throw new KeyringTrustError({ kind: 'missing', seen });
    return writeKeyring(account, genesisKeyring());
  }
  const sealed = fromBase64Url(served.encryptedKeyring);
  const hash = await keyringHash(sealed);
  let opened;
  try {
    opened = await openKeyring(account.accountKey, account.userId, sealed, served.version);
  } catch (error) {
    if (error instanceof CryptoError) throw new KeyringTrustError({ kind: 'unreadable' });
    throw error;
  }
  if (opened.format === 1) {
    // This device already saw a v2 keyring: a v1 one now is an old copy brought back.
    if (seen) throw new KeyringTrustError({ kind: 'rollback', seen, served: served.version });
    return writeKeyring(account, fromV1(opened.body, served.version + 1, hash));
  }
  const parsed = keyringSchema.safeParse(opened.body);
  if (!parsed.success) throw new KeyringTrustError({ kind: 'unreadable' });
  const keyring = parsed.data;
  const check = compareWithMark(seen, { seq: keyring.version, hash }, (seq) => (seq === keyring.version - 1 ? keyring.prevHash : undefined));
  if (check.state === 'rollback' || check.state === 'fork') throw new KeyringTrustError({ kind: check.state, seen: check.mark, served: keyring.version });
  await raiseHighWater(account.userId, keyringScope(), { seq: keyring.version, hash });
  return { keyring, version: keyring.version, hash };
}

/**
 * Applies a change to the newest keyring and saves it as the next version; on a concurrent write
 * elsewhere it reloads and applies the change again, so pins from two tabs are merged, not lost.
 * `change` must be idempotent and decide from the keyring it is given.
 */
export async function updateKeyring(account: UnlockedAccount, change: (keyring: Keyring) => void): Promise<LoadedKeyring> {
  for (let attempt = 0; ; attempt++) {
    const current = await loadKeyring(account);
    const next = structuredClone(current.keyring);
    change(next);
    next.version = current.version + 1;
    next.prevHash = current.hash;
    try {
      return await writeKeyring(account, next);
    } catch (error) {
      if (attempt >= 2 || !(error instanceof ApiError && error.code === 'conflict')) throw error;
    }
  }
}

export type PinState = 'pinned' | 'new' | 'changed';

/**
 * The pin that speaks for this org: the one under its id, else the one for its handle. Handles never
 * change, so a known handle that now names another org id means the server moved it to another
 * organization; comparing only by id would take that impostor for a first contact.
 */
export function pinFor(keyring: Keyring, org: { orgId: string; handle: string }): { orgId: string; pin: PinnedOrg } | null {
  const byId = keyring.orgs[org.orgId];
  if (byId) return { orgId: org.orgId, pin: byId };
  const byHandle = Object.entries(keyring.orgs).find(([, pin]) => pin.handle === org.handle);
  return byHandle ? { orgId: byHandle[0], pin: byHandle[1] } : null;
}

export function pinState(keyring: Keyring, org: { orgId: string; handle: string; signingPublicKey: string; encryptionPublicKey: string }): PinState {
  const pinned = pinFor(keyring, org);
  if (!pinned) return 'new';
  const { orgId, pin } = pinned;
  return orgId === org.orgId && pin.signingPublicKey === org.signingPublicKey && pin.encryptionPublicKey === org.encryptionPublicKey ? 'pinned' : 'changed';
}

/** Pins (or, after an explicit acceptance, re-pins) an org's keys; what it was seen with is kept. */
export function pinOrg(keyring: Keyring, org: { orgId: string; name: string; handle: string; signingPublicKey: string; encryptionPublicKey: string; keyVersion?: number }, fingerprint: string): void {
  const before = keyring.orgs[org.orgId];
  keyring.orgs[org.orgId] = {
    name: org.name,
    handle: org.handle,
    signingPublicKey: org.signingPublicKey,
    encryptionPublicKey: org.encryptionPublicKey,
    fingerprint,
    pinnedAt: new Date().toISOString(),
    vatIds: before?.vatIds ?? [],
    payeeNames: before?.payeeNames ?? [],
    ...(org.keyVersion ? { epoch: org.keyVersion } : {}),
    ...(before?.buyerIds ? { buyerIds: before.buyerIds } : {}),
  };
}
