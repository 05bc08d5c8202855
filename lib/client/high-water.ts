import 'client-only';

import { openBytes, sealBytes } from '@/lib/crypto/aead';
import { domainLabel } from '@/lib/crypto/domain';
import { utf8Decode, utf8Encode } from '@/lib/crypto/encoding';

/**
 * Per-device high-water marks (DESIGN §3.4): the newest state of something this device has
 * verified, so that the server cannot later serve an older copy, or another copy of the same age,
 * without a warning. A mark is `{seq, hash}`:
 *
 *   what                      scope                     seq                      hash
 *   the user's keyring        keyringScope()            keyring version          SHA-256 of the sealed keyring
 *   an own org's chain        chainScope(orgId)         seq of the head link     hash of the head link
 *   an invoice's history      historyScope(invoiceId)   number of events         id of the last event
 *
 * API (all marks belong to one user; a shared browser keeps one set per user id):
 *
 *   compareWithMark(mark, observed, hashAt?)  pure: 'first' | 'same' | 'ahead' | 'rollback' | 'fork'
 *   readHighWater(userId, scope)              the stored mark, or null; read it BEFORE fetching the
 *                                              data it guards: another request may raise it while
 *                                              that answer is on its way
 *   raiseHighWater(userId, scope, observed)    stores `observed` if it is ahead of the mark; never lowers it
 *   acceptHighWater(userId, scope, observed)   stores `observed` even below the mark: only after the
 *                                              user explicitly accepted an older or other state
 *
 * `hashAt(seq)` gives the hash the observed data has at an earlier seq (the chain link, the event
 * at that position), so data that moved ahead is also checked to descend from the marked state;
 * without it, newer data is taken as 'ahead'. Typical use: check, refuse on 'rollback' or 'fork'
 * with a blocking warning, and raise the mark only once the data verified.
 *
 * Marks are public-ish metadata (ids, counts, hashes), never secrets. They live in IndexedDB,
 * each sealed (AES-256-GCM) under a non-extractable device key kept beside them, with AAD binding
 * user id and scope, so a mark cannot be moved to another user or scope and a damaged one reads as
 * "no mark" rather than as a wrong one. In Node (unit tests) an in-memory store is used.
 */

export interface Mark {
  seq: number;
  hash: string;
}

export type MarkCheck =
  | { state: 'first' }
  | { state: 'same' }
  | { state: 'ahead'; mark: Mark }
  | { state: 'rollback'; mark: Mark }
  | { state: 'fork'; mark: Mark };

export const keyringScope = (): string => 'keyring';
export const chainScope = (orgId: string): string => `chain:${orgId}`;
export const historyScope = (invoiceId: string): string => `history:${invoiceId}`;

export function compareWithMark(mark: Mark | null, observed: Mark, hashAt?: (seq: number) => string | null | undefined): MarkCheck {
  if (!mark) return { state: 'first' };
  if (observed.seq < mark.seq) return { state: 'rollback', mark };
  if (observed.seq === mark.seq) return observed.hash === mark.hash ? { state: 'same' } : { state: 'fork', mark };
  if (hashAt) {
    const then = hashAt(mark.seq);
    if (then !== undefined && then !== mark.hash) return { state: 'fork', mark };
  }
  return { state: 'ahead', mark };
}

/** Where sealed marks are kept: IndexedDB in the browser, a Map elsewhere. */
export interface MarkStore {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, value: Uint8Array): Promise<void>;
  deviceKey(): Promise<CryptoKey>;
}

const DB_NAME = 'zkinvoice-device';
const MARKS = 'marks';
const DEVICE = 'device';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function indexedDbStore(): MarkStore {
  let opened: Promise<IDBDatabase> | null = null;
  const db = () =>
    (opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore(MARKS);
        req.result.createObjectStore(DEVICE);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
    }));
  const store = async (name: string, mode: IDBTransactionMode) => (await db()).transaction(name, mode).objectStore(name);
  let key: Promise<CryptoKey> | null = null;
  return {
    get: async (k) => (await request((await store(MARKS, 'readonly')).get(k))) as Uint8Array | undefined,
    put: async (k, value) => {
      await request((await store(MARKS, 'readwrite')).put(value, k));
    },
    deviceKey: () =>
      (key ??= (async () => {
        const existing = (await request((await store(DEVICE, 'readonly')).get('key'))) as CryptoKey | undefined;
        if (existing) return existing;
        const fresh = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
        // Two tabs may race to create it: `add` lets only the first win, and both then use that one.
        await request((await store(DEVICE, 'readwrite')).add(fresh, 'key')).catch(() => undefined);
        return (await request((await store(DEVICE, 'readonly')).get('key'))) as CryptoKey;
      })()),
  };
}

export function memoryMarkStore(): MarkStore {
  const map = new Map<string, Uint8Array>();
  const key = crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  return { get: async (k) => map.get(k), put: async (k, v) => void map.set(k, v), deviceKey: () => key };
}

let defaultStore: MarkStore | null = null;
function markStore(): MarkStore {
  return (defaultStore ??= typeof indexedDB === 'undefined' ? memoryMarkStore() : indexedDbStore());
}

/** For tests: marks go to `store` from now on. */
export function useMarkStore(store: MarkStore): void {
  defaultStore = store;
}

const markAad = (userId: string, scope: string) => domainLabel('device-mark', userId, scope);

async function readMark(userId: string, scope: string): Promise<Mark | null> {
  const store = markStore();
  const sealed = await store.get(`${userId}|${scope}`);
  if (!sealed) return null;
  try {
    const value = JSON.parse(utf8Decode(await openBytes(await store.deviceKey(), sealed, markAad(userId, scope)))) as Mark;
    return Number.isSafeInteger(value.seq) && typeof value.hash === 'string' ? value : null;
  } catch {
    return null;
  }
}

async function writeMark(userId: string, scope: string, mark: Mark): Promise<void> {
  const store = markStore();
  const sealed = await sealBytes(await store.deviceKey(), utf8Encode(JSON.stringify({ seq: mark.seq, hash: mark.hash })), markAad(userId, scope));
  await store.put(`${userId}|${scope}`, sealed);
}

export async function readHighWater(userId: string, scope: string): Promise<Mark | null> {
  return readMark(userId, scope);
}

/** Raises the mark to `observed` when that is ahead of it (or there is none); a lower or forked state never lowers it. */
export async function raiseHighWater(userId: string, scope: string, observed: Mark): Promise<void> {
  const check = compareWithMark(await readMark(userId, scope), observed);
  if (check.state === 'first' || check.state === 'ahead') await writeMark(userId, scope, observed);
}

/** Sets the mark to `observed` whatever it was: only after the user accepted that state explicitly. */
export async function acceptHighWater(userId: string, scope: string, observed: Mark): Promise<void> {
  await writeMark(userId, scope, observed);
}
