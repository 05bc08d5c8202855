'use client';

import Link from 'next/link';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ErrorAlert } from '@/components/form-field';
import { availableActions, InvoiceActions, type ActionId } from '@/components/invoice-actions';
import { InvoiceHistory } from '@/components/invoice-history';
import { PaymentPanel } from '@/components/payment-panel';
import { RequireUnlocked } from '@/components/require-unlocked';
import type { UnlockedAccount } from '@/lib/client/account';
import { useDescribeError, useT } from '@/lib/client/i18n';
import { FastKeyQueue } from '@/lib/client/fast-key-queue';
import { useKeyring } from '@/lib/client/keys-context';
import { fetchInvoiceList, openInvoice, PROBLEM_TEXT, type OpenedInvoice } from '@/lib/client/open-invoice';
import { can } from '@/lib/shared/roles';
import { replayPayments } from '@/lib/client/payments';
import { isOverdue, localDate } from '@/lib/client/summary';
import { describeLookalike, followKeyRotations, hasNewIdentity, pinFirstContacts, recordSeenIdentity } from '@/lib/client/trust';
import { useInvoiceHistory } from '@/lib/client/use-invoice-history';
import { formatMoney } from '@/lib/shared/decimal';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';
import { AttachedEInvoicesSection, EInvoiceMismatchAlert, useAttachedEInvoices } from './attached-einvoices';
import { DocumentPanel } from './document-panel';
import { SummaryCard } from './summary-card';

const TEXT = {
  heading: (type: InvoiceHeader['type'], number: string) => `${type === 'credit-note' ? 'Credit note' : 'Invoice'} ${number}`,
  opening: 'Opening and verifying the invoice in your browser…',
  checkingHistory: 'Checking the invoice history…',
  notVerified: 'Invoice could not be verified',
  doNotPay: 'Do not pay or act on this invoice.',
  failedChecks: 'It failed these checks, so its content is not shown:',
  contact: (supplier: string) => `Contact ${supplier} by phone, using a number you already know, before doing anything with it.`,
  back: 'Back to the list',
  print: 'Print',
  verification: 'Verification',
  validSignature: (supplier: string, signer: string) => `✓ Valid signature by a certified member of ${supplier} (account name: ${signer}).`,
  ownOrg: 'Signed by your organization.',
  newlyPinned: 'First invoice from this supplier: its keys are now pinned.',
  pinnedOn: (when: string) => `The supplier’s keys match the ones pinned on ${when}.`,
  firstContact: 'first contact',
  keysRotated: (org: string, epoch: number, when: string) => `Keys rotated by ${org} on ${when} (key version ${epoch}): the new keys are signed by the ones pinned before.`,
  safetyNumber: 'Supplier safety number',
  keyId: 'Signing key id',
  signed: 'Signed',
  details: 'Details',
  labels: { number: 'Invoice number', issueDate: 'Issue date', dueDate: 'Due date', seller: 'Seller', buyer: 'Buyer', net: 'Net', tax: 'Tax', gross: 'Gross', payable: 'Amount payable', notes: 'Notes' },
  vat: (id: string) => ` (VAT ${id})`,
  documents: 'Documents',
  noDocuments: 'This invoice has no documents.',
  noKey: 'Your organization holds no key for this invoice.',
  malformed: 'The server sent this invoice in a malformed form, so it is not shown. Do not pay or act on it.',
  impostorLead: 'Possible impostor.',
  impostorCall: (name: string) => `Do not pay before you have called ${name} on a phone number you already know.`,
  newSupplier: 'New supplier — never paid',
};

type Opened = OpenedInvoice & { newlyPinned: boolean; pinnedAt: string | null; box: 'inbox' | 'sent'; rotations: { org: string; epoch: number; at: string }[] };
type Verified = Opened & { header: InvoiceHeader; dek: Uint8Array };

export function InvoiceView({ id }: { id: string }) {
  return <RequireUnlocked>{(account) => <LoadedInvoice account={account} id={id} />}</RequireUnlocked>;
}

