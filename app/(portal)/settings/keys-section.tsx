'use client';

import Link from 'next/link';
import { useState } from 'react';
import { ErrorAlert } from '@/components/form-field';
import { checkKeysAgainstServer } from '@/lib/client/account';
import { useDescribeError, useT } from '@/lib/client/i18n';
import { fetchKeyBundle } from '@/lib/client/flows';
import { useKeys } from '@/lib/client/keys-context';

export function KeysSection() {
  const describeError = useDescribeError();
  const t = useT();
  const { account } = useKeys();
  const [results, setResults] = useState<{ label: string; ok: boolean }[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function onCheck() {
    if (!account) return;
    setError(null);
    setResults(null);
    try {
      setResults(await checkKeysAgainstServer(account, await fetchKeyBundle()));
    } catch (err) {
      setError(describeError(err));
    }
  }

  // The check's results come in the order of the keys: the user's own, then each organization's.
  const checkLabel = (index: number) => (index === 0 ? t('keys.personal') : t('keys.org', { name: account?.orgs[index - 1]?.name ?? '' }));

  if (!account) {
    return (
      <section className="panel">
        <h2>{t('keys.title')}</h2>
        <p className="muted">{t('keys.locked_before')}<Link href="/home">{t('keys.locked_link')}</Link>{t('keys.locked_after')}</p>
      </section>
    );
  }
  return (
    <section className="panel stack" aria-labelledby="keys-heading">
      <h2 id="keys-heading">{t('keys.title')}</h2>
      <p className="muted">{t('keys.explain')}</p>
      <dl>
        <dt>{t('keys.yours')}</dt>
        <dd className="fingerprint" data-testid="user-fingerprint">{account.fingerprint}</dd>
        {account.orgs.map((org) => (
          <div key={org.orgId} style={{ display: 'contents' }}>
            <dt>{org.name}</dt>
            <dd className="fingerprint">{org.fingerprint}</dd>
          </div>
        ))}
      </dl>
      <div className="row">
        <button type="button" className="secondary" onClick={onCheck}>{t('keys.check')}</button>
        <Link className="button secondary" href="/recovery-kit?replace=1">{t('keys.replace_recovery')}</Link>
      </div>
      {results && (
        <ul aria-label={t('keys.results')}>
          {results.map((r, i) => (
            <li key={r.label} className={r.ok ? 'badge ok' : 'badge warn'}>
              {checkLabel(i)}: {r.ok ? t('keys.ok') : t('keys.mismatch')}
            </li>
          ))}
        </ul>
      )}
      <ErrorAlert message={error} />
    </section>
  );
}
