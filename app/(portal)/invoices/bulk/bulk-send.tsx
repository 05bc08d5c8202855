'use client';

import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { UnlessMembershipBlocked } from '@/components/membership-banner';
import { RequireUnlocked } from '@/components/require-unlocked';
import type { UnlockedAccount, UnlockedOrg } from '@/lib/client/account';
import { api } from '@/lib/client/api';
import { rememberBuyerIds, rememberedCustomer, knowsBuyerIds } from '@/lib/client/customer-ids';
import { checkDocument, describeDocumentProblem } from '@/lib/client/document-checks';
import { looksLikeEInvoiceCandidate, readEInvoiceBlob } from '@/lib/client/einvoice';
import { useDescribeError, useT } from '@/lib/client/i18n';
import { useKeyring } from '@/lib/client/keys-context';
import { dueDateFor } from '@/lib/client/org-profile';
import { sentInvoiceKey, sentInvoices } from '@/lib/client/repeated-number';
import { abandonUpload, sendInvoice, startUpload } from '@/lib/client/send-invoice';
import { useLeavePrompt } from '@/lib/client/use-leave-prompt';
import { crossCheck } from '@/lib/einvoice/cross-check';
import type { OrgPublicKeys } from '@/lib/shared/invoice-dto';
import { can } from '@/lib/shared/roles';
import { headerFacts } from '../new/einvoice-fill';
import { DEFAULT_PAYMENT_TERMS_DAYS, useOrgProfile } from '../new/form-defaults';
import type { Recipient } from '../new/recipient-picker';
import { BuyerAssignments, type Customer } from './buyer-assignments';
import { fileKey, isPdf, itemFromReading, SENDABLE, type BulkItem, type ItemState } from './bulk-queue';
import { pinnedCustomerKeys } from './customer-lookup';
import { QueueTable } from './queue-table';

export function BulkSend() {
  const t = useT();
  return (
    <RequireUnlocked>
      {(account, org) =>
        !can(org.role, 'invoice.send') ? (
          <p className="alert warn" role="note" data-testid="cannot-send">{t('role.cannot_send', { org: org.name, role: t(`role.${org.role}`) })}</p>
        ) : (
          <UnlessMembershipBlocked account={account} org={org}>
            <ProfiledBulkSend account={account} org={org} />
          </UnlessMembershipBlocked>
        )
      }
    </RequireUnlocked>
  );
}

function ProfiledBulkSend({ account, org }: { account: UnlockedAccount; org: UnlockedOrg }) {
  const t = useT();
  const { ready, profile } = useOrgProfile(org);
  if (!ready) return <p className="status" role="status">{t('new.loading_profile')}</p>;
  return <BulkSendQueue key={org.orgId} account={account} org={org} termsDays={profile?.paymentTermsDays ?? DEFAULT_PAYMENT_TERMS_DAYS} />;
}

/**
 * The queue: files are read one after another (a Factur-X PDF starts pdf.js), each buyer is
 * matched to a customer through the identifiers remembered in the sealed keyring or asked once,
 * and "send" goes through the queue in order with the same send path as New invoice, one invoice
 * at a time. Invoices already in the Sent list of that customer under the same number are skipped,
 * which makes an interrupted queue resumable: drop the same files again.
 */
