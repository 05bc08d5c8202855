'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { RichText } from '@/components/rich-text';
import { api } from '@/lib/client/api';
import { useDescribeError, useT } from '@/lib/client/i18n';
import type { AccountDeletionPreviewDto } from '@/lib/shared/schemas/admin';

/**
 * Deleting an account, in two steps: first what it will do (fetched from the server, so it names
 * the organizations affected right now), then the admin types the email to confirm.
 */
export function DeleteAccount({ userId }: { userId: string }) {
  const t = useT();
  const describeError = useDescribeError();
  const router = useRouter();
  const [preview, setPreview] = useState<AccountDeletionPreviewDto | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const endpoint = `/api/admin/users/${userId}/delete`;

  async function review() {
    setBusy(true);
    setError(null);
    try {
      setPreview((await api<{ preview: AccountDeletionPreviewDto }>(endpoint)).preview);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const confirmEmail = String(new FormData(event.currentTarget).get('confirmEmail') ?? '');
      await api<unknown>(endpoint, { method: 'POST', body: { confirmEmail } });
      setPreview(null);
      router.refresh();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  if (!preview) {
    return (
      <div className="stack">
        <div><button type="button" className="danger" onClick={review} disabled={busy}>{t('adm.delete_review')}</button></div>
        {error && <p role="alert" className="alert error">{error}</p>}
      </div>
    );
  }
  return (
    <form className="stack" onSubmit={onSubmit} aria-labelledby="delete-heading">
      <h3 id="delete-heading">{t('adm.delete_title', { name: preview.displayName })}</h3>
      <ul>
        <li>{t('adm.delete.ends')}</li>
        <li>{preview.invoicesSigned === 1 ? t('adm.delete.kept_one') : t('adm.delete.kept', { count: preview.invoicesSigned })}</li>
        {preview.orgsSuspended.length > 0 && (
          <li>
            {t('adm.delete.last_owner')} {preview.orgsSuspended.map((o, i) => (
              <span key={o.orgId}>{i > 0 && ', '}<Link href={`/admin/organizations/${o.orgId}`}>{o.orgName}</Link>{o.otherMembers > 0 ? t('adm.delete.other_members', { count: o.otherMembers }) : ''}</span>
            ))}. {preview.orgsSuspended.length === 1 ? t('adm.delete.suspended_one') : t('adm.delete.suspended')}
          </li>
        )}
        {preview.orgsKept.length > 0 && (
          <li>{t(preview.orgsKept.length === 1 ? 'adm.delete.kept_orgs_one' : 'adm.delete.kept_orgs', { orgs: preview.orgsKept.map((o) => o.orgName).join(', ') })}</li>
        )}
      </ul>
      <label><RichText text={t('adm.delete.confirm', { email: preview.email })} /><input name="confirmEmail" autoComplete="off" spellCheck={false} required /></label>
      {error && <p role="alert" className="alert error">{error}</p>}
      <div className="row">
        <button type="submit" className="danger" disabled={busy}>{t('adm.delete.submit')}</button>
        <button type="button" className="secondary" onClick={() => setPreview(null)} disabled={busy}>{t('adm.cancel')}</button>
      </div>
    </form>
  );
}
