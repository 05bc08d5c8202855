'use client';

import Link from 'next/link';
import { useFormat, useT } from '@/lib/client/i18n';
import type { Translate } from '@/lib/shared/i18n';
import { issueMessage } from '@/lib/shared/i18n/errors';
import type { BulkItem, ItemState } from './bulk-queue';
import type { Customer } from './buyer-assignments';

function describeState(state: ItemState, t: Translate, hasCustomer: boolean): string {
  switch (state.kind) {
    case 'reading': return t('bulk.state.reading');
    case 'unreadable': return t('bulk.state.unreadable', { reason: t(`einv.read.${state.code}`) });
    case 'invalid': return t('bulk.state.invalid', { rules: state.rules.join(', ') });
    case 'unsendable': return t('bulk.state.unsendable', { reasons: state.issues.map((m) => issueMessage(t, m)).join(' ') });
    case 'ready': return hasCustomer ? t('bulk.state.ready') : t('bulk.state.waiting_customer');
    case 'checking': return t('bulk.state.checking');
    case 'sending': return t('bulk.state.sending', { percent: state.percent });
    case 'sent': return t('bulk.state.sent');
    case 'skipped': return t('bulk.state.skipped');
    case 'failed': return t('bulk.state.failed', { reason: state.reason });
    case 'stopped': return t('bulk.state.stopped');
  }
}

const TONE: Partial<Record<ItemState['kind'], string>> = { sent: 'ok', skipped: 'ok', unreadable: 'error', invalid: 'error', unsendable: 'error', failed: 'error', stopped: 'warn' };

/** Each dropped file: what it is, whom it goes to, and where it stands. */
export function QueueTable({ items, customerOf, running, onRemove, onChangeCustomer }: { items: readonly BulkItem[]; customerOf: (item: BulkItem) => Customer | null; running: boolean; onRemove: (key: string) => void; onChangeCustomer: (buyerKey: string) => void }) {
  const t = useT();
  const format = useFormat();
  return (
    <table className="cards" data-testid="bulk-queue">
      <caption className="visually-hidden">{t('bulk.queue_caption')}</caption>
      <thead>
        <tr><th scope="col">{t('bulk.col.file')}</th><th scope="col">{t('bulk.col.invoice')}</th><th scope="col">{t('bulk.col.customer')}</th><th scope="col">{t('bulk.col.state')}</th><th scope="col"><span className="visually-hidden">{t('documents.remove')}</span></th></tr>
      </thead>
      <tbody>
        {items.map((item) => {
          const customer = customerOf(item);
          const { header, state } = item;
          const idle = !running && (state.kind === 'ready' || state.kind === 'failed' || state.kind === 'stopped');
          return (
            <tr key={item.key} data-testid="bulk-item" data-state={state.kind} data-file={item.file.name}>
              <td className="title" data-label={t('bulk.col.file')}>{item.file.name}</td>
              <td data-label={t('bulk.col.invoice')}>
                {header ? (
                  <span>
                    {header.type === 'credit-note' ? t('bulk.credit_note', { number: header.number }) : t('bulk.invoice', { number: header.number })}
                    {' · '}{format.money(header.amounts.payable, header.currency)}{' · '}{header.buyer.name}
                  </span>
                ) : null}
              </td>
              <td data-label={t('bulk.col.customer')} data-testid="bulk-customer">
                {item.buyer && customer ? <span><strong>{customer.name}</strong>{idle && item.buyer && <> <button type="button" className="secondary small" onClick={() => onChangeCustomer(item.buyer!.key)}>{t('bulk.change')}</button></>}</span> : item.buyer && state.kind === 'ready' ? <span className="muted">{t('bulk.customer_unknown')}</span> : null}
              </td>
              <td data-label={t('bulk.col.state')} data-testid="bulk-state">
                <span className={TONE[state.kind] ? `badge ${TONE[state.kind]}` : undefined}>{describeState(state, t, Boolean(customer))}</span>
                {state.kind === 'sending' && <progress max={100} value={state.percent} aria-label={t('new.progress_of', { name: item.file.name })} />}
                {(state.kind === 'sent' || state.kind === 'skipped') && <> <Link href={`/invoices/${state.invoiceId}`}>{t('bulk.open')}</Link></>}
              </td>
              <td>{!running && state.kind !== 'sending' && <button type="button" className="secondary small" aria-label={t('bulk.remove', { name: item.file.name })} onClick={() => onRemove(item.key)}>{t('documents.remove')}</button>}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
