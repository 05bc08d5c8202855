'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorBodySchema } from '@/lib/shared/schemas/errors';

export function AccountState({ userId, disabled }: { userId: string; disabled: boolean }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onClick() {
    setBusy(true);
    setError(null);
    try {
      const response = await fetch(`/api/admin/users/${userId}/${disabled ? 'enable' : 'disable'}`, { method: 'POST' });
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
      <div><button type="button" className={disabled ? undefined : 'danger'} onClick={onClick} disabled={busy}>{disabled ? 'Enable account' : 'Disable account'}</button></div>
      {error && <p role="alert" className="alert error">{error}</p>}
    </div>
  );
}
