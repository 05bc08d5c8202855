'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { api, ApiError } from '@/lib/client/api';
import { announceEmailConfirmed } from '@/lib/client/email-channel';
import { describeError } from '@/lib/client/errors';

type State = { kind: 'working' } | { kind: 'done'; email: string } | { kind: 'failed'; message: string };

/**
 * The link carries its token in the fragment (#…), which no request line contains; the page posts
 * it once, so an e-mail scanner that merely fetches the link confirms nothing.
 */
export function VerifyEmail() {
  const [state, setState] = useState<State>({ kind: 'working' });

  useEffect(() => {
    const token = window.location.hash.slice(1);
    // The token is spent; it does not stay in the address bar or the history.
    window.history.replaceState(null, '', window.location.pathname);
    const incomplete = 'This link is not complete. Copy the whole link from the message, or ask for a new one under Settings.';
    let current = true;
    const request = /^[A-Za-z0-9_-]{43}$/.test(token) ? api<{ email: string }>('/api/account/email/verify', { body: { token } }) : Promise.reject(new Error(incomplete));
    request
      .then(({ email }) => {
        announceEmailConfirmed();
        if (current) setState({ kind: 'done', email });
      })
      .catch((error: unknown) => current && setState({ kind: 'failed', message: error instanceof ApiError ? describeError(error) : incomplete }));
    return () => {
      current = false;
    };
  }, []);

  if (state.kind === 'working') return <p className="status" role="status">Confirming your address…</p>;
  if (state.kind === 'failed') {
    return (
      <>
        <div className="alert error" role="alert" data-testid="verify-email-failed">{state.message}</div>
        <p><Link href="/settings">Go to Settings</Link></p>
      </>
    );
  }
  return (
    <>
      <div className="alert ok" role="status" data-testid="verify-email-done">Thank you: <strong>{state.email}</strong> is confirmed. The portal now tells you by e-mail when something happens, as you chose under Settings.</div>
      <p><Link href="/">Open the portal</Link></p>
    </>
  );
}
