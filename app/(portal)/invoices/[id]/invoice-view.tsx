'use client';

import Link from 'next/link';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ErrorAlert } from '@/components/form-field';
import { availableActions, InvoiceActions, type ActionId } from '@/components/invoice-actions';
import { InvoiceHistory } from '@/components/invoice-history';
import { PaymentPanel } from '@/components/payment-panel';
import { UnlessMembershipBlocked } from '@/components/membership-banner';
import { RequireUnlocked } from '@/components/require-unlocked';
import type { UnlockedAccount } from '@/lib/client/account';
import { useDescribeError, useFormat, useT } from '@/lib/client/i18n';
import { FastKeyQueue } from '@/lib/client/fast-key-queue';
import { useKeyring } from '@/lib/client/keys-context';
import { fetchInvoiceList, openInvoice, type OpenedInvoice } from '@/lib/client/open-invoice';
import { can } from '@/lib/shared/roles';
import { replayPayments } from '@/lib/client/payments';
import { isOverdue, localDate } from '@/lib/client/summary';
import { checkPayee, describeLookalike, followKeyRotations, hasNewIdentity, payeeNeedsWarning, pinFirstContacts, recordSeenIdentity } from '@/lib/client/trust';
import { useInvoiceHistory } from '@/lib/client/use-invoice-history';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';
import { ClaimLinkSection } from './claim-link-section';
import { AttachedEInvoicesSection, EInvoiceMismatchAlert, useAttachedEInvoices } from '@/components/attached-einvoices';
import { DocumentPanel } from '@/components/document-panel';
import { InvoiceDetails } from '@/components/invoice-details';
import { SummaryCard } from './summary-card';


type Opened = OpenedInvoice & { newlyPinned: boolean; pinnedAt: string | null; box: 'inbox' | 'sent'; rotations: { org: string; epoch: number; at: string }[] };
type Verified = Opened & { header: InvoiceHeader; dek: Uint8Array };

export function InvoiceView({ id }: { id: string }) {
  return <RequireUnlocked>{(account) => <LoadedInvoice account={account} id={id} />}</RequireUnlocked>;
}

