'use client';

import { useEffect, useMemo, useState } from 'react';
import type { z } from 'zod';
import { invoiceListEnvelopeSchema } from '@/lib/shared/schemas/responses';
import type { UnlockedOrg } from './account';
import { api } from './api';
import { FastKeyQueue } from './fast-key-queue';
import { useKeyring } from './keys-context';
import { createListChecks, openInvoiceList, parseInvoiceList, type OpenedInvoice } from './open-invoice';
import { applyRotations, followRotations, hasNewIdentity, pinFirstContacts, recordSeenIdentity } from './trust';

/** Invoices per chunk of the paged list: small enough to start opening early, large enough for few requests. */
export const LIST_PAGE_SIZE = 500;

type Box = 'inbox' | 'sent';
type Page = z.infer<typeof invoiceListEnvelopeSchema>;

/**
 * Fetches a list chunk by chunk, each chunk's request going out while the one before is opened.
 * Refuses a server that does not move forward (a cursor or an invoice id not after the last one),
 * which would otherwise make the client loop or show an invoice twice.
 */
export async function* fetchListPages(box: Box, orgId: string, fetchPage: (url: string) => Promise<Page> = (url) => api(url, {}, invoiceListEnvelopeSchema)): AsyncGenerator<Page> {
  const url = (after: string | null) => `/api/invoices?box=${box}&orgId=${orgId}&limit=${LIST_PAGE_SIZE}${after ? `&after=${after}` : ''}`;
  let after: string | null = null;
  let next: Promise<Page> | null = fetchPage(url(null));
  while (next) {
    const page: Page = await next;
    for (const invoice of page.invoices) {
      // An item without an id is malformed and reported as such when the page is parsed.
      const id = invoice && typeof invoice === 'object' && 'id' in invoice && typeof invoice.id === 'string' ? invoice.id : null;
      if (id === null) continue;
      if (after !== null && id <= after) throw new Error('The server sent the invoice list out of order.');
      after = id;
    }
    const cursor = page.nextCursor ?? null;
    // A chunk that promises more must bring some and point past its last invoice.
    if (cursor !== null && (page.invoices.length === 0 || cursor !== after)) throw new Error('The server sent the invoice list out of order.');
    next = cursor ? fetchPage(url(cursor)) : null;
    yield page;
  }
}

export interface InvoiceListState {
  /** Every opened row, once the whole list is opened; null before. */
  rows: OpenedInvoice[] | null;
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
 * which an impostor would copy (DESIGN §3.4). Nothing decrypted leaves memory.
 */
export function useInvoiceList(org: UnlockedOrg, box: Box, generation = 0): InvoiceListState {
  const { current: currentKeyring, updateKeyring } = useKeyring();
  // Tagged with what it was loaded for, so a switch of org or box never shows the other list.
  const [state, setStateFor] = useState<InvoiceListState & { for: unknown }>({ rows: null, progress: null, malformed: [], error: null, for: null });
  // `generation`: a higher one loads the list afresh (the page's "Show the changes").
  const loadingFor = useMemo(() => ({ org, box, generation }), [org, box, generation]);

  useEffect(() => {
    let current = true;
    const fastKeys = new FastKeyQueue();
    const setState = (change: (s: InvoiceListState) => InvoiceListState) => setStateFor((s) => ({ ...change(s.for === loadingFor ? s : EMPTY), for: loadingFor }));
    (async () => {
      let keyring = currentKeyring();
      const checks = createListChecks();
      const rows: OpenedInvoice[] = [];
      const malformed: (string | null)[] = [];
      let fetched = 0;
      for await (const raw of fetchListPages(box, org.orgId)) {
        if (!current) return;
        const page = parseInvoiceList(raw);
        malformed.push(...page.malformed);
        fetched += raw.invoices.length;
        const base = rows.length;
        // A pinned counterparty that rotated its keys with valid succession records is followed
        // before its invoices are checked against the pin (DESIGN §3.3).
        const rotated = await followRotations(keyring, Object.values(page.list.orgs));
        if (rotated.length) keyring = await updateKeyring(applyRotations(rotated));
        const opened = await openInvoiceList(page.list, org, keyring, {
          checks,
          fastKeys,
          onProgress: (done) => current && setState((s) => ({ ...s, progress: { opened: base + done, fetched, complete: false } })),
        });
        rows.push(...opened);
      }
      // First contact with a supplier whose invoices verified: pin its keys (trust on first use),
      // and remember the VAT ids and payee names it signed.
      const verified = rows.filter((o) => o.problems.length === 0 && o.supplier && o.supplierSeen);
      const newSuppliers = [...new Map(verified.filter((o) => o.supplierPin === 'new').map((o) => [o.supplier!.orgId, { org: o.supplier!, fingerprint: o.supplierFingerprint! }])).values()];
      const seen = verified.filter((o) => o.supplierPin === 'new' || hasNewIdentity(keyring, o.supplier!.orgId, o.supplierSeen!)).map((o) => ({ orgId: o.supplier!.orgId, seen: o.supplierSeen! }));
      if (newSuppliers.length || seen.length) {
        await updateKeyring((k) => {
          pinFirstContacts(newSuppliers)(k);
          recordSeenIdentity(seen)(k);
        });
      }
      if (current) setState(() => ({ rows, progress: { opened: rows.length, fetched, complete: true }, malformed, error: null }));
    })().catch((err: unknown) => current && setState(() => ({ rows: null, progress: null, malformed: [], error: err ?? new Error('unknown error') })));
    return () => {
      current = false;
      void fastKeys.flush();
    };
  }, [org, box, loadingFor, currentKeyring, updateKeyring]);

  return state.for === loadingFor ? state : EMPTY;
}

const EMPTY: InvoiceListState = { rows: null, progress: null, malformed: [], error: null };
