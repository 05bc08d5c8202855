'use client';

import { useState } from 'react';
import { apiErrorFrom, ApiError } from '@/lib/client/api';
import { useDescribeError, useT } from '@/lib/client/i18n';
import type { AuditVerdictDto } from '@/lib/shared/schemas/admin';

export function VerifyChain() {
  const t = useT();
  const describeError = useDescribeError();
  const [busy, setBusy] = useState(false);
  const [verdict, setVerdict] = useState<{ ok: boolean; message: string } | null>(null);

  async function onClick() {
    setBusy(true);
    setVerdict(null);
    try {
      const response = await fetch('/api/admin/audit/verify', { method: 'POST' });
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) setVerdict({ ok: false, message: describeError(apiErrorFrom(body, response.status)) });
      else {
        const v = body as AuditVerdictDto;
        setVerdict(v.ok
          ? { ok: true, message: t('adm.chain_ok', { seq: String(v.verifiedUpTo) }) }
          : { ok: false, message: t('adm.chain_broken', { at: String(v.brokenAt), reason: v.reason, seq: String(v.verifiedUpTo) }) });
      }
    } catch {
      setVerdict({ ok: false, message: describeError(ApiError.local('network', 'network', 0)) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stack">
      <div className="row">
        <button type="button" onClick={onClick} disabled={busy}>{busy ? t('adm.verifying') : t('adm.verify')}</button>
        <a className="button secondary" href="/api/admin/audit/export" download>{t('adm.export')}</a>
      </div>
      {verdict && <p role={verdict.ok ? 'status' : 'alert'} className={`alert ${verdict.ok ? 'ok' : 'error'}`}>{verdict.message}</p>}
    </div>
  );
}
