'use client';

import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import { useRouter } from 'next/navigation';
import { useState, useSyncExternalStore, type FormEvent } from 'react';
import { ErrorAlert, FormField, Progress } from '@/components/form-field';
import { api } from '@/lib/client/api';
import { useDescribeError, useT } from '@/lib/client/i18n';
import type { MessageKey } from '@/lib/shared/i18n';
import { createPasskey } from '@/lib/client/passkey';
import { displayNameSchema, emailSchema } from '@/lib/shared/schemas/auth';
import { describeDevice } from '../../sign-up/sign-up-form';

export function AdminSetupForm() {
  const describeError = useDescribeError();
  const t = useT();
  const router = useRouter();
  // The token travels in the URL fragment, which browsers never send to the server or in referrers.
  const token = useSyncExternalStore(subscribeToHash, readTokenFromHash, () => undefined);
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<MessageKey | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const displayName = displayNameSchema.safeParse(form.get('displayName'));
    const email = emailSchema.safeParse(form.get('email'));
    if (!displayName.success || !email.success) return setError(t('setup.fields_required'));
    setError(null);
    try {
      setStep('progress.waiting_passkey');
      const { options } = await api<{ options: PublicKeyCredentialCreationOptionsJSON }>('/api/admin-setup/options', { body: { token, displayName: displayName.data, email: email.data } });
      const { response } = await createPasskey(options);
      await api('/api/admin-setup/verify', { body: { token, response, passkeyName: describeDevice(t) } });
      router.push('/admin');
      router.refresh();
    } catch (err) {
      setStep(null);
      setError(describeError(err));
    }
  }

  if (token === undefined) return null;
  if (token === null) {
    return <div className="alert error" role="alert">{t('setup.needs_link')}</div>;
  }
  return (
    <form className="panel stack" onSubmit={onSubmit} noValidate>
      <FormField label={t('setup.name')} name="displayName" autoComplete="name" required />
      <FormField label={t('setup.email')} name="email" type="email" autoComplete="email" required />
      <ErrorAlert message={error} />
      <Progress step={step && t(step)} />
      <button type="submit" disabled={step !== null}>{t('setup.submit')}</button>
    </form>
  );
}

export function subscribeToHash(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function readTokenFromHash(): string | null {
  return new URLSearchParams(window.location.hash.slice(1)).get('token');
}
