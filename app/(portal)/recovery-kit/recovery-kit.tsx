'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ErrorAlert, FormField, Progress } from '@/components/form-field';
import { UnlockPanel } from '@/components/unlock-panel';
import { api } from '@/lib/client/api';
import { useDescribeError, useT } from '@/lib/client/i18n';
import { replaceRecoveryKey } from '@/lib/client/flows';
import { useKeys } from '@/lib/client/keys-context';

/** A group to ask for, counted from 1: any but the first, so it must be looked up rather than remembered from the start. */
function pickGroup(groups: number): number {
  const [random] = crypto.getRandomValues(new Uint32Array(1));
  return 2 + (random! % Math.max(1, groups - 1));
}

/**
 * Shows the recovery key once, offers it as a download (naming this portal and the account) or a
 * printout, then hides it and asks for one of its groups, which the user must look up in what they
 * saved: proof that the saved kit can be read, not that the key was on screen a moment ago. Without
 * the key in memory (a reload), an unlocked account gets a fresh recovery key instead; the
 * unconfirmed one is replaced.
 */
export function RecoveryKit({ email, passkeyCannotUnlock }: { email: string; passkeyCannotUnlock: boolean }) {
  const describeError = useDescribeError();
  const t = useT();
  const router = useRouter();
  const { account, pendingRecoveryKey, setPendingRecoveryKey } = useKeys();
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<string | null>(null);
  const [asked, setAsked] = useState<number | null>(null);
  const groups = pendingRecoveryKey?.split('-') ?? [];

  function onDownload() {
    if (!pendingRecoveryKey) return;
    const text = [
      t('kit.file_title'),
      '',
      t('kit.file_portal', { origin: window.location.origin }),
      t('kit.file_account', { email }),
      t('kit.file_key', { key: pendingRecoveryKey }),
      '',
      t('kit.file_groups'),
      ...groups.map((group, i) => `  ${String(i + 1).padStart(2, ' ')}  ${group}`),
      '',
      t('kit.file_only_way'),
      t('kit.file_nobody'),
      t('kit.file_keep'),
    ].join('\n');
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = t('kit.file_name');
    link.click();
    URL.revokeObjectURL(url);
  }

  async function onNewKey() {
    if (!account) return;
    setError(null);
    setStep(t('kit.confirm_step'));
    try {
      setPendingRecoveryKey(await replaceRecoveryKey(account));
    } catch (err) {
      setError(describeError(err));
    }
    setStep(null);
  }

  async function onConfirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pendingRecoveryKey || asked === null) return;
    const typed = String(new FormData(event.currentTarget).get('group') ?? '').trim().toUpperCase();
    if (typed !== groups[asked - 1]) {
      setError(t('kit.mismatch', { index: asked }));
      return;
    }
    setError(null);
    try {
      await api('/api/account/recovery-key/confirm', { body: {} });
      setPendingRecoveryKey(null);
      router.push('/home');
      router.refresh();
    } catch (err) {
      setError(describeError(err));
    }
  }

  if (!pendingRecoveryKey) {
    if (!account) return <UnlockPanel />;
    return (
      <section className="panel stack">
        <p>{t('kit.unconfirmed')}</p>
        <ErrorAlert message={error} />
        <Progress step={step} />
        <button type="button" onClick={onNewKey} disabled={step !== null}>{t('kit.create_new')}</button>
      </section>
    );
  }

  return (
    <section className="panel stack">
      {passkeyCannotUnlock && <div className="alert warn" role="note">{t('kit.no_prf')}</div>}
      <p>{t('kit.only_way')} <strong>{t('kit.no_admin')}</strong> {t('kit.shown_once')}</p>
      {asked === null ? (
        <>
          <p className="recovery-key" data-testid="recovery-key">{pendingRecoveryKey}</p>
          <div className="row no-print">
            <button type="button" className="secondary" onClick={onDownload}>{t('kit.download')}</button>
            <button type="button" className="secondary" onClick={() => window.print()}>{t('kit.print')}</button>
            <button type="button" onClick={() => setAsked(pickGroup(groups.length))}>{t('kit.saved')}</button>
          </div>
        </>
      ) : (
        <form className="stack no-print" onSubmit={onConfirm}>
          <p className="muted">{t('kit.hidden')}</p>
          <FormField label={t('kit.type_group', { index: asked })} name="group" autoComplete="off" spellCheck={false} autoFocus data-group={asked} />
          <div className="row">
            <button type="submit">{t('kit.confirm')}</button>
            <button type="button" className="secondary" onClick={() => { setAsked(null); setError(null); }}>{t('kit.show_again')}</button>
          </div>
        </form>
      )}
      <ErrorAlert message={error} />
    </section>
  );
}
