'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api } from '@/lib/client/api';
import { useDescribeError } from '@/lib/client/i18n';

/**
 * One admin action as a button: sends `method` to `url`, refreshes the page on success and shows
 * the server's refusal, in the reader's language, otherwise.
 */
export function AdminActionButton({ url, method, label, className }: { url: string; method: 'POST' | 'DELETE'; label: string; className?: string }) {
  const router = useRouter();
  const describeError = useDescribeError();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onClick() {
    setBusy(true);
    setError(null);
    try {
      await api<unknown>(url, { method });
      router.refresh();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stack">
      <div><button type="button" className={className} onClick={onClick} disabled={busy}>{label}</button></div>
      {error && <p role="alert" className="alert error">{error}</p>}
    </div>
  );
}