function LoadedInvoice({ account, id }: { account: UnlockedAccount; id: string }) {
  const describeError = useDescribeError();
  const [opened, setOpened] = useState<Opened | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { current: currentKeyring, updateKeyring } = useKeyring();

  useEffect(() => {
    let current = true;
    (async () => {
      const { list: data, malformed } = await fetchInvoiceList(`/api/invoices/${id}`);
      if (malformed.length) throw new Error(TEXT.malformed);
      const org = account.orgs.find((o) => o.orgId === data.viewerOrgId);
      const invoice = data.invoices[0];
      if (!org || !invoice) throw new Error(TEXT.noKey);
      // A pinned counterparty that rotated its keys with valid succession records is followed first (§3.3).
      await followKeyRotations(Object.values(data.orgs), currentKeyring, updateKeyring);
      const keyring = currentKeyring();
      // The org's fast-path copy, if this was an HPKE open, goes out on the queue's own timer.
      const result = await openInvoice(invoice, data, org, keyring, invoice.supplierOrgId === org.orgId, undefined, new FastKeyQueue());
      const newlyPinned = result.supplierPin === 'new' && result.problems.length === 0 && !!result.supplier;
      const supplier = result.supplier;
      const seen = result.supplierSeen;
      if (supplier && seen && (newlyPinned || hasNewIdentity(keyring, supplier.orgId, seen))) {
        await updateKeyring((k) => {
          if (newlyPinned) pinFirstContacts([{ org: supplier, fingerprint: result.supplierFingerprint! }])(k);
          recordSeenIdentity([{ orgId: supplier.orgId, seen }])(k);
        });
      }
      const pinnedAt = supplier ? (currentKeyring().orgs[supplier.orgId]?.pinnedAt ?? null) : null;
      // Rotations this browser followed for the counterparty, shown beside the verification.
      const counterparty = invoice.customerOrgId === org.orgId ? result.supplier : result.customer;
      const rotations = counterparty ? (currentKeyring().orgs[counterparty.orgId]?.rotations ?? []).map((r) => ({ org: counterparty.name, epoch: r.epoch, at: r.at })) : [];
      if (current) setOpened({ ...result, newlyPinned, pinnedAt, rotations, box: invoice.customerOrgId === org.orgId ? 'inbox' : 'sent' });
    })().catch((err: unknown) => current && setError(describeError(err)));
    return () => {
      current = false;
    };
  }, [account, describeError, id, currentKeyring, updateKeyring]);

  if (error) return <><h1>Invoice</h1><ErrorAlert message={error} /></>;
  if (!opened) return <p className="status" role="status">{TEXT.opening}</p>;
  const { header, supplier } = opened;
  if (!header || !opened.dek || opened.problems.length > 0) {
    return (
      <>
        <h1>{TEXT.notVerified}</h1>
        <div className="alert error" role="alert" data-testid="invoice-warning">
          <strong>{TEXT.doNotPay}</strong> {TEXT.failedChecks}
          <ul>{opened.problems.map((p) => <li key={p} data-problem={p}>{PROBLEM_TEXT[p]}</li>)}</ul>
          {TEXT.contact(supplier?.name ?? 'the supplier')}
        </div>
        <Link href={opened.box === 'inbox' ? '/inbox' : '/sent'}>{TEXT.back}</Link>
      </>
    );
  }
  return <VerifiedInvoice account={account} opened={{ ...opened, header, dek: opened.dek }} />;
}

/**
 * A verified invoice, led by what a finance clerk needs: the summary card (amount due, due date,
 * status, the other party, the next action), then details, payment, history and actions, and the
 * documents last. Status everywhere comes from the verified history (useInvoiceHistory).
 */
