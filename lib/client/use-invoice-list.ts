'use client';

import { useEffect, useMemo, useState } from 'react';
import type { z } from 'zod';
import type { ListIndexRecord } from '@/lib/crypto/envelope';
import type { OrgPublicKeys } from '@/lib/shared/invoice-dto';
import { LIST_IDS_MAX } from '@/lib/shared/schemas/invoice';
import { compactBoundsSchema, invoiceListEnvelopeSchema, orgPublicKeysSchema } from '@/lib/shared/schemas/responses';
import type { UnlockedOrg } from './account';
import { api } from './api';
import { FastKeyQueue } from './fast-key-queue';
import { useKeyring } from './keys-context';
import type { Keyring } from './keyring';
import { appendListIndex, fetchCompactChunk, hasOpenedSegments, HTTP_LIST_INDEX, openListIndex, readCompactChunk, recordOf, rowFromIndex, TAB_OPENED_SEGMENTS, type CompactInvoice, type ListIndex } from './list-index';
import { createListChecks, openInvoiceList, parseInvoiceList, validEntries, type ListChecks, type ListedInvoice, type OpenedInvoice } from './open-invoice';
import { applyRotations, followRotations, hasNewIdentity, pinFirstContacts, recordSeenIdentity } from './trust';

/** Invoices per chunk of the paged list: small enough to start opening early, large enough for few requests. */
export const LIST_PAGE_SIZE = 500;

/**
 * Invoices per chunk of the compact list (101 bytes an invoice, no manifests). Each request has a
 * fixed cost (session, role, org keys: 40-90 ms on the loaded bench machine), so larger than the
 * full list's chunks; two for 10,000 invoices, the first handled while the second loads.
 */
export const COMPACT_PAGE_SIZE = 5000;

type Box = 'inbox' | 'sent';
type Page = z.infer<typeof invoiceListEnvelopeSchema>;
/** What fetchCompactPages looks at in a compact chunk (lib/shared/list-chunk.ts): its ids and its cursor. */
type CompactPage = { ids: readonly unknown[]; nextCursor: string | null };

const outOfOrder = () => new Error('The server sent the invoice list out of order.');
const idOf = (invoice: unknown) => (invoice && typeof invoice === 'object' && 'id' in invoice && typeof invoice.id === 'string' ? invoice.id : null);

/**
 * Fetches a list chunk by chunk, each chunk's request going out while the one before is opened.
 * Refuses a server that does not move forward (a cursor or an invoice id not after the last one),
 * which would otherwise make the client loop or show an invoice twice.
 */
export async function* fetchListPages(
  box: Box,
  orgId: string,
  fetchPage: (url: string) => Promise<Page> = (url) => api(url, {}, invoiceListEnvelopeSchema),
): AsyncGenerator<Page> {
  const url = (after: string | null) => `/api/invoices?box=${box}&orgId=${orgId}&limit=${LIST_PAGE_SIZE}${after ? `&after=${after}` : ''}`;
  let after: string | null = null;
  let next: Promise<Page> | null = fetchPage(url(null));
  while (next) {
    const page: Page = await next;
    for (const invoice of page.invoices) {
      // An item without an id is malformed and reported as such when the page is parsed.
      const id = idOf(invoice);
      if (id === null) continue;
      if (after !== null && id <= after) throw outOfOrder();
      after = id;
    }
    const cursor = page.nextCursor ?? null;
    // A chunk that promises more must bring some and point past its last invoice.
    if (cursor !== null && (page.invoices.length === 0 || cursor !== after)) throw outOfOrder();
    next = cursor ? fetchPage(url(cursor)) : null;
    yield page;
  }
}

/** Ranges of the compact list in flight at once: the server's database and Node work side by side while the client opens an earlier range. */
export const COMPACT_RANGES_AHEAD = 3;

