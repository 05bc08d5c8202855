'use client';

import Link from 'next/link';
import { useState } from 'react';
import { ClaimLinkPanel } from '@/components/claim-link-panel';
import { ErrorAlert } from '@/components/form-field';
import { RequireUnlocked } from '@/components/require-unlocked';
import type { UnlockedOrg } from '@/lib/client/account';
import { useDescribeError, useFormat, useT } from '@/lib/client/i18n';
import { activeOrgOf, useKeys } from '@/lib/client/keys-context';
import { useProvisionalCustomers, type ProvisionalCustomer } from '@/lib/client/use-provisional-customers';
import type { MessageKey } from '@/lib/shared/i18n';
import { can } from '@/lib/shared/roles';

/** The supplier's customers without an account: show a link again, renew, revoke, invoice again (DESIGN §11). */
export function CustomersView() {
  const { activeOrgId } = useKeys();
  return <RequireUnlocked>{(account) => { const org = activeOrgOf(account, activeOrgId); return org ? <Customers key={org.orgId} org={org} /> : null; }}</RequireUnlocked>;
}

function Customers({ org }: { org: UnlockedOrg }) {
  const t = useT();
  const format = useFormat();
  const describeError = useDescribeError();
  const { customers, error, update } = useProvisionalCustomers(org);
  const [shown, setShown] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const mayChange = can(org.role, 'invoice.send');

  async function act(customer: ProvisionalCustomer, action: 'revoke' | 'renew') {
    if (action === 'revoke' && !window.confirm(t('customers.revoke_confirm', { name: customer.name }))) return;
    setFailure(null);
    try {
      const result = await update(customer.orgId, action);
      setNotice(action === 'revoke' ? t('customers.revoked', { name: customer.name }) : t('customers.renewed', { name: customer.name, date: format.date(result.expiresAt.slice(0, 10)) }));
      if (action === 'revoke' && shown === customer.orgId) setShown(null);
    } catch (err) {
      setFailure(describeError(err));
    }
  }

  if (error) return <ErrorAlert message={describeError(error)} />;
  if (!customers) return <p className="status" role="status">{t('view.opening')}</p>;
  if (customers.length === 0) return <p data-testid="customers-empty">{t('customers.none')}</p>;
  const visible = customers.find((c) => c.orgId === shown);
  return (
    <div className="stack">
      {notice && <p className="alert ok" role="status">{notice}</p>}
      <ErrorAlert message={failure} />
      <div className="table-scroll">
        <table data-testid="customers" style={{ minWidth: '44rem' }}>
          <thead>
            <tr><th>{t('customers.name')}</th><th>{t('customers.email')}</th><th>{t('customers.state')}</th><th>{t('customers.expires')}</th><th>{t('customers.actions')}</th></tr>
          </thead>
          <tbody>
            {customers.map((c) => (
              <tr key={c.orgId} data-customer={c.name}>
                <td>{c.name}</td>
                <td>{c.record?.email ?? '—'}</td>
                <td data-testid="customer-state">{t(`customers.state_${c.state}` as MessageKey)}</td>
                <td>{c.state === 'claimed' ? '—' : format.date(c.expiresAt.slice(0, 10))}</td>
                <td>
                  <div className="row" style={{ whiteSpace: 'nowrap' }}>
                    {c.state === 'open' && c.record && (
                      <button type="button" className="secondary small" aria-expanded={shown === c.orgId} onClick={() => setShown(shown === c.orgId ? null : c.orgId)}>
                        {shown === c.orgId ? t('customers.hide_link') : t('customers.show_link')}
                      </button>
                    )}
                    {c.state === 'open' && mayChange && <Link className="button secondary small" href={`/invoices/new?customer=${c.orgId}`}>{t('customers.new_invoice')}</Link>}
                    {c.state === 'expired' && mayChange && <button type="button" className="secondary small" onClick={() => act(c, 'renew')}>{t('customers.renew')}</button>}
                    {(c.state === 'open' || c.state === 'expired') && mayChange && <button type="button" className="danger small" onClick={() => act(c, 'revoke')}>{t('customers.revoke')}</button>}
                  </div>
                  {c.state === 'open' && !c.record && <p className="muted">{t('claimlink.unavailable')}</p>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {visible?.record && <ClaimLinkPanel customerName={visible.name} supplierName={org.name} link={visible.record.link} accessCode={visible.record.accessCode} expiresAt={visible.expiresAt} />}
    </div>
  );
}
