'use client';

import { useState, type FormEvent } from 'react';
import { ErrorAlert } from '@/components/form-field';
import { RichText } from '@/components/rich-text';
import { rememberBuyerIds } from '@/lib/client/customer-ids';
import { useDescribeError, useT } from '@/lib/client/i18n';
import { describeBuyerIdentifier } from '@/lib/einvoice/buyer';
import type { OrgPublicKeys } from '@/lib/shared/invoice-dto';
import type { Recipient } from '../new/recipient-picker';
import type { BulkItem, Buyer } from './bulk-queue';
import { assignCustomer, type KeyringAccess } from './customer-lookup';

/** The customer an item goes to; `keys` when they were just looked up and checked on this page. */
export interface Customer {
  orgId: string;
  name: string;
  handle: string;
  keys?: OrgPublicKeys;
}

/** One question per buyer not matched to a customer, however many of its invoices are queued. */
export function BuyerAssignments({ items, ownOrgId, keys, disabled, onAssigned }: { items: readonly BulkItem[]; ownOrgId: string; keys: KeyringAccess; disabled: boolean; onAssigned: (buyerKey: string, recipient: Recipient) => void }) {
  const t = useT();
  const buyers = new Map<string, { buyer: Buyer; count: number }>();
  for (const item of items) {
    if (!item.buyer) continue;
    const entry = buyers.get(item.buyer.key) ?? { buyer: item.buyer, count: 0 };
    entry.count++;
    buyers.set(item.buyer.key, entry);
  }
  if (buyers.size === 0) return null;
  return (
    <section className="panel stack" aria-labelledby="bulk-customers-heading" data-testid="bulk-buyers">
      <h2 id="bulk-customers-heading">{t('bulk.customers_heading')}</h2>
      <p className="muted">{t('bulk.customers_intro')}</p>
      {[...buyers.values()].map(({ buyer, count }) => (
        <BuyerAssignment key={buyer.key} buyer={buyer} count={count} ownOrgId={ownOrgId} keys={keys} disabled={disabled} onAssigned={(r) => onAssigned(buyer.key, r)} />
      ))}
    </section>
  );
}

function BuyerAssignment({ buyer, count, ownOrgId, keys, disabled, onAssigned }: { buyer: Buyer; count: number; ownOrgId: string; keys: KeyringAccess; disabled: boolean; onAssigned: (recipient: Recipient) => void }) {
  const t = useT();
  const describeError = useDescribeError();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = buyer.name || t('bulk.buyer_unnamed');
  const ids = buyer.ids.map((id) => {
    const { kind, value } = describeBuyerIdentifier(id);
    return t(`bulk.id.${kind}`, { value });
  });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const handle = String(new FormData(event.currentTarget).get('handle') ?? '').trim();
    if (!handle) return;
    setError(null);
    setBusy(true);
    try {
      onAssigned(await assignCustomer(handle, ownOrgId, keys, (keyring, orgId) => rememberBuyerIds(orgId, buyer.ids)(keyring)));
    } catch (err) {
      setError(describeError(err));
    }
    setBusy(false);
  }

  return (
    <form className="stack" onSubmit={onSubmit} data-testid="bulk-buyer" aria-label={name}>
      <p>
        <RichText text={buyer.ids.length ? t('bulk.buyer', { name, ids: ids.join(', '), count }) : t('bulk.buyer_no_ids', { name, count })} />
      </p>
      <div className="row">
        <label>
          {t('bulk.handle_for', { name })}
          <input name="handle" placeholder={t('recipient.placeholder')} autoComplete="off" spellCheck={false} required disabled={disabled || busy} />
        </label>
        <button type="submit" className="secondary" disabled={disabled || busy}>{t('bulk.assign')}</button>
      </div>
      <ErrorAlert message={error} />
    </form>
  );
}
