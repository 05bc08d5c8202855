'use client';

import { useEffect, useMemo, useState } from 'react';
import type { InvoiceListDto } from '@/lib/shared/invoice-dto';
import type { UnlockedAccount, UnlockedOrg } from './account';
import { api } from './api';
import { FastKeyQueue } from './fast-key-queue';
import { loadKeyring, pinOrg, updateKeyring, type Keyring } from './keyring';
import { createListChecks, openInvoiceList, type OpenedInvoice } from './open-invoice';

/** Invoices per chunk of the paged list: small enough to start opening early, large enough for few requests. */
export const LIST_PAGE_SIZE = 500;

type Box = 'inbox' | 'sent';
type Page = InvoiceListDto & { nextCursor?: string | null };

/**
 * Fetches a list chunk by chunk, each chunk's request going out while the one before is opened.
 * Refuses a server that does not move forward (a cursor or an invoice id not after the last one),
 * which would otherwise make the client loop or show an invoice twice.
 */
export async function* fetchListPages(box: Box, orgId: string, fetchPage: (url: string) => Promise<Page> = (url) => api<Page>(url)): AsyncGenerator<Page> {
  const url = (after: string | null) => `/api/invoices?box=${box}&orgId=${orgId}&limit=${LIST_PAGE_SIZE}${after ? `&after=${after}` : ''}`;
  let after: string | null = null;
  let next: Promise<Page> | null = fetchPage(url(null));
  while (next) {
    const page: Page = await next;
    for (const invoice of page.invoices) {
      if (after !== null && invoice.id <= after) throw new Error('The server sent the invoice list out of order.');
      after = invoice.id;
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
  /** Why the list could not be loaded (described in the user's language by the page). */
  error: unknown;
}

/**
 * The list pipeline of the inbox and sent pages: fetches the org's list in cursor-paged chunks,
 * opens and verifies each chunk in this browser as it arrives (the full checks of openInvoice, with
 * the checks that depend only on shared data done once per list), queues fast-path copies for
 * invoices opened through their HPKE grants, and pins suppliers seen for the first time whose
 * invoices verified (trust on first use). Nothing decrypted leaves memory.
 */
export function useInvoiceList(account: UnlockedAccount, org: UnlockedOrg, box: Box): InvoiceListState {
  // Tagged with what it was loaded for, so a switch of org or box never shows the other list.
  const [state, setStateFor] = useState<InvoiceListState & { for: unknown }>({ rows: null, progress: null, error: null, for: null });
  const loadingFor = useMemo(() => ({ account, org, box }), [account, org, box]);

  useEffect(() => {
    let current = true;
    const fastKeys = new FastKeyQueue();
    const setState = (change: (s: InvoiceListState) => InvoiceListState) => setStateFor((s) => ({ ...change(s.for === loadingFor ? s : EMPTY), for: loadingFor }));
    (async () => {
      const keyringLoad = loadKeyring(account);
      const checks = createListChecks();
      const rows: OpenedInvoice[] = [];
      let keyring: Keyring | null = null;
      let fetched = 0;
      for await (const page of fetchListPages(box, org.orgId)) {
        if (!current) return;
        keyring ??= (await keyringLoad).keyring;
        fetched += page.invoices.length;
        const base = rows.length;
        const opened = await openInvoiceList(page, org, keyring, {
          checks,
          fastKeys,
          onProgress: (done) => current && setState((s) => ({ ...s, progress: { opened: base + done, fetched, complete: false } })),
        });
        rows.push(...opened);
      }
      // First contact with a supplier whose invoices verified: pin its keys (trust on first use).
      const newSuppliers = [...new Map(rows.filter((o) => o.supplierPin === 'new' && o.problems.length === 0 && o.supplier).map((o) => [o.supplier!.orgId, o])).values()];
      if (newSuppliers.length) await updateKeyring(account, (k) => newSuppliers.forEach((o) => pinOrg(k, o.supplier!, o.supplierFingerprint!)));
      if (current) setState(() => ({ rows, progress: { opened: rows.length, fetched, complete: true }, error: null }));
    })().catch((err: unknown) => current && setState(() => ({ rows: null, progress: null, error: err ?? new Error('unknown error') })));
    return () => {
      current = false;
      void fastKeys.flush();
    };
  }, [account, org, box, loadingFor]);

  return state.for === loadingFor ? state : EMPTY;
}

const EMPTY: InvoiceListState = { rows: null, progress: null, error: null };
