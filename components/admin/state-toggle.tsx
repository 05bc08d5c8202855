'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorBodySchema } from '@/lib/shared/schemas/errors';

/**
 * One admin on/off action (disable/enable an account, suspend/resume an org): POSTs to
 * `${endpoint}/${off ? onAction : offAction}` and refreshes the page on success.
 */
export function StateToggle({ endpoint, off, offAction, onAction, offLabel, onLabel }: {
  endpoint: string;
  /** True while the account is disabled or the org suspended. */
  off: boolean;
  offAction: string;
  onAction: string;
  offLabel: string;
  onLabel: string;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onClick() {
    setBusy(true);
    setError(null);
    try {
      const response = await fetch(`${endpoint}/${off ? onAction : offAction}`, { method: 'POST' });
      if (!response.ok) setError(errorBodySchema.safeParse(await response.json()).data?.error.message ?? 'That did not work.');
      else router.refresh();
    } catch {
      setError('The server could not be reached.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stack">
      <div><button type="button" className={off ? undefined : 'danger'} onClick={onClick} disabled={busy}>{off ? onLabel : offLabel}</button></div>
      {error && <p role="alert" className="alert error">{error}</p>}
    </div>
  );
}