/**
 * Fetches the compact list in ranges at once instead of chunk after chunk: the server first says
 * where the list splits into chunks (view=bounds), and each range between two bounds is then asked
 * for with `after` and `until`, a few in flight (COMPACT_RANGES_AHEAD), handed over in order. The
 * first chunk is asked for together with the bounds and kept only when it ends at the first bound.
 * As strict as one chunk after another: the bounds must increase, every id of a range must lie in it
 * (after its start, up to its end) and increase within it, and a range's cursor must be its last id;
 * so the whole list comes strictly ordered and a server that repeats or overlaps invoices is refused.
 * A range that grew since the bounds were read (invoices arriving) is followed by its cursor.
 */
export async function* fetchCompactPages<P extends CompactPage>(
  box: Box,
  orgId: string,
  fetchPage: (url: string) => Promise<P>,
  fetchBounds: (url: string) => Promise<{ bounds: string[] }>,
): AsyncGenerator<P> {
  const list = `/api/invoices?box=${box}&orgId=${orgId}`;
  const url = (after: string | null, until: string | null) => `${list}&view=compact&limit=${COMPACT_PAGE_SIZE}${after ? `&after=${after}` : ''}${until ? `&until=${until}` : ''}`;
  const head = fetchPage(url(null, null));
  // Seen by the range that uses it, or not at all once a failed bounds request ended the list.
  head.catch(() => {});
  const { bounds } = await fetchBounds(`${list}&view=bounds&limit=${COMPACT_PAGE_SIZE}`);
  for (let i = 1; i < bounds.length; i++) if (bounds[i]! <= bounds[i - 1]!) throw outOfOrder();
  const ranges = [null, ...bounds].map((from, i) => ({ from, to: bounds[i] ?? null }));
  const fetchRange = async ({ from, to }: { from: string | null; to: string | null }, first?: Promise<P>): Promise<P[]> => {
    const pages: P[] = [];
    let page = first ? await first : await fetchPage(url(from, to));
    // The chunk asked for before the bounds were known fits the first range only if it ends there.
    if (first && to !== null && page.ids.some((id) => typeof id === 'string' && id > to)) page = await fetchPage(url(from, to));
    let last = from;
    for (;;) {
      for (const id of page.ids) {
        // An entry without an id is malformed and reported as such when the chunk is read.
        if (typeof id !== 'string') continue;
        if ((last !== null && id <= last) || (to !== null && id > to)) throw outOfOrder();
        last = id;
      }
      const cursor = page.nextCursor ?? null;
      // A chunk that promises more must bring some and point past its last invoice.
      if (cursor !== null && (page.ids.length === 0 || cursor !== last)) throw outOfOrder();
      pages.push(page);
      // Done at the range's end (the first chunk, asked for without `until`, points at it) or the list's.
      if (cursor === null || cursor === to) return pages;
      page = await fetchPage(url(cursor, to));
    }
  };
  const inFlight: (Promise<P[]> | null)[] = [];
  for (let i = 0; i < ranges.length; i++) {
    while (inFlight.length < ranges.length && inFlight.length < i + COMPACT_RANGES_AHEAD) {
      const next = fetchRange(ranges[inFlight.length]!, inFlight.length === 0 ? head : undefined);
      next.catch(() => {});
      inFlight.push(next);
    }
    const pages = await inFlight[i]!;
    inFlight[i] = null;
    yield* pages;
  }
}

/**
 * Pulls a paged list ahead of its consumer: each page's request goes out as soon as the one before
 * has arrived, not when the consumer is done with it, so the pages load while the client does other
 * work (opening the list index). `stop` ends the reading of a list no longer wanted.
 */
