'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ErrorAlert, Progress } from '@/components/form-field';
import { useDescribeError, useT } from '@/lib/client/i18n';
import type { MessageKey } from '@/lib/shared/i18n';
import { signIn } from '@/lib/client/flows';
import { useKeys } from '@/lib/client/keys-context';

export function SignInPanel() {
  const describeError = useDescribeError();
  const t = useT();
  const router = useRouter();
  const { setAccount } = useKeys();
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<MessageKey | null>(null);

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
      <p>{t('signin.intro')}</p>
      <ErrorAlert message={error} />
      <Progress step={step && t(step)} />
      <button type="button" onClick={onSignIn} disabled={step !== null}>{t('signin.submit')}</button>
      <p className="muted">{t('signin.new_here')} <Link href="/sign-up">{t('signin.create_account')}</Link> · {t('signin.lost_passkeys')} <Link href="/recover">{t('signin.recover_link')}</Link></p>
    </div>
  );
}
