'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { api, ApiError } from '@/lib/client/api';
import { announceEmailConfirmed } from '@/lib/client/email-channel';
import { useDescribeError, useT } from '@/lib/client/i18n';

/**
 * One request per token for the page's life: React may run the effect twice (Strict Mode), and a
 * second request would find the link already used.
 */
let opened: { token: string; request: Promise<{ email: string }> } | null = null;

function open(token: string): Promise<{ email: string }> {
  if (opened?.token !== token) opened = { token, request: api<{ email: string }>('/api/account/email/verify', { body: { token } }) };
  return opened.request;
}

type State = { kind: 'working' } | { kind: 'done'; email: string } | { kind: 'failed'; message: string };

/**
 * The link carries its token in the fragment (#…), which no request line contains; the page posts
 * it once, so an e-mail scanner that merely fetches the link confirms nothing.
 */
export function VerifyEmail() {
  const t = useT();
  const describeError = useDescribeError();
  const [state, setState] = useState<State>({ kind: 'working' });

  useEffect(() => {
    const token = window.location.hash.slice(1) || opened?.token || '';
    // The token is spent; it does not stay in the address bar or the history.
    window.history.replaceState(null, '', window.location.pathname);
    const incomplete = t('verify_email.incomplete');
    let current = true;
    const request = /^[A-Za-z0-9_-]{43}$/.test(token) ? open(token) : Promise.reject(new Error(incomplete));
    request
      .then(({ email }) => {
        announceEmailConfirmed();
        if (current) setState({ kind: 'done', email });
      })
      .catch((error: unknown) => current && setState({ kind: 'failed', message: error instanceof ApiError ? describeError(error) : incomplete }));
    return () => {
      current = false;
    };
  }, [t, describeError]);

  if (state.kind === 'working') return <p className="status" role="status">{t('verify_email.working')}</p>;
  if (state.kind === 'failed') {
    return (
      <>
        <div className="alert error" role="alert" data-testid="verify-email-failed">{state.message}</div>
        <p><Link href="/settings">{t('verify_email.open_settings')}</Link></p>
      </>
    );
  }
  return (
    <>
      <div className="alert ok" role="status" data-testid="verify-email-done">{t('verify_email.done', { email: state.email })}</div>
      <p><Link href="/">{t('verify_email.open_portal')}</Link></p>
    </>
  );
}
