'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ErrorAlert, FormField, Progress } from '@/components/form-field';
import { describeError } from '@/lib/client/errors';
import { recoverAccount } from '@/lib/client/flows';
import { useKeys } from '@/lib/client/keys-context';
import { emailSchema } from '@/lib/shared/schemas/auth';
import { describeDevice } from '../sign-up/sign-up-form';

export function RecoverForm() {
  const router = useRouter();
  const { setAccount } = useKeys();
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = emailSchema.safeParse(form.get('email'));
    if (!email.success) return setError('Enter the email address of your account.');
    setError(null);
    try {
      const { account } = await recoverAccount({ email: email.data, recoveryKeyText: String(form.get('recoveryKey') ?? ''), passkeyName: describeDevice() }, setStep);
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
      <FormField label="Email" name="email" type="email" autoComplete="email" required />
      <FormField label="Recovery key" name="recoveryKey" hint="From your recovery kit; dashes and case do not matter." autoComplete="off" spellCheck={false} required />
      <ErrorAlert message={error} />
      <Progress step={step} />
      <button type="submit" disabled={step !== null}>Recover and create a new passkey</button>
    </form>
  );
}
