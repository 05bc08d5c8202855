'use client';

import { useState, type FormEvent } from 'react';
import { ErrorAlert, FormField, Progress } from '@/components/form-field';
import { useDescribeError } from '@/lib/client/i18n';
import { unlockWithPasskey, unlockWithRecoveryKey } from '@/lib/client/flows';
import { useKeys } from '@/lib/client/keys-context';

/**
 * Shown when the session is signed in but the keys are not open in this tab (after a reload, or
 * when the passkey has no PRF support). Unlocking happens in the browser; nothing secret is sent.
 */
export function UnlockPanel({ noPrf = false }: { noPrf?: boolean }) {
  const describeError = useDescribeError();
  const { setAccount } = useKeys();
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<string | null>(null);
  const [passkeyCannotUnlock, setPasskeyCannotUnlock] = useState(noPrf);

  async function onPasskey() {
    setError(null);
    setStep('Waiting for your passkey…');
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
    setStep('Opening your keys…');
    try {
      setAccount(await unlockWithRecoveryKey(text));
    } catch (err) {
      setError(describeError(err));
    }
    setStep(null);
  }

  return (
    <section className="panel stack" aria-labelledby="unlock-heading">
      <h2 id="unlock-heading">Unlock your keys</h2>
      {passkeyCannotUnlock ? (
        <div className="alert warn" role="note">
          This passkey signs you in but cannot unlock your encryption keys: the authenticator does not support the PRF extension that derives a key from it. Enter your recovery key to unlock, or sign in with another passkey that can. You can add such a passkey in Settings.
        </div>
      ) : (
        <>
          <p>Your invoices are encrypted with keys that only your browser can open. Confirm with your passkey to unlock them for this tab.</p>
          <button type="button" onClick={onPasskey} disabled={step !== null}>Unlock with passkey</button>
        </>
      )}
      <form className="stack" onSubmit={onRecoveryKey}>
        <FormField label="Recovery key" name="recoveryKey" hint="The key from your recovery kit, e.g. ABCD-EFGH-…" autoComplete="off" spellCheck={false} />
        <button type="submit" className={passkeyCannotUnlock ? undefined : 'secondary'} disabled={step !== null}>Unlock with recovery key</button>
      </form>
      <ErrorAlert message={error} />
      <Progress step={step} />
    </section>
  );
}
