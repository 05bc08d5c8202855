'use client';

import { useState, type FormEvent } from 'react';
import { ErrorAlert, FormField, Progress } from '@/components/form-field';
import { useDescribeError, useT } from '@/lib/client/i18n';
import { unlockWithPasskey, unlockWithRecoveryKey } from '@/lib/client/flows';
import { useKeys } from '@/lib/client/keys-context';

/**
 * Shown when the session is signed in but the keys are not open in this tab (after a reload, or
 * when the passkey has no PRF support). Unlocking happens in the browser; nothing secret is sent.
 */
export function UnlockPanel({ noPrf = false }: { noPrf?: boolean }) {
  const describeError = useDescribeError();
  const t = useT();
  const { setAccount } = useKeys();
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<string | null>(null);
  const [passkeyCannotUnlock, setPasskeyCannotUnlock] = useState(noPrf);

  async function onPasskey() {
    setError(null);
    setStep(t('unlock.waiting_passkey'));
    try {
      const account = await unlockWithPasskey();
      if (account) setAccount(account);
      else setPasskeyCannotUnlock(true);
    } catch (err) {
      setError(describeError(err));
    }
    setStep(null);
  }

  async function onRecoveryKey(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get('recoveryKey') ?? '');
    setError(null);
    setStep(t('unlock.opening'));
    try {
      setAccount(await unlockWithRecoveryKey(text));
    } catch (err) {
      setError(describeError(err));
    }
    setStep(null);
  }

  return (
    <section className="panel stack" aria-labelledby="unlock-heading">
      <h2 id="unlock-heading">{t('unlock.title')}</h2>
      {passkeyCannotUnlock ? (
        <div className="alert warn" role="note">
          {t('unlock.no_prf')}
        </div>
      ) : (
        <>
          <p>{t('unlock.explain')}</p>
          <button type="button" onClick={onPasskey} disabled={step !== null}>{t('unlock.with_passkey')}</button>
        </>
      )}
      <form className="stack" onSubmit={onRecoveryKey}>
        <FormField label={t('unlock.recovery_key')} name="recoveryKey" hint={t('unlock.recovery_hint')} autoComplete="off" spellCheck={false} />
        <button type="submit" className={passkeyCannotUnlock ? undefined : 'secondary'} disabled={step !== null}>{t('unlock.with_recovery_key')}</button>
      </form>
      <ErrorAlert message={error} />
      <Progress step={step} />
    </section>
  );
}