function BulkSendQueue({ account, org, termsDays }: { account: UnlockedAccount; org: UnlockedOrg; termsDays: number }) {
  const t = useT();
  const describeError = useDescribeError();
  const { keyring, current, updateKeyring } = useKeyring();
  const [items, setItems] = useState<BulkItem[]>([]);
  const itemsRef = useRef<BulkItem[]>([]);
  // Customers chosen on this page, by buyer key: for buyers without identifiers, and until the keyring write shows.
  const [assigned, setAssigned] = useState<ReadonlyMap<string, Recipient>>(new Map());
  // Buyers whose remembered customer the user wants to choose again.
  const [reassign, setReassign] = useState<ReadonlySet<string>>(new Set());
  const [running, setRunning] = useState(false);
  const [over, setOver] = useState(false);
  const [maxBytes, setMaxBytes] = useState<number | null>(null);
  const busy = useRef(false);
  const stop = useRef(false);
  const reading = useRef<Promise<void>>(Promise.resolve());
  const input = useRef<HTMLInputElement>(null);

  const update = useCallback((change: (items: BulkItem[]) => BulkItem[]) => {
    itemsRef.current = change(itemsRef.current);
    setItems(itemsRef.current);
  }, []);
  const patch = useCallback((key: string, state: ItemState) => update((all) => all.map((i) => (i.key === key ? { ...i, state } : i))), [update]);

  useEffect(() => {
    let live = true;
    api<{ maxDocumentBytes: number }>('/api/config').then((c) => live && setMaxBytes(c.maxDocumentBytes)).catch(() => {});
    return () => {
      live = false;
    };
  }, []);

  const customerOf = useCallback((item: BulkItem): Customer | null => {
    if (!item.buyer) return null;
    const chosen = assigned.get(item.buyer.key);
    if (chosen) return { orgId: chosen.org.orgId, name: chosen.org.name, handle: chosen.org.handle, keys: chosen.org };
    if (reassign.has(item.buyer.key)) return null;
    const remembered = rememberedCustomer(keyring, item.buyer.ids);
    return remembered ? { orgId: remembered.orgId, name: remembered.pin.name, handle: remembered.pin.handle } : null;
  }, [assigned, reassign, keyring]);

  function add(files: FileList | null) {
    if (!files) return;
    const known = new Set(itemsRef.current.map((i) => i.key));
    const added = Array.from(files).filter((f) => looksLikeEInvoiceCandidate(f.name, f.type) && !known.has(fileKey(f))).map((file): BulkItem => ({ key: fileKey(file), file, state: { kind: 'reading' } }));
    if (added.length === 0) return;
    update((all) => [...all, ...added]);
    // One file at a time: reading many PDFs at once would stall the page on a small machine.
    for (const item of added) {
      reading.current = reading.current.then(async () => {
        const read = await readEInvoiceBlob(item.file);
        update((all) => all.map((i) => (i.key === item.key ? itemFromReading(i, read, (issue) => dueDateFor(issue, termsDays)) : i)));
      });
    }
  }

  const keyringAccess = useMemo(() => ({ current, updateKeyring }), [current, updateKeyring]);

  async function sendOne(item: BulkItem, customer: Customer, keysBy: Map<string, OrgPublicKeys>, sentBy: Map<string, Map<string, string>>): Promise<void> {
    const { header, invoice, buyer, file } = item;
    if (!header || !invoice || !buyer) return;
    patch(item.key, { kind: 'checking' });
    try {
      const keys = keysBy.get(customer.orgId) ?? customer.keys ?? (await pinnedCustomerKeys(customer.orgId, customer, keyringAccess));
      keysBy.set(customer.orgId, keys);
      const sent = sentBy.get(customer.orgId) ?? (await sentInvoices(current(), org, customer.orgId));
      sentBy.set(customer.orgId, sent);
      const earlier = sent.get(sentInvoiceKey(header.type, header.number));
      if (earlier) {
        patch(item.key, { kind: 'skipped', invoiceId: earlier });
        return;
      }
      // The header is made from the file, so they agree; this only guards that promise.
      const differences = crossCheck(headerFacts(header), invoice, file.name);
      if (differences.length > 0) {
        patch(item.key, { kind: 'failed', reason: t('bulk.differences', { fields: differences.map((d) => t(`field.${d.field}`)).join(', ') }) });
        return;
      }
      const documents = [{ file, role: isPdf(file) ? ('invoice-pdf' as const) : ('einvoice-xml' as const) }];
      const problem = await checkDocument(file, documents[0]!.role, maxBytes);
      if (problem) {
        patch(item.key, { kind: 'failed', reason: describeDocumentProblem(problem, t) });
        return;
      }
      const state = await startUpload(org, keys, documents);
      patch(item.key, { kind: 'sending', percent: 0 });
      let invoiceId: string;
      try {
        ({ invoiceId } = await sendInvoice({
          account, supplier: org, customer: keys, header, documents, state, signal: new AbortController().signal,
          onProgress: (p) => {
            const total = p.documents.reduce((n, d) => n + d.total, 0);
            const done = p.documents.reduce((n, d) => n + d.sent, 0);
            patch(item.key, { kind: 'sending', percent: p.stage === 'encrypting' ? Math.min(95, Math.floor((done / Math.max(total, 1)) * 95)) : p.stage === 'committing' ? 97 : 100 });
          },
        }));
      } catch (error) {
        void abandonUpload(state);
        // Keys that rotated meanwhile are looked up again by the next try.
        keysBy.delete(customer.orgId);
        throw error;
      }
      sent.set(sentInvoiceKey(header.type, header.number), invoiceId);
      patch(item.key, { kind: 'sent', invoiceId });
      // "From earlier invoices": what this invoice called its buyer now finds the customer.
      if (buyer.ids.length > 0 && !knowsBuyerIds(current(), customer.orgId, buyer.ids)) await updateKeyring(rememberBuyerIds(customer.orgId, buyer.ids)).catch(() => {});
    } catch (error) {
      patch(item.key, { kind: 'failed', reason: describeError(error) });
    }
  }

  async function sendAll() {
    if (busy.current) return;
    busy.current = true;
    stop.current = false;
    setRunning(true);
    const keysBy = new Map<string, OrgPublicKeys>();
    const sentBy = new Map<string, Map<string, string>>();
    try {
      for (const { key } of itemsRef.current) {
        const item = itemsRef.current.find((i) => i.key === key);
        const customer = item && customerOf(item);
        if (!item || !customer || !SENDABLE.has(item.state.kind)) continue;
        if (stop.current) {
          patch(key, { kind: 'stopped' });
          continue;
        }
        await sendOne(item, customer, keysBy, sentBy);
      }
    } finally {
      busy.current = false;
      setRunning(false);
    }
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setOver(false);
    if (!running) add(event.dataTransfer.files);
  }

  useLeavePrompt(running, t('send.leave_prompt'));
  const toSend = items.filter((i) => SENDABLE.has(i.state.kind) && customerOf(i)).length;
  const count = (kind: ItemState['kind']) => items.filter((i) => i.state.kind === kind).length;
  const done = count('sent') + count('skipped');
  const unknown = items.filter((i) => i.buyer && i.state.kind !== 'invalid' && i.state.kind !== 'unsendable' && !customerOf(i) && i.state.kind !== 'sent' && i.state.kind !== 'skipped');
  return (
    <>
      <section className="panel stack" aria-labelledby="bulk-drop-heading">
        <h2 id="bulk-drop-heading">{t('bulk.drop_heading')}</h2>
        <div className={`dropzone${over ? ' over' : ''}`} data-testid="bulk-dropzone" onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)} onDrop={onDrop}>
          <p>{t('bulk.drop')}</p>
          <button type="button" className="secondary" onClick={() => input.current?.click()} disabled={running}>{t('bulk.choose')}</button>
          <input ref={input} type="file" multiple hidden accept=".xml,.pdf,application/xml,text/xml,application/pdf" aria-label={t('bulk.add_label')} onChange={(e) => { add(e.target.files); e.target.value = ''; }} />
        </div>
        <p className="muted">{t('bulk.resume_hint')}</p>
      </section>
      <BuyerAssignments
        items={unknown}
        ownOrgId={org.orgId}
        keys={keyringAccess}
        disabled={running}
        onAssigned={(buyerKey, recipient) => {
          setAssigned((m) => new Map(m).set(buyerKey, recipient));
          setReassign((s) => new Set([...s].filter((k) => k !== buyerKey)));
        }}
      />
      {items.length > 0 && (
        <section className="panel stack" aria-labelledby="bulk-queue-heading">
          <h2 id="bulk-queue-heading">{t('bulk.queue_heading')}</h2>
          <label>
            {t('bulk.progress_label')}
            <progress max={Math.max(items.length, 1)} value={done} aria-label={t('bulk.progress_label')} />
          </label>
          <p className="status" role="status" data-testid="bulk-summary">
            {t('bulk.summary', { sent: count('sent'), skipped: count('skipped'), failed: count('failed') + count('unreadable') + count('invalid') + count('unsendable'), left: items.length - done - count('failed') - count('unreadable') - count('invalid') - count('unsendable') })}
          </p>
          <QueueTable
            items={items}
            customerOf={customerOf}
            running={running}
            onRemove={(key) => update((all) => all.filter((i) => i.key !== key))}
            onChangeCustomer={(buyerKey) => {
              setAssigned((m) => new Map([...m].filter(([k]) => k !== buyerKey)));
              setReassign((s) => new Set(s).add(buyerKey));
            }}
          />
          <div className="row">
            {!running && toSend > 0 && <button type="button" onClick={() => void sendAll()}>{t('bulk.send', { count: toSend })}</button>}
            {running && <button type="button" className="secondary" onClick={() => { stop.current = true; }}>{t('bulk.stop')}</button>}
            {!running && <button type="button" className="secondary" onClick={() => { update(() => []); setAssigned(new Map()); setReassign(new Set()); }}>{t('bulk.clear')}</button>}
          </div>
        </section>
      )}
    </>
  );
}