export function readAhead<T>(source: AsyncGenerator<T>): { items: AsyncGenerator<T>; stop(): void } {
  const buffered: (Promise<IteratorResult<T>> | null)[] = [];
  let stopped = false;
  const waiting: { wake: (() => void) | null } = { wake: null };
  void (async () => {
    for (let done = false; !stopped && !done; ) {
      const next = source.next();
      // Rejections are seen by the consumer, or not at all once it stopped.
      next.catch(() => {});
      buffered.push(next);
      waiting.wake?.();
      waiting.wake = null;
      done = await next.then((r) => r.done === true, () => true);
    }
  })();
  async function* items(): AsyncGenerator<T> {
    for (let i = 0; ; i++) {
      while (i >= buffered.length) await new Promise<void>((resolve) => (waiting.wake = resolve));
      const result = await buffered[i]!;
      buffered[i] = null;
      if (result.done) return;
      yield result.value;
    }
  }
  return {
    items: items(),
    stop() {
      stopped = true;
      void source.return(undefined).catch(() => {});
    },
  };
}

export interface InvoiceListState {
  /** Every opened row, once the whole list is opened; null before. */
  rows: ListedInvoice[] | null;
  /** Invoices opened so far (of those fetched so far), while loading. */
  progress: { opened: number; fetched: number; complete: boolean } | null;
  /** Ids (null: none) of list items of the wrong shape, left out and flagged (STYLE §21). */
  malformed: (string | null)[];
  /** Why the list could not be loaded (described in the user's language by the page). */
  error: unknown;
}

/**
 * The list pipeline of the inbox and sent pages: fetches the org's list in cursor-paged chunks,
 * opens and verifies each chunk in this browser as it arrives (the full checks of openInvoice, with
 * the checks that depend only on shared data done once per list), queues fast-path copies for
 * invoices opened through their HPKE grants, pins suppliers seen for the first time whose
 * invoices verified (trust on first use) and remembers the VAT ids and payee names they signed,
 * which an impostor would copy (DESIGN §3.4) — except for `pinFirstContacts: false` (the home page,
 * which only reads: first contacts are pinned where the invoice is shown). Nothing decrypted leaves memory.
 */
