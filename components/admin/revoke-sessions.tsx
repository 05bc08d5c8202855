'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorBodySchema } from '@/lib/shared/schemas/errors';

/** Signs a user out everywhere; the account stays usable, their next sign-in starts afresh. */
export function RevokeSessions({ userId }: { userId: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onClick() {
    setBusy(true);
    setError(null);
    try {
      const response = await fetch(`/api/admin/users/${userId}/sessions`, { method: 'DELETE' });
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
      <div><button type="button" className="secondary" onClick={onClick} disabled={busy}>Sign out everywhere</button></div>
      {error && <p role="alert" className="alert error">{error}</p>}
    </div>
  );
}