function LoadedInvoice({ account, id }: { account: UnlockedAccount; id: string }) {
  const describeError = useDescribeError();
  const t = useT();
  const [opened, setOpened] = useState<Opened | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { current: currentKeyring, updateKeyring } = useKeyring();

  useEffect(() => {
    let current = true;
    (async () => {
      const { list: data, malformed } = await fetchInvoiceList(`/api/invoices/${id}`);
      if (malformed.length) throw new Error(t('view.malformed'));
      const org = account.orgs.find((o) => o.orgId === data.viewerOrgId);
      const invoice = data.invoices[0];
      if (!org || !invoice) throw new Error(t('view.no_key'));
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
  }, [account, describeError, t, id, currentKeyring, updateKeyring]);

  if (error) return <><h1>{t('view.invoice')}</h1><ErrorAlert message={error} /></>;
  if (!opened) return <p className="status" role="status">{t('view.opening')}</p>;
  const { header, supplier } = opened;
  if (!header || !opened.dek || opened.problems.length > 0) {
    return (
      <>
        <h1>{t('view.not_verified')}</h1>
        <div className="alert error" role="alert" data-testid="invoice-warning">
          <strong>{t('view.do_not_pay')}</strong> {t('view.failed_checks')}
          <ul>{opened.problems.map((p) => <li key={p} data-problem={p}>{t(`problem.${p}`)}</li>)}</ul>
          {supplier?.name ? t('view.contact', { supplier: supplier.name }) : t('view.contact_unknown')}
        </div>
        <Link href={opened.box === 'inbox' ? '/inbox' : '/sent'}>{t('view.back')}</Link>
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
  const t = useT();
  const format = useFormat();
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
  const { keyring } = useKeyring();

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const payments = useMemo(() => (history ? replayPayments(history.events, header) : null), [history, header]);
  const money = (value: string) => format.money(value, header.currency);

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
  const einvoiceDisagrees = einvoices.differences.length > 0 || (header.einvoiceMismatches?.length ?? 0) > 0;
  const caution = !!history?.blocked || (party === 'customer' && (opened.lookalikes.length > 0 || einvoiceDisagrees || payeeNeedsWarning(checkPayee(keyring, invoice.supplierOrgId, header.payment.iban, opened.lookalikes))));
  const counterparty = (party === 'customer' ? supplier?.name : customer?.name) ?? '';
  return (
    <>
      <div className="row">
        <h1 style={{ marginRight: 'auto' }}>{t(header.type === 'credit-note' ? 'view.heading_credit' : 'view.heading', { number: header.number })}</h1>
        <button type="button" className="secondary no-print" onClick={() => window.print()}>{t('view.print')}</button>
      </div>
      {history && payments ? (
        <SummaryCard header={header} status={status} party={party} counterparty={counterparty} payments={payments}
          overdue={isOverdue({ status, updatedAt: invoice.updatedAt, header }, today)} actions={actions} caution={caution}
          verificationOpen={verificationOpen} onToggleVerification={() => setVerificationOpen((o) => !o)}
          onPay={onPay} onAction={(id) => setRequested((r) => ({ id, n: (r?.n ?? 0) + 1 }))} />
      ) : (
        error ? <ErrorAlert message={error} /> : <p className="status" role="status">{t('view.checking_history')}</p>
      )}
      {opened.box === 'sent' && org && <ClaimLinkSection org={org} customerOrgId={invoice.customerOrgId} invoice={{ number: header.number, amount: money(header.amounts.payable) }} />}
      {opened.box === 'inbox' && supplier && opened.lookalikes.map((l) => (
        <div key={l.orgId} className="alert error" role="alert" data-testid="impostor-warning">
          <strong>{t('view.impostor_lead')}</strong> {describeLookalike(supplier, l, t)} {t('view.impostor_call', { name: l.name })}
        </div>
      ))}
      {opened.box === 'inbox' && opened.neverPaid && <p className="badge warn" data-testid="new-supplier">{t('list.never_paid')}</p>}
      <section id="verification" className="panel" aria-labelledby="verification-heading" hidden={!verificationOpen}>
        <h2 id="verification-heading">{t('view.verification')}</h2>
        <p className="alert ok" role="status" data-testid="signature-status">
          {t('view.valid_signature', { supplier: supplier?.name ?? '', signer: opened.signer?.displayName ?? '' })}{' '}
          {opened.box === 'sent' ? t('view.own_org') : opened.newlyPinned ? t('view.newly_pinned') : t('view.pinned_on', { when: opened.pinnedAt ? format.dateTime(opened.pinnedAt) : t('view.first_contact') })}
        </p>
        {opened.rotations.map((r) => <p key={r.epoch} className="status" data-testid="keys-rotated">{t('view.keys_rotated', { org: r.org, epoch: r.epoch, when: format.dateTime(r.at) })}</p>)}
        <dl>
          <dt>{t('view.safety_number')}</dt><dd className="fingerprint" data-testid="supplier-fingerprint">{opened.supplierFingerprint}</dd>
          <dt>{t('view.key_id')}</dt><dd><code>{opened.signer?.keyId}</code></dd>
          <dt>{t('view.signed')}</dt><dd>{format.dateTime(invoice.manifest.createdAt)}</dd>
        </dl>
      </section>
      <EInvoiceMismatchAlert attached={einvoices} header={header} viewer={party} />
      <section className="panel" aria-labelledby="details-heading">
        <h2 id="details-heading">{t('view.details')}</h2>
        <InvoiceDetails header={header}>
          <dt>{t('view.number')}</dt><dd>{header.number}</dd>
        </InvoiceDetails>
      </section>
      <div ref={paymentRef}>
        {party === 'customer' && einvoiceDisagrees && !paymentUnblocked ? (
          <section className="panel stack" aria-label={t('view.payment_withheld')}>
            <p>{t('view.payment_withheld_text')}</p>
            <button type="button" className="secondary" onClick={() => setPaymentUnblocked(true)}>{t('view.payment_unblock')}</button>
          </section>
        ) : (
          /* The panel follows the verified history's status, never the server's. */
          <PaymentPanel opened={opened} viewer={party} history={history} />
        )}
      </div>
      <AttachedEInvoicesSection attached={einvoices} />
      {history && payments && org && (
        <>
          <InvoiceHistory opened={opened} history={history} payments={payments} notice={notice?.text ?? null} noticeRef={noticeRef} rotations={opened.rotations} />
          {history.blocked ? null : can(org.role, 'invoice.act') ? (
            <UnlessMembershipBlocked account={account} org={org}>
              <InvoiceActions key={history.lastEventId ?? 'none'} account={account} org={org} opened={opened} party={party} history={history} payments={payments} requested={requested} onDone={onDone} />
            </UnlessMembershipBlocked>
          ) : (
            <ReadOnlyRole />
          )}
        </>
      )}
      <section className="panel stack" aria-labelledby="documents-heading">
        <h2 id="documents-heading">{t('view.documents')}</h2>
        {header.documents.length === 0 && <p className="muted">{t('view.no_documents')}</p>}
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
