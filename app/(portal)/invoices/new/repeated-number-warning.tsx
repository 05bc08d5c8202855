'use client';

import Link from 'next/link';
import { useEffect, useRef } from 'react';
import type { EarlierInvoice } from '@/lib/client/repeated-number';
import { formatMoney } from '@/lib/shared/decimal';

const TEXT = {
  title: (number: string, customer: string) => `You already sent number ${number} to ${customer}.`,
  earlier: (date: string, amount: string) => `sent on ${date}, ${amount}`,
  explain: 'Sending it again gives the customer two invoices with the same number, which their accounting may pay twice or refuse. Send it again only if this is meant as a copy.',
  sendAgain: 'Send again with the same number',
  changeNumber: 'Change the number',
};

/** Shown before an invoice number already sent to this customer is sent again; nothing is uploaded until the user chooses. */
export function RepeatedNumberWarning({ number, earlier, customer, onSendAgain, onChangeNumber }: { number: string; earlier: EarlierInvoice[]; customer: string; onSendAgain: () => void; onChangeNumber: () => void }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), [number]);
  return (
    <div ref={box} className="alert warn stack" role="alert" tabIndex={-1} data-testid="repeated-number-warning">
      <strong>{TEXT.title(number, customer)}</strong>
      <ul>
        {earlier.map((e) => (
          <li key={e.invoiceId}>
            <Link href={`/invoices/${e.invoiceId}`}>{e.number}</Link> — {TEXT.earlier(new Date(e.sentAt).toLocaleDateString(), formatMoney(e.payable, e.currency))}
          </li>
        ))}
      </ul>
      <p>{TEXT.explain}</p>
      <div className="row">
        <button type="button" onClick={onChangeNumber}>{TEXT.changeNumber}</button>
        <button type="button" className="secondary" onClick={onSendAgain}>{TEXT.sendAgain}</button>
      </div>
    </div>
  );
}
