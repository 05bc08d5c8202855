'use client';

import { useState } from 'react';
import { useFormat, useT } from '@/lib/client/i18n';

/**
 * The link a supplier hands over to a customer without an account (DESIGN §11): shown, copied, or
 * put into the supplier's own e-mail program (`mailto:`) — the server never sends it. The amount
 * goes into the e-mail only if the supplier ticks it; the access code never does.
 */
export function ClaimLinkPanel({ customerName, supplierName, link, accessCode, expiresAt, invoice }: {
  customerName: string;
  supplierName: string;
  link: string;
  accessCode: string | null;
  expiresAt: string;
  invoice?: { number: string; amount: string };
}) {
  const t = useT();
  const format = useFormat();
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const [withAmount, setWithAmount] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(link);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  }

  const subject = invoice ? t('claimlink.mail_subject', { number: invoice.number, supplier: supplierName }) : t('claimlink.mail_subject_plain', { supplier: supplierName });
  const body = invoice
    ? t('claimlink.mail_body', { supplier: supplierName, number: invoice.number, amount: withAmount ? t('claimlink.mail_amount', { amount: invoice.amount }) : '', link })
    : t('claimlink.mail_body_plain', { supplier: supplierName, link });
  const mailto = `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
  return (
    <section className="panel stack no-print" aria-labelledby="claim-link-heading" data-testid="claim-link">
      <h2 id="claim-link-heading">{t('claimlink.heading', { name: customerName })}</h2>
      <p className="muted">{t('claimlink.intro', { name: customerName })}</p>
      <label htmlFor="claim-link-text">{t('claimlink.label')}</label>
      <input id="claim-link-text" readOnly value={link} className="link-text" onFocus={(e) => e.currentTarget.select()} />
      {invoice && (
        <label className="checkbox">
          <input type="checkbox" checked={withAmount} onChange={(e) => setWithAmount(e.currentTarget.checked)} /> {t('claimlink.with_amount')}
        </label>
      )}
      <div className="row">
        <button type="button" className="secondary" onClick={copy}>{t('claimlink.copy')}</button>
        <a className="button secondary" href={mailto}>{t('claimlink.mail')}</a>
        <span role="status" aria-live="polite" className="copy-status">{copied === 'copied' ? t('claimlink.copied') : copied === 'failed' ? t('claimlink.copy_failed') : ''}</span>
      </div>
      {accessCode && <p className="alert warn" role="note">{t('claimlink.code_reminder', { code: accessCode })}</p>}
      <p className="muted">{t('claimlink.expires', { date: format.date(expiresAt.slice(0, 10)) })}</p>
    </section>
  );
}
