'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '@/components/form-field';
import { InvoiceLifecycle, useVerifiedHistory } from '@/components/invoice-history';
import { statusLabel } from '@/components/invoice-list';
import { PaymentPanel } from '@/components/payment-panel';
import { RequireUnlocked } from '@/components/require-unlocked';
import type { UnlockedAccount } from '@/lib/client/account';
import { useDescribeError } from '@/lib/client/i18n';
import { useKeyring } from '@/lib/client/keys-context';
import { fetchInvoiceList, openInvoice, PROBLEM_TEXT, type OpenedInvoice } from '@/lib/client/open-invoice';
import { describeLookalike, hasNewIdentity, pinFirstContacts, recordSeenIdentity } from '@/lib/client/trust';
import { formatMoney } from '@/lib/shared/decimal';
import { DocumentPanel } from './document-panel';

export function InvoiceView({ id }: { id: string }) {
  return <RequireUnlocked>{(account) => <LoadedInvoice account={account} id={id} />}</RequireUnlocked>;
}

function LoadedInvoice({ account, id }: { account: UnlockedAccount; id: string }) {
  const describeError = useDescribeError();
  const [opened, setOpened] = useState<(OpenedInvoice & { newlyPinned: boolean; pinnedAt: string | null; box: 'inbox' | 'sent' }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { current: currentKeyring, updateKeyring } = useKeyring();
  const verified = opened?.header && opened.dek && opened.problems.length === 0 ? { ...opened, header: opened.header, dek: opened.dek } : null;
  const historyState = useVerifiedHistory(account, verified, opened?.box ?? 'inbox');

  useEffect(() => {
    let current = true;
    (async () => {
      const { list: data, malformed } = await fetchInvoiceList(`/api/invoices/${id}`);
      if (malformed.length) throw new Error('The server sent this invoice in a malformed form, so it is not shown. Do not pay or act on it.');
      const org = account.orgs.find((o) => o.orgId === data.viewerOrgId);
      const invoice = data.invoices[0];
      if (!org || !invoice) throw new Error('Your organization holds no key for this invoice.');
      const keyring = currentKeyring();
      const result = await openInvoice(invoice, data, org, keyring, invoice.supplierOrgId === org.orgId);
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
      if (current) setOpened({ ...result, newlyPinned, pinnedAt, box: invoice.customerOrgId === org.orgId ? 'inbox' : 'sent' });
    })().catch((err: unknown) => current && setError(describeError(err)));
    return () => {
      current = false;
    };
  }, [account, describeError, id, currentKeyring, updateKeyring]);

  if (error) return <><h1>Invoice</h1><ErrorAlert message={error} /></>;
  if (!opened) return <p className="status" role="status">Opening and verifying the invoice in your browser…</p>;
  const { header, invoice, supplier, customer } = opened;

  if (!header || opened.problems.length > 0) {
    return (
      <>
        <h1>Invoice could not be verified</h1>
        <div className="alert error" role="alert" data-testid="invoice-warning">
          <strong>Do not pay or act on this invoice.</strong> It failed these checks, so its content is not shown:
          <ul>{opened.problems.map((p) => <li key={p} data-problem={p}>{PROBLEM_TEXT[p]}</li>)}</ul>
          Contact {supplier?.name ?? 'the supplier'} by phone, using a number you already know, before doing anything with it.
        </div>
        <Link href={opened.box === 'inbox' ? '/inbox' : '/sent'}>Back to the list</Link>
      </>
    );
  }

  const money = (value: string) => formatMoney(value, header.currency);
  return (
    <>
      <h1>{header.type === 'credit-note' ? 'Credit note' : 'Invoice'} {header.number}</h1>
      <p className="muted">From <strong>{supplier?.name}</strong> to <strong>{customer?.name}</strong> · status: {historyState.history ? statusLabel(historyState.history.status) : 'checking the signed history…'}</p>
      {opened.box === 'inbox' && supplier && opened.lookalikes.map((l) => (
        <div key={l.orgId} className="alert error" role="alert" data-testid="impostor-warning">
          <strong>Possible impostor.</strong> {describeLookalike(supplier, l)} Do not pay before you have called {l.name} on a phone number you already know.
        </div>
      ))}
      {opened.box === 'inbox' && opened.neverPaid && (
        <p className="badge warn" data-testid="new-supplier">New supplier — never paid</p>
      )}
      <section className="panel" aria-labelledby="signature-heading">
        <h2 id="signature-heading">Signature</h2>
        <p className="alert ok" role="status" data-testid="signature-status">
          ✓ Valid signature by a certified member of {supplier?.name} (account name: {opened.signer?.displayName}).{' '}
          {opened.box === 'sent'
            ? 'Signed by your organization.'
            : opened.newlyPinned
              ? 'First invoice from this supplier: its keys are now pinned.'
              : `The supplier’s keys match the ones pinned on ${opened.pinnedAt ? new Date(opened.pinnedAt).toLocaleString() : 'first contact'}.`}
        </p>
        <dl>
          <dt>Supplier safety number</dt><dd className="fingerprint" data-testid="supplier-fingerprint">{opened.supplierFingerprint}</dd>
          <dt>Signing key id</dt><dd><code>{opened.signer?.keyId}</code></dd>
          <dt>Signed</dt><dd>{new Date(invoice.manifest.createdAt).toLocaleString()}</dd>
        </dl>
      </section>
      <section className="panel" aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <dl data-testid="invoice-details">
          <dt>Invoice number</dt><dd>{header.number}</dd>
          <dt>Issue date</dt><dd>{header.issueDate}</dd>
          <dt>Due date</dt><dd>{header.dueDate}</dd>
          <dt>Seller</dt><dd>{header.seller.name}{header.seller.vatId && ` (VAT ${header.seller.vatId})`}</dd>
          <dt>Buyer</dt><dd>{header.buyer.name}{header.buyer.vatId && ` (VAT ${header.buyer.vatId})`}</dd>
          <dt>Net</dt><dd>{money(header.amounts.net)}</dd>
          <dt>Tax</dt><dd>{money(header.amounts.tax)}</dd>
          <dt>Gross</dt><dd>{money(header.amounts.gross)}</dd>
          <dt>Amount payable</dt><dd><strong>{money(header.amounts.payable)}</strong></dd>
          {header.notes && <><dt>Notes</dt><dd style={{ whiteSpace: 'pre-wrap' }}>{header.notes}</dd></>}
        </dl>
      </section>
      <PaymentPanel opened={{ ...opened, header }} viewer={opened.box === 'inbox' ? 'customer' : 'supplier'} history={historyState.history} />
      <section className="panel stack" aria-labelledby="documents-heading">
        <h2 id="documents-heading">Documents</h2>
        {header.documents.length === 0 && <p className="muted">This invoice has no documents.</p>}
        {header.documents.map((doc) => (
          <DocumentPanel key={doc.fileId} invoiceId={invoice.id} dek={opened.dek!} document={doc} />
        ))}
      </section>
      <InvoiceLifecycle account={account} opened={{ ...opened, header, dek: opened.dek! }} box={opened.box} state={historyState} />
    </>
  );
}
