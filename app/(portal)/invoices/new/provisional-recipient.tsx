'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { UnlockedOrg } from '@/lib/client/account';
import { api } from '@/lib/client/api';
import { createProvisionalCustomer } from '@/lib/client/claim';
import { useT } from '@/lib/client/i18n';
import { useProvisionalCustomers } from '@/lib/client/use-provisional-customers';
import type { OrgPublicKeys } from '@/lib/shared/invoice-dto';

/**
 * A customer without an account (DESIGN §11): one made before (its link still open), or a new one
 * made here in the browser from a company name, an e-mail address and an optional access code.
 * Either way the picker then checks and pins its keys like any recipient's.
 */
export function ProvisionalRecipient({ org, preselected, busy, onBusy, onError, onPicked }: {
  org: UnlockedOrg;
  preselected: string | null;
  busy: boolean;
  onBusy(busy: boolean): void;
  onError(error: unknown): void;
  onPicked(org: OrgPublicKeys, how: 'created' | 'chosen'): Promise<void>;
}) {
  const t = useT();
  const { customers } = useProvisionalCustomers(org);
  const open = (customers ?? []).filter((c) => c.state === 'open' && c.keys);
  const [choice, setChoice] = useState('');
  const picked = useRef(false);

  async function run(task: () => Promise<void>) {
    onBusy(true);
    onError(null);
    try {
      await task();
    } catch (err) {
      onError(err);
    }
    onBusy(false);
  }

  // Opened from the customers list ("New invoice"): that customer is chosen at once.
  useEffect(() => {
    const customer = open.find((c) => c.orgId === preselected);
    if (!customer || picked.current) return;
    picked.current = true;
    void run(() => onPicked(customer.keys!, 'chosen'));
  });

  function onUse() {
    const customer = open.find((c) => c.orgId === choice);
    if (customer) void run(() => onPicked(customer.keys!, 'chosen'));
  }

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const code = String(form.get('accessCode') ?? '').trim();
    void run(async () => {
      const made = await createProvisionalCustomer(org, { name: String(form.get('customerName') ?? '').trim(), email: String(form.get('customerEmail') ?? '').trim(), accessCode: code || null });
      await api(`/api/orgs/${org.orgId}/provisional`, { body: made.request });
      await onPicked(made.keys, 'created');
    });
  }

  return (
    <div className="stack">
      {open.length > 0 && (
        <div className="row align-end">
          <label>
            {t('provisional.existing')}
            <select value={choice} onChange={(e) => setChoice(e.currentTarget.value)}>
              <option value="">{t('provisional.existing_none')}</option>
              {open.map((c) => <option key={c.orgId} value={c.orgId}>{c.record ? `${c.name} <${c.record.email}>` : c.name}</option>)}
            </select>
          </label>
          <button type="button" className="secondary" disabled={busy || !choice} onClick={onUse}>{t('provisional.existing_use')}</button>
        </div>
      )}
      <form className="stack" onSubmit={onCreate} aria-labelledby="provisional-new-heading">
        <h3 id="provisional-new-heading">{t('provisional.new_heading')}</h3>
        <div className="row align-end">
          <label>
            {t('provisional.name')}
            <input name="customerName" required maxLength={120} autoComplete="organization" />
          </label>
          <label>
            {t('provisional.email')}
            <input name="customerEmail" type="email" required maxLength={254} autoComplete="off" />
          </label>
          <label>
            {t('provisional.code')}
            <input name="accessCode" maxLength={64} autoComplete="off" spellCheck={false} />
          </label>
          <button type="submit" className="secondary" disabled={busy}>{t('provisional.create')}</button>
        </div>
        <p className="muted">{t('provisional.code_hint')} {t('provisional.email_private')}</p>
      </form>
    </div>
  );
}
