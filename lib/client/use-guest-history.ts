'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { fromBase64Url } from '@/lib/crypto/encoding';
import type { InvoiceEventsDto } from '@/lib/shared/schemas/invoice-event';
import { invoiceEventsResponseSchema } from '@/lib/shared/schemas/responses';
import type { z } from 'zod';
import { api } from './api';
import type { OpenedProvisionalOrg } from './claim';
import { useDescribeError } from './i18n';
import { useRefreshWhileVisible } from './use-invoice-history';
import { checkHistoryMark, historyFingerprint, readHistoryMark, verifyGuestHistory, type OpenedForEvents, type VerifiedHistory } from './invoice-events';

export interface GuestHistoryState {
  history: VerifiedHistory | null;
  /** Why the history could not be fetched: then the status is unknown, never "issued". */
  error: string | null;
}

/**
 * This device's high-water marks for a guest's invoices (DESIGN §3.4) are kept under the
 * provisional org rather than a user: a server that later serves one of them a shorter history
 * (a cancellation removed, say) is caught like it is for a member.
 */
const guestMarkOwner = (orgId: string): string => `guest:${orgId}`;

/**
 * The verified history of one invoice in the guest view (DESIGN §8, §11): fetched with the link's
 * proof, checked against the supplier's key the link vouches for (never one the server serves for
 * the occasion) and against this device's mark; read again while the page is visible, as a
 * member's invoice page does. A guest records nothing.
 */
export function useGuestHistory(org: OpenedProvisionalOrg, claimAuth: string, invoice: OpenedForEvents): GuestHistoryState {
  const describeError = useDescribeError();
  const [state, setState] = useState<GuestHistoryState>({ history: null, error: null });
  const shown = useRef<string | null>(null);

  const load = useCallback(async (): Promise<VerifiedHistory> => {
    const owner = guestMarkOwner(org.orgId);
    const seen = await readHistoryMark(owner, invoice.invoiceId);
    const data = await api(`/api/claims/${org.orgId}/invoices/${invoice.invoiceId}/events`, { body: { claimAuth } }, invoiceEventsResponseSchema as z.ZodType<InvoiceEventsDto>);
    const supplier = { orgId: org.supplier.orgId, signingPublicKey: fromBase64Url(org.supplier.signingPublicKey) };
    return checkHistoryMark(owner, invoice.invoiceId, await verifyGuestHistory(data, invoice, supplier), seen);
  }, [claimAuth, invoice, org]);

  const show = useCallback((history: VerifiedHistory) => {
    const fingerprint = historyFingerprint(history);
    if (fingerprint === shown.current) return;
    shown.current = fingerprint;
    setState({ history, error: null });
  }, []);

  useEffect(() => {
    let current = true;
    load().then((history) => current && show(history), (err: unknown) => current && setState({ history: null, error: describeError(err) }));
    return () => {
      current = false;
    };
  }, [describeError, load, show]);

  // A cancellation the supplier makes while the guest has the page open appears without a reload;
  // a poll that fails keeps what was shown.
  const poll = useCallback(() => load().then(show, () => {}), [load, show]);
  useRefreshWhileVisible(poll);

  return state;
}
