'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorBodySchema } from '@/lib/shared/schemas/errors';

/**
 * One admin action as a button: sends `method` to `url`, refreshes the page on success and shows
 * the server's typed error message otherwise.
 */
export function AdminActionButton({ url, method, label, className }: { url: string; method: 'POST' | 'DELETE'; label: string; className?: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onClick() {
    setBusy(true);
    setError(null);
    try {
      const response = await fetch(url, { method });
      if (!response.ok) setError(errorBodySchema.safeParse(await response.json().catch(() => null)).data?.error.message ?? 'That did not work.');
      else router.refresh();
    } catch {
      setError('The server could not be reached.');
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
