'use client';

import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { UnlockedAccount } from '@/lib/client/account';
import { useDescribeError } from '@/lib/client/i18n';
import { buildSignedEvent, checkHistoryMark, EVENT_PROBLEM_TEXT, fetchHistory, postEvent, verifyHistory, type VerifiedEvent, type VerifiedHistory } from '@/lib/client/invoice-events';
import { useKeyring } from '@/lib/client/keys-context';
import type { OpenedInvoice } from '@/lib/client/open-invoice';
import { formatMoney } from '@/lib/shared/decimal';
import type { InvoiceEventType, Party } from '@/lib/shared/lifecycle';
import { statusLabel } from './invoice-list';
import { ErrorAlert } from './form-field';
import { InvoiceActions } from './invoice-actions';

const EVENT_LABEL: Record<InvoiceEventType, string> = {
  viewed: 'Opened by the customer',
  payment_announced: 'Payment announced',
  partially_paid: 'Partial payment announced',
  paid: 'Payment received',
  disputed: 'Disputed',
  dispute_withdrawn: 'Dispute withdrawn',
  dispute_comment: 'Comment on the dispute',
  cancelled: 'Cancelled',
  credited: 'Credited by a credit note',
};

type VerifiedOpened = OpenedInvoice & { header: NonNullable<OpenedInvoice['header']>; dek: Uint8Array };

export interface HistoryState {
  history: VerifiedHistory | null;
  error: string | null;
  refresh(): Promise<void>;
}

/**
 * Fetches and verifies an invoice's signed history (DESIGN §8) and checks it against this
 * device's high-water mark (§3.4); status, payment panel and actions all follow what it returns.
 * The customer's first open records `viewed` — never on a history that is blocked.
 * `opened` is null until the invoice itself verified: then nothing is fetched.
 */
export function useVerifiedHistory(account: UnlockedAccount, opened: VerifiedOpened | null, box: 'inbox' | 'sent'): HistoryState {
  const describeError = useDescribeError();
  const party: Party = box === 'inbox' ? 'customer' : 'supplier';
  const invoice = opened?.invoice;
  const org = invoice && account.orgs.find((o) => o.orgId === (party === 'customer' ? invoice.customerOrgId : invoice.supplierOrgId));
  const [history, setHistory] = useState<VerifiedHistory | null>(null);
  const [error, setError] = useState<string | null>(null);
  const viewRecorded = useRef(false);
  const { current: currentKeyring } = useKeyring();
  const dek = opened?.dek;
  const header = opened?.header;

  const load = useCallback(async (): Promise<VerifiedHistory | null> => {
    if (!invoice || !dek || !header) return null;
    if (!org) throw new Error('Your organization holds no key for this invoice.');
    const data = await fetchHistory(invoice.id);
    const verified = await verifyHistory(data, { invoiceId: invoice.id, supplierOrgId: invoice.supplierOrgId, customerOrgId: invoice.customerOrgId, dek, header }, org, currentKeyring());
    return checkHistoryMark(account.userId, invoice.id, verified);
  }, [account.userId, currentKeyring, dek, header, invoice, org]);

  const refresh = useCallback(async () => {
    setHistory(await load());
  }, [load]);

  useEffect(() => {
    let current = true;
    (async () => {
      let loaded = await load();
      if (loaded && invoice && dek && party === 'customer' && org && !loaded.blocked && loaded.events.length === 0 && loaded.status === 'issued' && !viewRecorded.current) {
        viewRecorded.current = true;
        // Another tab may have recorded it first (409); either way the reloaded history shows it.
        await postEvent(await buildSignedEvent({ account, actorOrgId: org.orgId, invoiceId: invoice.id, dek, type: 'viewed', payload: null, prevEventId: null })).catch(() => {});
        loaded = await load();
      }
      if (current) setHistory(loaded);
    })().catch((err: unknown) => current && setError(describeError(err)));
    return () => {
      current = false;
    };
  }, [account, dek, describeError, invoice, load, org, party]);

  return { history, error, refresh };
}

