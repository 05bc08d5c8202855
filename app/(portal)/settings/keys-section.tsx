'use client';

import Link from 'next/link';
import { useState } from 'react';
import { ErrorAlert } from '@/components/form-field';
import { checkKeysAgainstServer } from '@/lib/client/account';
import { useDescribeError } from '@/lib/client/i18n';
import { fetchKeyBundle } from '@/lib/client/flows';
import { useKeys } from '@/lib/client/keys-context';

export function KeysSection() {
  const describeError = useDescribeError();
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

  if (!account) {
    return (
      <section className="panel">
        <h2>Keys and safety numbers</h2>
        <p className="muted">Unlock your keys on the <Link href="/home">home page</Link> to see your safety numbers.</p>
      </section>
    );
  }
  return (
    <section className="panel stack" aria-labelledby="keys-heading">
      <h2 id="keys-heading">Keys and safety numbers</h2>
      <p className="muted">A safety number is a short summary of public keys. Read it to a business partner over the phone: if theirs matches, nobody swapped your keys.</p>
      <dl>
        <dt>Your keys</dt>
        <dd className="fingerprint" data-testid="user-fingerprint">{account.fingerprint}</dd>
        {account.orgs.map((org) => (
          <div key={org.orgId} style={{ display: 'contents' }}>
            <dt>{org.name}</dt>
            <dd className="fingerprint">{org.fingerprint}</dd>
          </div>
        ))}
      </dl>
      <div className="row">
        <button type="button" className="secondary" onClick={onCheck}>Check my keys</button>
        <Link className="button secondary" href="/recovery-kit?replace=1">Replace recovery key</Link>
      </div>
      {results && (
        <ul aria-label="Key check results">
          {results.map((r) => (
            <li key={r.label} className={r.ok ? 'badge ok' : 'badge warn'}>
              {r.label}: {r.ok ? 'your private keys open what is encrypted to the published keys' : 'MISMATCH — the server publishes keys you do not hold'}
            </li>
          ))}
        </ul>
      )}
      <ErrorAlert message={error} />
    </section>
  );
}
