'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ErrorAlert, FormField, Progress } from '@/components/form-field';
import { UnlockPanel } from '@/components/unlock-panel';
import { api } from '@/lib/client/api';
import { useDescribeError } from '@/lib/client/i18n';
import { replaceRecoveryKey } from '@/lib/client/flows';
import { useKeys } from '@/lib/client/keys-context';
import { lastRecoveryGroup } from '@/lib/crypto/recovery-key';

/**
 * Shows the recovery key once, offers it as a download or printout, and makes the user type its
 * last group back before the account is usable. Without the key in memory (a reload), an unlocked
 * account gets a fresh recovery key instead; the unconfirmed one is replaced.
 */
export function RecoveryKit({ email, passkeyCannotUnlock }: { email: string; passkeyCannotUnlock: boolean }) {
  const describeError = useDescribeError();
  const router = useRouter();
  const { account, pendingRecoveryKey, setPendingRecoveryKey } = useKeys();
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  function onDownload() {
    if (!pendingRecoveryKey) return;
    const text = [
      'zkinvoice recovery kit',
      '',
      `Account: ${email}`,
      `Recovery key: ${pendingRecoveryKey}`,
      '',
      'This key is the only way back into your account if you lose every passkey.',
      'Nobody, not even the administrators of this portal, can recover your account or your invoices without it.',
      'Keep it offline, e.g. printed in a safe place. Do not share it.',
    ].join('\n');
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'zkinvoice-recovery-kit.txt';
    link.click();
    URL.revokeObjectURL(url);
  }

  async function onNewKey() {
    if (!account) return;
    setError(null);
    setStep('Confirm with your passkey…');
    try {
      setPendingRecoveryKey(await replaceRecoveryKey(account));
    } catch (err) {
      setError(describeError(err));
    }
    setStep(null);
  }

  async function onConfirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pendingRecoveryKey) return;
    const typed = String(new FormData(event.currentTarget).get('lastGroup') ?? '').trim().toUpperCase();
    if (typed !== lastRecoveryGroup(pendingRecoveryKey)) {
      setError('That does not match the last group of your recovery key. Look at the key again.');
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
        <p>Your recovery key has not been confirmed, and it is no longer shown for safety. Create a new one; the old one stops working.</p>
        <ErrorAlert message={error} />
        <Progress step={step} />
        <button type="button" onClick={onNewKey} disabled={step !== null}>Create a new recovery key</button>
      </section>
    );
  }

  return (
    <section className="panel stack">
      {passkeyCannotUnlock && (
        <div className="alert warn" role="note">Your passkey was created, but your authenticator cannot unlock your encryption keys (no PRF support). You will need this recovery key each time you sign in with it, until you add a passkey that can.</div>
      )}
      <p>This is the only way back into your account if you lose every passkey. <strong>Administrators cannot recover your account.</strong> It is shown only now.</p>
      <p className="recovery-key" data-testid="recovery-key">{pendingRecoveryKey}</p>
      <div className="row no-print">
        <button type="button" className="secondary" onClick={onDownload}>Download recovery kit</button>
        <button type="button" className="secondary" onClick={() => window.print()}>Print</button>
        {!saved && <button type="button" onClick={() => setSaved(true)}>I have saved it</button>}
      </div>
      {saved && (
        <form className="stack no-print" onSubmit={onConfirm}>
          <FormField label="Type the last group of your recovery key" name="lastGroup" autoComplete="off" spellCheck={false} autoFocus />
          <button type="submit">Confirm and continue</button>
        </form>
      )}
      <ErrorAlert message={error} />
    </section>
  );
}
