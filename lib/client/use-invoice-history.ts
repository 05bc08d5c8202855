'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { UnlockedAccount, UnlockedOrg } from './account';
import { useDescribeError } from './i18n';
import { refreshActivity } from './invoice-activity';
import { buildSignedEvent, checkHistoryMark, fetchHistory, historyFingerprint, postEvent, readHistoryMark, verifyHistory, type OpenedForEvents, type VerifiedHistory } from './invoice-events';
import { useKeyring } from './keys-context';

/** How often an open invoice page asks for the other party's changes while it is visible. */
const POLL_MS = 20_000;

export interface InvoiceHistoryState {
  history: VerifiedHistory | null;
  error: string | null;
  /** Fetches and verifies the history again and resolves with it; `quiet` keeps a failure to itself (polling). */
  refresh(quiet?: boolean): Promise<VerifiedHistory | null>;
}

/**
 * The verified history of one invoice (DESIGN §8), the page's one source for its status: the
 * heading, summary, payment panel, history and actions all follow it, so they cannot disagree.
 * The customer's first open records `viewed` before the history is first shown, never on a
 * history that is blocked. While the page is
 * visible it asks again now and then and when the window regains focus, so a change by the other
 * party appears without a reload; a history that did not change does not re-render anything.
 */
export function useInvoiceHistory(account: UnlockedAccount, org: UnlockedOrg | undefined, invoice: OpenedForEvents, party: 'supplier' | 'customer'): InvoiceHistoryState {
  const describeError = useDescribeError();
  const [history, setHistory] = useState<VerifiedHistory | null>(null);
  const [error, setError] = useState<string | null>(null);
  const viewRecorded = useRef(false);
  const shown = useRef<string | null>(null);
  const { current: currentKeyring } = useKeyring();

  const load = useCallback(async (): Promise<VerifiedHistory> => {
    if (!org) throw new Error('Your organization holds no key for this invoice.');
    const seen = await readHistoryMark(account.userId, invoice.invoiceId);
    const data = await fetchHistory(invoice.invoiceId);
    // Checked against the keyring this device holds (never one fetched for the occasion) and
    // against the device's high-water mark for this history (DESIGN §3.4): shortened blocks.
    return checkHistoryMark(account.userId, invoice.invoiceId, await verifyHistory(data, invoice, org, currentKeyring()), seen);
  }, [account.userId, currentKeyring, invoice, org]);

  const show = useCallback((next: VerifiedHistory) => {
    const fingerprint = historyFingerprint(next);
    if (fingerprint === shown.current) return;
    shown.current = fingerprint;
    setHistory(next);
  }, []);

  const refresh = useCallback(async (quiet = false): Promise<VerifiedHistory | null> => {
    try {
      const next = await load();
      show(next);
      setError(null);
      return next;
    } catch (err) {
      if (!quiet) setError(describeError(err));
      return null;
    }
  }, [describeError, load, show]);

  useEffect(() => {
    let current = true;
    (async () => {
      let loaded = await load();
      if (party === 'customer' && org && !loaded.blocked && loaded.events.length === 0 && loaded.status === 'issued' && !viewRecorded.current) {
        viewRecorded.current = true;
        // Another tab may have recorded it first (409); either way the reloaded history shows it.
        await postEvent(await buildSignedEvent({ account, actorOrgId: org.orgId, invoiceId: invoice.invoiceId, dek: invoice.dek, type: 'viewed', payload: null, prevEventId: null })).catch(() => {});
        refreshActivity(); // one invoice fewer not opened yet, in the navigation
        loaded = await load();
      }
      if (current) show(loaded);
    })().catch((err: unknown) => current && setError(describeError(err)));
    return () => {
      current = false;
    };
  }, [account, describeError, invoice, load, org, party, show]);

  useRefreshWhileVisible(refresh);

  return { history, error, refresh };
}

/**
 * Calls `refresh(true)` (quiet) now and then while the page is visible, and when the window
 * regains focus or the tab becomes visible again, so the other party's changes appear unasked.
 */
export function useRefreshWhileVisible(refresh: (quiet: true) => unknown): void {
  useEffect(() => {
    const poll = () => {
      if (document.visibilityState === 'visible') void refresh(true);
    };
    const timer = setInterval(poll, POLL_MS);
    window.addEventListener('focus', poll);
    document.addEventListener('visibilitychange', poll);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', poll);
      document.removeEventListener('visibilitychange', poll);
    };
  }, [refresh]);
}