/** The verified history of an invoice and the actions its viewer may take; nothing is offered while it is blocked. */
export function InvoiceLifecycle({ account, opened, box, state }: { account: UnlockedAccount; opened: VerifiedOpened; box: 'inbox' | 'sent'; state: HistoryState }) {
  const { invoice, header } = opened;
  const party: Party = box === 'inbox' ? 'customer' : 'supplier';
  const org = account.orgs.find((o) => o.orgId === (party === 'customer' ? invoice.customerOrgId : invoice.supplierOrgId));
  const { history, error, refresh } = state;

  if (error) return <section className="panel"><h2>History</h2><ErrorAlert message={error} /></section>;
  if (!history || !org) return <p className="status" role="status">Checking the invoice history…</p>;
  return (
    <>
      <section className="panel stack" aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <p>Current status: <strong data-testid="lifecycle-status">{statusLabel(history.status)}</strong></p>
        {history.blocked && (
          <div className="alert error" role="alert" data-testid="history-warning" data-blocking="true">
            <strong>Do not pay or act on this invoice for now.</strong> {history.blocked} No actions are offered and no payment details are shown until
            this is resolved; contact the other party using a number you already know.
          </div>
        )}
        {history.warnings.map((w) => <div key={w} className="alert warn" role="alert" data-testid="history-warning">{w}</div>)}
        {history.creditsInvoiceId && <p>This credit note credits <Link href={`/invoices/${history.creditsInvoiceId}`}>invoice {header.creditFor?.invoiceId === history.creditsInvoiceId ? header.creditFor.number : '(see the original)'}</Link>.</p>}
        <ol className="stack" aria-label="Invoice history" data-testid="history">
          <li data-testid="history-event" data-type="issued" data-valid="true">
            <strong>Issued</strong> · {new Date(invoice.manifest.createdAt).toLocaleString()} · by {opened.signer?.displayName} ({opened.supplier?.name})
            <div className="muted">✓ Signed invoice (checked above)</div>
          </li>
          {history.events.map((event) => <HistoryEvent key={event.dto.record.eventId} event={event} currency={header.currency} creditedBy={history.creditedBy} />)}
        </ol>
      </section>
      {!history.blocked && <InvoiceActions key={history.lastEventId ?? 'none'} account={account} org={org} opened={opened} party={party} history={history} onChanged={refresh} />}
    </>
  );
}

function HistoryEvent({ event, currency, creditedBy }: { event: VerifiedEvent; currency: string; creditedBy: string[] }) {
  const valid = event.problems.length === 0;
  const p = event.payload;
  return (
    <li data-testid="history-event" data-type={event.type} data-valid={valid ? 'true' : 'false'}>
      <strong>{EVENT_LABEL[event.type]}</strong> · <time dateTime={event.createdAt}>{new Date(event.createdAt).toLocaleString()}</time> · by {event.actorName} ({event.orgName})
      {p && (
        <dl className="event-details">
          {p.amount && <><dt>Amount</dt><dd>{formatMoney(p.amount, p.currency ?? currency)}</dd></>}
          {p.date && <><dt>Date</dt><dd>{p.date}</dd></>}
          {p.reference && <><dt>Reference</dt><dd>{p.reference}</dd></>}
          {p.reason && <><dt>Reason</dt><dd style={{ whiteSpace: 'pre-wrap' }}>{p.reason}</dd></>}
          {p.comment && <><dt>Comment</dt><dd style={{ whiteSpace: 'pre-wrap' }}>{p.comment}</dd></>}
          {p.creditNoteId && (
            <><dt>Credit note</dt><dd>{creditedBy.includes(p.creditNoteId) ? <Link href={`/invoices/${p.creditNoteId}`}>{p.creditNoteNumber}</Link> : `${p.creditNoteNumber} (not found on the server)`}</dd></>
          )}
        </dl>
      )}
      {valid ? (
        <div className="alert ok" data-testid="event-check">✓ Signature valid; {event.actorName} is a certified member of {event.orgName}.</div>
      ) : (
        <div className="alert error" role="alert" data-testid="event-check">
          <strong>✗ Not valid — do not rely on this event.</strong>
          <ul>{event.problems.map((problem) => <li key={problem}>{EVENT_PROBLEM_TEXT[problem]}</li>)}</ul>
        </div>
      )}
    </li>
  );
}