function VerifiedInvoice({ account, opened }: { account: UnlockedAccount; opened: Verified }) {
  const { header, invoice, supplier, customer, dek } = opened;
  const party = opened.box === 'inbox' ? 'customer' : 'supplier';
  const org = account.orgs.find((o) => o.orgId === (party === 'customer' ? invoice.customerOrgId : invoice.supplierOrgId));
  const forEvents = useMemo(() => ({ invoiceId: invoice.id, supplierOrgId: invoice.supplierOrgId, customerOrgId: invoice.customerOrgId, dek, header }), [invoice, dek, header]);
  const { history, error, refresh } = useInvoiceHistory(account, org, forEvents, party);
  const [verificationOpen, setVerificationOpen] = useState(false);
  const [requested, setRequested] = useState<{ id: ActionId; n: number } | null>(null);
  const [notice, setNotice] = useState<{ text: string; n: number } | null>(null);
  const [today] = useState(() => localDate(new Date()));
  const [paymentUnblocked, setPaymentUnblocked] = useState(false);
  const forEInvoices = useMemo(() => ({ invoiceId: invoice.id, dek, header }), [invoice.id, dek, header]);
  const einvoices = useAttachedEInvoices(forEInvoices);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  const paymentRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const payments = useMemo(() => (history ? replayPayments(history.events, header) : null), [history, header]);
  const money = (value: string) => formatMoney(value, header.currency);

  async function onDone(text: string) {
    // Cleared first, so the actions panel that the new history re-creates does not reopen a form.
    setRequested(null);
    await refresh();
    setNotice((n) => ({ text, n: (n?.n ?? 0) + 1 }));
  }

  function onPay() {
    const panel = paymentRef.current;
    const heading = panel?.querySelector<HTMLElement>('h2');
    heading?.setAttribute('tabindex', '-1');
    heading?.scrollIntoView({ block: 'start' });
    heading?.focus();
  }

  const status = history?.status ?? invoice.status;
  const actions = history && payments && !history.blocked ? availableActions(history.status, party, header, payments) : [];
  const counterparty = (party === 'customer' ? supplier?.name : customer?.name) ?? '';
  return (
    <>
      <div className="row">
        <h1 style={{ marginRight: 'auto' }}>{TEXT.heading(header.type, header.number)}</h1>
        <button type="button" className="secondary no-print" onClick={() => window.print()}>{TEXT.print}</button>
      </div>
      {history && payments ? (
        <SummaryCard header={header} status={status} party={party} counterparty={counterparty} payments={payments}
          overdue={isOverdue({ status, updatedAt: invoice.updatedAt, header }, today)} actions={actions}
          verificationOpen={verificationOpen} onToggleVerification={() => setVerificationOpen((o) => !o)}
          onPay={onPay} onAction={(id) => setRequested((r) => ({ id, n: (r?.n ?? 0) + 1 }))} />
      ) : (
        error ? <ErrorAlert message={error} /> : <p className="status" role="status">{TEXT.checkingHistory}</p>
      )}
      {opened.box === 'inbox' && supplier && opened.lookalikes.map((l) => (
        <div key={l.orgId} className="alert error" role="alert" data-testid="impostor-warning">
          <strong>{TEXT.impostorLead}</strong> {describeLookalike(supplier, l)} {TEXT.impostorCall(l.name)}
        </div>
      ))}
      {opened.box === 'inbox' && opened.neverPaid && <p className="badge warn" data-testid="new-supplier">{TEXT.newSupplier}</p>}
      <section id="verification" className="panel" aria-labelledby="verification-heading" hidden={!verificationOpen}>
        <h2 id="verification-heading">{TEXT.verification}</h2>
        <p className="alert ok" role="status" data-testid="signature-status">
          {TEXT.validSignature(supplier?.name ?? '', opened.signer?.displayName ?? '')}{' '}
          {opened.box === 'sent' ? TEXT.ownOrg : opened.newlyPinned ? TEXT.newlyPinned : TEXT.pinnedOn(opened.pinnedAt ? new Date(opened.pinnedAt).toLocaleString() : TEXT.firstContact)}
        </p>
        {opened.rotations.map((r) => <p key={r.epoch} className="status" data-testid="keys-rotated">{TEXT.keysRotated(r.org, r.epoch, new Date(r.at).toLocaleString())}</p>)}
        <dl>
          <dt>{TEXT.safetyNumber}</dt><dd className="fingerprint" data-testid="supplier-fingerprint">{opened.supplierFingerprint}</dd>
          <dt>{TEXT.keyId}</dt><dd><code>{opened.signer?.keyId}</code></dd>
          <dt>{TEXT.signed}</dt><dd>{new Date(invoice.manifest.createdAt).toLocaleString()}</dd>
        </dl>
      </section>
      <EInvoiceMismatchAlert attached={einvoices} header={header} viewer={party} />
      <section className="panel" aria-labelledby="details-heading">
        <h2 id="details-heading">{TEXT.details}</h2>
        <dl data-testid="invoice-details">
          <dt>{TEXT.labels.number}</dt><dd>{header.number}</dd>
          <dt>{TEXT.labels.issueDate}</dt><dd>{header.issueDate}</dd>
          <dt>{TEXT.labels.dueDate}</dt><dd>{header.dueDate}</dd>
          <dt>{TEXT.labels.seller}</dt><dd>{header.seller.name}{header.seller.vatId && TEXT.vat(header.seller.vatId)}</dd>
          <dt>{TEXT.labels.buyer}</dt><dd>{header.buyer.name}{header.buyer.vatId && TEXT.vat(header.buyer.vatId)}</dd>
          <dt>{TEXT.labels.net}</dt><dd>{money(header.amounts.net)}</dd>
          <dt>{TEXT.labels.tax}</dt><dd>{money(header.amounts.tax)}</dd>
          <dt>{TEXT.labels.gross}</dt><dd>{money(header.amounts.gross)}</dd>
          <dt>{TEXT.labels.payable}</dt><dd><strong>{money(header.amounts.payable)}</strong></dd>
          {header.notes && <><dt>{TEXT.labels.notes}</dt><dd style={{ whiteSpace: 'pre-wrap' }}>{header.notes}</dd></>}
        </dl>
      </section>
      <div ref={paymentRef}>
        {party === 'customer' && (einvoices.differences.length > 0 || (header.einvoiceMismatches?.length ?? 0) > 0) && !paymentUnblocked ? (
          <section className="panel stack" aria-label="Payment withheld">
            <p>Payment details are withheld until you have checked the differences above with the supplier.</p>
            <button type="button" className="secondary" onClick={() => setPaymentUnblocked(true)}>I confirmed the payment details with the supplier — show them</button>
          </section>
        ) : (
          /* The panel follows the verified history's status, never the server's. */
          <PaymentPanel opened={opened} viewer={party} history={history} />
        )}
      </div>
      <AttachedEInvoicesSection attached={einvoices} />
      {history && payments && org && (
        <>
          <InvoiceHistory opened={opened} history={history} payments={payments} notice={notice?.text ?? null} noticeRef={noticeRef} />
          {history.blocked ? null : can(org.role, 'invoice.act') ? (
            <InvoiceActions key={history.lastEventId ?? 'none'} account={account} org={org} opened={opened} party={party} history={history} payments={payments} requested={requested} onDone={onDone} />
          ) : (
            <ReadOnlyRole />
          )}
        </>
      )}
      <section className="panel stack" aria-labelledby="documents-heading">
        <h2 id="documents-heading">{TEXT.documents}</h2>
        {header.documents.length === 0 && <p className="muted">{TEXT.noDocuments}</p>}
        {header.documents.map((doc) => (
          <DocumentPanel key={doc.fileId} invoiceId={invoice.id} dek={dek} document={doc} />
        ))}
      </section>
    </>
  );
}

/** A viewer reads the invoice but gets no actions: the server would refuse them too (403). */
function ReadOnlyRole() {
  const t = useT();
  return <p className="alert warn" role="note" data-testid="read-only-role">{t('error.role_cannot_act')}</p>;
}
