'use client';

import type { ReactNode } from 'react';
import { useFormat, useT } from '@/lib/client/i18n';
import type { InvoiceHeader } from '@/lib/shared/schemas/invoice';

/** The signed header's details as a list, for a member's invoice page and a guest's view alike; `children` come first (the number, or the supplier's safety number). */
export function InvoiceDetails({ header, children }: { header: InvoiceHeader; children?: ReactNode }) {
  const t = useT();
  const format = useFormat();
  const money = (value: string) => format.money(value, header.currency);
  return (
    <dl data-testid="invoice-details">
      {children}
      <dt>{t('view.issue_date')}</dt><dd><time dateTime={header.issueDate}>{format.date(header.issueDate)}</time></dd>
      <dt>{t('view.due_date')}</dt><dd><time dateTime={header.dueDate}>{format.date(header.dueDate)}</time></dd>
      <dt>{t('view.seller')}</dt><dd>{header.seller.name}{header.seller.vatId && t('view.vat', { id: header.seller.vatId })}</dd>
      <dt>{t('view.buyer')}</dt><dd>{header.buyer.name}{header.buyer.vatId && t('view.vat', { id: header.buyer.vatId })}</dd>
      <dt>{t('view.net')}</dt><dd>{money(header.amounts.net)}</dd>
      <dt>{t('view.tax')}</dt><dd>{money(header.amounts.tax)}</dd>
      <dt>{t('view.gross')}</dt><dd>{money(header.amounts.gross)}</dd>
      <dt>{t('view.payable')}</dt><dd><strong>{money(header.amounts.payable)}</strong></dd>
      {header.notes && <><dt>{t('view.notes')}</dt><dd style={{ whiteSpace: 'pre-wrap' }}>{header.notes}</dd></>}
    </dl>
  );
}