export function useInvoiceList(org: UnlockedOrg, box: Box, generation = 0, options: { pinFirstContacts?: boolean } = {}): InvoiceListState {
  const pinning = options.pinFirstContacts ?? true;
  const { current: currentKeyring, updateKeyring } = useKeyring();
  // Tagged with what it was loaded for, so a switch of org or box never shows the other list.
  const [state, setStateFor] = useState<InvoiceListState & { for: unknown }>({ rows: null, progress: null, malformed: [], error: null, for: null });
  // `generation`: a higher one loads the list afresh (the page's "Show the changes").
  const loadingFor = useMemo(() => ({ org, box, generation }), [org, box, generation]);

  useEffect(() => {
    let current = true;
    // Ends the reading ahead of the compact list when the list is no longer wanted (page left).
    let stopReading = () => {};
    // And cancels the list requests still in flight, so a page left does not go on receiving and
    // parsing them (at 100,000 invoices, the home page's ranges held up the inbox opened from it).
    const requests = new AbortController();
    const { signal } = requests;
    // Fast-path copies are stored once the list is on screen (see FastKeyQueue's `hold`).
    const fastKeys = new FastKeyQueue(undefined, { hold: true });
    const setState = (change: (s: InvoiceListState) => InvoiceListState) => setStateFor((s) => ({ ...change(s.for === loadingFor ? s : EMPTY), for: loadingFor }));
    (async () => {
      let keyring = currentKeyring();
      const checks = createListChecks();
      const rows: ListedInvoice[] = [];
      const malformed: (string | null)[] = [];
      // What this open verified in full, for the org's list index (one new segment per open).
      const indexable: OpenedInvoice[] = [];
      let fetched = 0;
      const progress = (opened: number) => current && setState((s) => ({ ...s, progress: { opened, fetched, complete: false } }));
      mark('start');
      const readCompact = () => readAhead(fetchCompactPages(box, org.orgId, (url) => fetchCompactChunk(url, signal), (url) => api(url, { signal }, compactBoundsSchema)));
      // When this tab has opened the org's index before (a warm open), the compact list is asked for
      // at once, alongside the index's segment list, not a round trip after it; should the index be
      // gone, the reading stops, having cost its first chunks.
      const early = hasOpenedSegments(org, TAB_OPENED_SEGMENTS) ? readCompact() : null;
      if (early) stopReading = early.stop;
      // A server that withholds the whole index only makes this open take the per-invoice path.
      const listed = await HTTP_LIST_INDEX.listSegments(org.orgId).catch(() => null);
      if (!current) return;
      // With segments to open, the compact list loads while they are fetched and opened.
      const compact = listed && listed.epoch === org.keyVersion && listed.segments.length ? (early ?? readCompact()) : null;
      if (!compact) early?.stop();
      if (compact) stopReading = compact.stop;
      const index = listed ? await openListIndex(org, listed, HTTP_LIST_INDEX, TAB_OPENED_SEGMENTS).catch(() => null) : null;
      mark('index-loaded');
      const followOrgs = async (orgs: (OrgPublicKeys | undefined)[]) => {
        // A pinned counterparty that rotated its keys with valid succession records is followed
        // before its invoices are checked against the pin (DESIGN §3.3).
        const rotated = await followRotations(keyring, orgs);
        if (rotated.length) keyring = await updateKeyring(applyRotations(rotated));
      };
      const openInFull = async (list: Parameters<typeof openInvoiceList>[0]) => {
        const base = rows.length;
        const opened = await openInvoiceList(list, org, keyring, { checks, fastKeys, onProgress: (done) => progress(base + done) });
        rows.push(...opened);
        if (index) indexable.push(...opened);
      };
      if (!index || index.records.size === 0 || !compact) {
        // Nothing indexed yet (the org's first open in this epoch), or nothing of it opened: the full paged list.
        compact?.stop();
        for await (const raw of fetchListPages(box, org.orgId, (url) => api(url, { signal }, invoiceListEnvelopeSchema))) {
          if (!current) return;
          const page = parseInvoiceList(raw);
          malformed.push(...page.malformed);
          fetched += raw.invoices.length;
          mark('full-page');
          await followOrgs(Object.values(page.list.orgs));
          await openInFull(page.list);
          mark('full-opened');
        }
      } else {
        for await (const raw of compact.items) {
          if (!current) return compact.stop();
          mark('compact-page');
          fetched += raw.count;
          const chunk = readCompactChunk(raw);
          malformed.push(...chunk.malformed);
          const orgs = validEntries(raw.orgs, orgPublicKeysSchema);
          await followOrgs(Object.values(orgs));
          const missing = await addIndexedRows(chunk.invoices, index, orgs, org, keyring, checks, rows, () => current);
          if (!missing) return compact.stop();
          mark('compact-rows');
          progress(rows.length);
          for (let i = 0; i < missing.length; i += LIST_IDS_MAX) {
            const ids = missing.slice(i, i + LIST_IDS_MAX);
            const page = parseInvoiceList(await api(`/api/invoices?box=${box}&orgId=${org.orgId}&ids=${ids.join(',')}`, { signal }, invoiceListEnvelopeSchema));
            if (!current) return compact.stop();
            malformed.push(...page.malformed);
            // Listed, but not served in full: flagged like a malformed item, never shown as fine.
            const served = new Set([...page.list.invoices.map((i) => i.id), ...page.malformed]);
            malformed.push(...ids.filter((id) => !served.has(id)));
            await openInFull(page.list);
          }
        }
      }
      // First contact with a supplier whose invoices verified: pin its keys (trust on first use),
      // and remember the VAT ids and payee names it signed.
      const verified = rows.filter((o) => o.problems.length === 0 && o.supplier && o.supplierSeen);
      const newSuppliers = [...new Map(verified.filter((o) => o.supplierPin === 'new').map((o) => [o.supplier!.orgId, { org: o.supplier!, fingerprint: o.supplierFingerprint! }])).values()];
      const seen = verified.filter((o) => o.supplierPin === 'new' || hasNewIdentity(keyring, o.supplier!.orgId, o.supplierSeen!)).map((o) => ({ orgId: o.supplier!.orgId, seen: o.supplierSeen! }));
      if (pinning && (newSuppliers.length || seen.length)) {
        await updateKeyring((k) => {
          pinFirstContacts(newSuppliers)(k);
          recordSeenIdentity(seen)(k);
        });
      }
      mark('rows-ready');
      if (current) setState(() => ({ rows, progress: { opened: rows.length, fetched, complete: true }, malformed, error: null }));
      // Only once the list is on screen: wrapping and storing the fast-path copies, and hashing the
      // manifests and building and sealing the segment, would otherwise hold up the list's first
      // render (2.6 s of the bench's first open for the segment alone).
      await afterPaint();
      void fastKeys.release();
      if (!indexable.length) return;
      // In batches, handing the main thread back between them (scrolling, the next paint).
      const records: ListIndexRecord[] = [];
      for (let i = 0; i < indexable.length; i += RECORD_BATCH) {
        for (const record of await Promise.all(indexable.slice(i, i + RECORD_BATCH).map(recordOf))) if (record) records.push(record);
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      // A lost append only means these invoices take the per-invoice path again next time; the
      // console says why (a message only: no key or invoice data is in these errors).
      if (records.length) await appendListIndex(org, records).catch((err: unknown) => console.warn('zkinvoice: the list index was not extended:', err instanceof Error ? err.message : String(err)));
    })().catch((err: unknown) => current && setState(() => ({ rows: null, progress: null, malformed: [], error: err ?? new Error('unknown error') })));
    return () => {
      current = false;
      stopReading();
      requests.abort();
      void fastKeys.flush();
    };
  }, [org, box, loadingFor, currentKeyring, updateKeyring, pinning]);

  return state.for === loadingFor ? state : EMPTY;
}

/** Invoices whose list-index records are made at a time, between which the main thread is handed back. */
const RECORD_BATCH = 250;

/**
 * Rows made from index records between two hand-backs of the main thread. Making a row is all
 * microtasks (no I/O), so a 5,000-invoice chunk would otherwise hold the thread for its whole
 * length: at 100,000 invoices the home page's lists kept a click on "Inbox" waiting for seconds.
 */
export const ROWS_PER_SLICE = 500;

/** Lets the browser handle input and paint before going on (scheduler.yield where there is one). */
function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
}

