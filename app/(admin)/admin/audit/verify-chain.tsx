'use client';

import { useState } from 'react';
import type { AuditVerdictDto } from '@/lib/shared/schemas/admin';
import { errorBodySchema } from '@/lib/shared/schemas/errors';

export function VerifyChain() {
  const [busy, setBusy] = useState(false);
  const [verdict, setVerdict] = useState<{ ok: boolean; message: string } | null>(null);

  async function onClick() {
    setBusy(true);
    setVerdict(null);
    try {
      const response = await fetch('/api/admin/audit/verify', { method: 'POST' });
      const body: unknown = await response.json();
      if (response.ok) setVerdict(body as AuditVerdictDto);
      else setVerdict({ ok: false, message: errorBodySchema.safeParse(body).data?.error.message ?? 'The check failed.' });
    } catch {
      setVerdict({ ok: false, message: 'The server could not be reached.' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stack">
      <div className="row">
        <button type="button" onClick={onClick} disabled={busy}>{busy ? 'Verifying…' : 'Verify chain'}</button>
        <a className="button secondary" href="/api/admin/audit/export" download>Export</a>
      </div>
      {verdict && <p role={verdict.ok ? 'status' : 'alert'} className={`alert ${verdict.ok ? 'ok' : 'error'}`}>{verdict.message}</p>}
    </div>
  );
}
