'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { api } from '@/lib/client/api';
import { useDescribeError, useT } from '@/lib/client/i18n';

const MiB = 1024 * 1024;

/**
 * An organization's storage quota in MiB: a number, 0 for unlimited, or empty for the instance
 * default. Uploads that would go beyond it are refused before any byte is stored.
 */
export function QuotaForm({ orgId, quotaSetting }: { orgId: string; quotaSetting: number | null }) {
  const t = useT();
  const describeError = useDescribeError();
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
    if (mib !== null && (!Number.isFinite(mib) || mib < 0 || mib > 2 ** 30)) return setError(t('adm.quota_invalid'));
    setBusy(true);
    try {
      const quotaBytes = mib === null ? null : Math.round(mib * MiB);
      await api<unknown>(`/api/admin/orgs/${orgId}/quota`, { method: 'PUT', body: { quotaBytes } });
      setSaved(true);
      router.refresh();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={onSubmit} aria-label={t('adm.quota_form')}>
      <label>
        {t('adm.quota_label')}
        <span className="hint">{t('adm.quota_hint')}</span>
        <input name="quotaMiB" inputMode="decimal" defaultValue={quotaSetting === null ? '' : String(quotaSetting / MiB)} />
      </label>
      {error && <p role="alert" className="alert error">{error}</p>}
      {saved && <p role="status" className="status">{t('adm.quota_saved')}</p>}
      <div><button type="submit" disabled={busy}>{t('adm.quota_save')}</button></div>
    </form>
  );
}