/** Resolves after the next frame was painted. */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/** A timing mark the inbox bench reads (bench/inbox.ts); nothing about the list's contents. */
function mark(step: string): void {
  performance.mark(`zkinvoice:${step}`);
}

const EMPTY: InvoiceListState = { rows: null, progress: null, malformed: [], error: null };

/**
 * Adds the rows of a compact chunk (read by readCompactChunk) that the org's index shows
 * (lib/client/list-index.ts) and returns the ids that take the per-invoice path. Hands the main
 * thread back every ROWS_PER_SLICE items, and returns null as soon as the list is no longer wanted
 * (`wanted()` false: the page was left), its rows then incomplete and never shown.
 */
export async function addIndexedRows(
  items: CompactInvoice[],
  index: ListIndex,
  orgs: Record<string, OrgPublicKeys>,
  org: UnlockedOrg,
  keyring: Keyring,
  checks: ListChecks,
  rows: ListedInvoice[],
  wanted: () => boolean,
): Promise<string[] | null> {
  const missing: string[] = [];
  for (const [i, item] of items.entries()) {
    if (i > 0 && i % ROWS_PER_SLICE === 0) {
      await yieldToMain();
      if (!wanted()) return null;
    }
    const row = await rowFromIndex(item, index, orgs, org, keyring, checks);
    if (row) rows.push(row);
    else missing.push(item.id);
  }
  return missing;
}
