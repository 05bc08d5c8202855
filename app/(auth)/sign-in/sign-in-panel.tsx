'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ErrorAlert, Progress } from '@/components/form-field';
import { describeError } from '@/lib/client/errors';
import { signIn } from '@/lib/client/flows';
import { useKeys } from '@/lib/client/keys-context';

export function SignInPanel() {
  const router = useRouter();
  const { setAccount } = useKeys();
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<string | null>(null);

  async function onSignIn() {
    setError(null);
    try {
      const result = await signIn(setStep);
      if (result.kind === 'admin') return router.push('/admin');
      if (result.kind === 'unlocked') setAccount(result.account);
      // Pages decide where an unconfirmed account goes; a locked one is asked to unlock there.
      router.push(result.kind === 'locked' ? '/home?locked=no-prf' : '/home');
      router.refresh();
    } catch (err) {
      setStep(null);
      setError(describeError(err));
    }
  }

  return (
    <div className="panel stack">
      <p>Use the passkey you created for this portal. Your browser will ask for your fingerprint, face or device PIN.</p>
      <ErrorAlert message={error} />
      <Progress step={step} />
      <button type="button" onClick={onSignIn} disabled={step !== null}>Sign in with a passkey</button>
      <p className="muted">New here? <Link href="/sign-up">Create an account</Link>. Lost every passkey? <Link href="/recover">Recover with your recovery key</Link>.</p>
    </div>
  );
}
