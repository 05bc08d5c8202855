'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ErrorAlert, FormField, Progress } from '@/components/form-field';
import { useDescribeError, useT } from '@/lib/client/i18n';
import type { MessageKey } from '@/lib/shared/i18n';
import { recoverAccount } from '@/lib/client/flows';
import { useKeys } from '@/lib/client/keys-context';
import { emailSchema } from '@/lib/shared/schemas/auth';
import { describeDevice } from '../sign-up/sign-up-form';

export function RecoverForm() {
  const describeError = useDescribeError();
  const t = useT();
  const router = useRouter();
  const { setAccount } = useKeys();
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<MessageKey | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = emailSchema.safeParse(form.get('email'));
    if (!email.success) return setError(t('recover.email_required'));
    setError(null);
    try {
      const { account } = await recoverAccount({ email: email.data, recoveryKeyText: String(form.get('recoveryKey') ?? ''), passkeyName: describeDevice(t) }, setStep);
      setAccount(account);
      router.push('/home');
      router.refresh();
    } catch (err) {
      setStep(null);
      setError(describeError(err));
    }
  }

  return (
    <form className="panel stack" onSubmit={onSubmit} noValidate>
      <FormField label={t('recover.email')} name="email" type="email" autoComplete="email" required />
      <FormField label={t('recover.key')} name="recoveryKey" hint={t('recover.key_hint')} autoComplete="off" spellCheck={false} required />
      <ErrorAlert message={error} />
      <Progress step={step && t(step)} />
      <button type="submit" disabled={step !== null}>{t('recover.submit')}</button>
    </form>
  );
}
