'use client';

import { useCallback, useSyncExternalStore } from 'react';
import { invoiceActivitySchema, type InvoiceActivityDto } from '@/lib/shared/schemas/responses';
import { api } from './api';

/** How often an open page asks what changed; also on focus, and at once after one's own action. */
const POLL_MS = 30_000;

/**
 * One poll per organization for every component that shows its activity (the unread count in the
 * navigation, an open list's "changed" notice), kept while any of them is mounted. The numbers
 * are the server's and only steer what is shown as new or stale: every invoice a list shows is
 * still verified on its own.
 */
interface Entry {
  value: InvoiceActivityDto | null;
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | null;
  inFlight: boolean;
}

const entries = new Map<string, Entry>();

function entryFor(orgId: string): Entry {
  let entry = entries.get(orgId);
  if (!entry) {
    entry = { value: null, listeners: new Set(), timer: null, inFlight: false };
    entries.set(orgId, entry);
  }
  return entry;
}

async function poll(orgId: string): Promise<void> {
  const entry = entryFor(orgId);
  if (entry.inFlight || entry.listeners.size === 0) return;
  entry.inFlight = true;
  try {
    entry.value = await api(`/api/invoices/activity?orgId=${orgId}`, {}, invoiceActivitySchema);
    for (const listener of entry.listeners) listener();
  } catch {
    // A failed poll keeps what was shown; the next one tries again.
  } finally {
    entry.inFlight = false;
  }
}

/** Asks again now, for every org shown: after one's own action (an invoice opened, an event sent). */
export function refreshActivity(): void {
  for (const orgId of entries.keys()) void poll(orgId);
}

function onWake(): void {
  if (document.visibilityState === 'visible') refreshActivity();
}

let watching = 0;

function subscribe(orgId: string, listener: () => void): () => void {
  const entry = entryFor(orgId);
  entry.listeners.add(listener);
  if (!entry.timer) {
    entry.timer = setInterval(() => document.visibilityState === 'visible' && void poll(orgId), POLL_MS);
    void poll(orgId);
  }
  if (watching++ === 0) {
    window.addEventListener('focus', onWake);
    document.addEventListener('visibilitychange', onWake);
  }
  return () => {
    entry.listeners.delete(listener);
    if (--watching === 0) {
      window.removeEventListener('focus', onWake);
      document.removeEventListener('visibilitychange', onWake);
    }
    if (entry.listeners.size > 0) return;
    if (entry.timer) clearInterval(entry.timer);
    entries.delete(orgId);
  };
}

const noSubscription = () => () => undefined;

/** The org's activity as last polled (null before the first answer, or without an org). */
export function useInvoiceActivity(orgId: string | undefined): InvoiceActivityDto | null {
  const subscribeToOrg = useCallback((listener: () => void) => subscribe(orgId!, listener), [orgId]);
  return useSyncExternalStore(
    orgId ? subscribeToOrg : noSubscription,
    () => (orgId ? (entries.get(orgId)?.value ?? null) : null),
    () => null,
  );
}
