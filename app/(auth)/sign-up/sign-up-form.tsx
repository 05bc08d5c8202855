'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useSyncExternalStore, type FormEvent } from 'react';
import { ErrorAlert, FormField, Progress } from '@/components/form-field';
import { ApiError } from '@/lib/client/api';
import { useDescribeError, useT } from '@/lib/client/i18n';
import type { MessageKey, Translate } from '@/lib/shared/i18n';
import { signUp } from '@/lib/client/flows';
import { useKeys } from '@/lib/client/keys-context';
import type { RegistrationMode } from '@/lib/shared/schemas/admin';
import { signUpOptionsRequestSchema } from '@/lib/shared/schemas/auth';
import { issueMessage } from '@/lib/shared/i18n/errors';
import { subscribeToHash } from '../setup/admin/admin-setup-form';

/** The invitation token from `#invitation=…`: in the fragment, so it never reaches a server log or referrer. */
function readInvitationFromHash(): string | null {
  return new URLSearchParams(window.location.hash.slice(1)).get('invitation');
}

export function SignUpForm({ registration }: { registration: RegistrationMode }) {
  const describeError = useDescribeError();
  const t = useT();
  const router = useRouter();
  const invitation = useSyncExternalStore(subscribeToHash, readInvitationFromHash, () => undefined);
  const { setAccount, setPendingRecoveryKey } = useKeys();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<MessageKey | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = signUpOptionsRequestSchema.safeParse({ displayName: form.get('displayName'), email: form.get('email'), orgName: form.get('orgName') });
    if (!parsed.success) {
      setFieldErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), issueMessage(t, i.message)])));
      return;
    }
    setFieldErrors({});
    setError(null);
    try {
      const result = await signUp({ displayName: parsed.data.displayName, email: parsed.data.email, orgName: parsed.data.orgName ?? '', passkeyName: describeDevice(t), invitation: invitation ?? undefined }, setStep);
      setAccount(result.account);
      setPendingRecoveryKey(result.recoveryKeyText);
      router.push(result.passkeyCanUnlock ? '/recovery-kit' : '/recovery-kit?passkey=no-prf');
    } catch (err) {
      setStep(null);
      setError(describeError(err));
      if (err instanceof ApiError && err.code === 'conflict') setFieldErrors({ email: describeError(err) });
    }
  }

  if (invitation === undefined) return null;
  if (registration === 'invitation' && !invitation) {
    return (
      <div className="panel stack">
        <p className="alert warn" role="alert">{t('signup.invitation_only')}</p>
        <p className="muted">{t('signup.have_account')} <Link href="/sign-in">{t('signup.sign_in_link')}</Link></p>
      </div>
    );
  }
  return (
    <form className="stack panel" onSubmit={onSubmit} noValidate>
      {invitation && <p className="muted" role="note">{t('signup.invitation_note')}</p>}
      <FormField label={t('signup.name')} name="displayName" autoComplete="name" required error={fieldErrors.displayName} />
      <FormField label={t('signup.email')} name="email" type="email" autoComplete="email" required error={fieldErrors.email} />
      <FormField label={t('signup.org')} hint={t('signup.org_hint')} name="orgName" autoComplete="organization" required error={fieldErrors.orgName} />
      <ErrorAlert message={error} />
      <Progress step={step && t(step)} />
      <button type="submit" disabled={step !== null}>{t('signup.submit')}</button>
      <p className="muted">{t('signup.have_account')} <Link href="/sign-in">{t('signup.sign_in_link')}</Link></p>
    </form>
  );
}

/** A default passkey name the user can change later in Settings. */
export function describeDevice(t: Translate): string {
  const ua = navigator.userAgent;
  const os = /Windows/.test(ua) ? 'Windows' : /Mac OS/.test(ua) ? 'Mac' : /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Linux/.test(ua) ? 'Linux' : t('auth.this_device');
  return t('auth.passkey_on', { device: os });
}
