'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { errorBodySchema } from '@/lib/shared/schemas/errors';

const MiB = 1024 * 1024;

/**
 * An organization's storage quota in MiB: a number, 0 for unlimited, or empty for the instance
 * default. Uploads that would go beyond it are refused before any byte is stored.
 */
export function QuotaForm({ orgId, quotaSetting }: { orgId: string; quotaSetting: number | null }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setSaved(false);
    const raw = String(new FormData(event.currentTarget).get('quotaMiB') ?? '').trim();
    const mib = raw === '' ? null : Number(raw);
    if (mib !== null && (!Number.isFinite(mib) || mib < 0 || mib > 2 ** 30)) return setError('Enter a number of MiB (0 for unlimited), or leave it empty for the instance default.');
    setBusy(true);
    try {
      const quotaBytes = mib === null ? null : Math.round(mib * MiB);
      const response = await fetch(`/api/admin/orgs/${orgId}/quota`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ quotaBytes }) });
      if (!response.ok) setError(errorBodySchema.safeParse(await response.json().catch(() => null)).data?.error.message ?? 'That did not work.');
      else {
        setSaved(true);
        router.refresh();
      }
    } catch {
      setError('The server could not be reached.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={onSubmit} aria-label="Storage quota">
      <label>
        Storage quota (MiB)
        <span className="hint">0 = unlimited; empty = the instance default. Lowering it deletes nothing: new invoices are refused until there is room.</span>
        <input name="quotaMiB" inputMode="decimal" defaultValue={quotaSetting === null ? '' : String(quotaSetting / MiB)} />
      </label>
      {error && <p role="alert" className="alert error">{error}</p>}
      {saved && <p role="status" className="status">Quota saved.</p>}
      <div><button type="submit" disabled={busy}>Save quota</button></div>
    </form>
  );
}
