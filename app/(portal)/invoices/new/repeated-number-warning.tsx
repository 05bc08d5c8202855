'use client';

import Link from 'next/link';
import { useEffect, useRef } from 'react';
import type { EarlierInvoice } from '@/lib/client/repeated-number';
import { useFormat, useT } from '@/lib/client/i18n';

/** Shown before an invoice number already sent to this customer is sent again; nothing is uploaded until the user chooses. */
export function RepeatedNumberWarning({ number, earlier, customer, onSendAgain, onChangeNumber }: { number: string; earlier: EarlierInvoice[]; customer: string; onSendAgain: () => void; onChangeNumber: () => void }) {
  const t = useT();
  const format = useFormat();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), [number]);
  return (
    <div ref={box} className="alert warn stack" role="alert" tabIndex={-1} data-testid="repeated-number-warning">
      <strong>{t('repeat.title', { number, customer })}</strong>
      <ul>
        {earlier.map((e) => (
          <li key={e.invoiceId}>
            <Link href={`/invoices/${e.invoiceId}`}>{e.number}</Link> — {t('repeat.earlier', { date: format.date(e.sentAt), amount: format.money(e.payable, e.currency) })}
          </li>
        ))}
      </ul>
      <p>{t('repeat.explain')}</p>
      <div className="row">
        <button type="button" onClick={onChangeNumber}>{t('repeat.change_number')}</button>
        <button type="button" className="secondary" onClick={onSendAgain}>{t('repeat.send_again')}</button>
      </div>
    </div>
  );
}
