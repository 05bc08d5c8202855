'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useSyncExternalStore, type FormEvent } from 'react';
import { ErrorAlert, FormField, Progress } from '@/components/form-field';
import { ApiError } from '@/lib/client/api';
import { describeError } from '@/lib/client/errors';
import { signUp } from '@/lib/client/flows';
import { useKeys } from '@/lib/client/keys-context';
import type { RegistrationMode } from '@/lib/shared/schemas/admin';
import { signUpOptionsRequestSchema } from '@/lib/shared/schemas/auth';
import { subscribeToHash } from '../setup/admin/admin-setup-form';

/** The invitation token from `#invitation=…`: in the fragment, so it never reaches a server log or referrer. */
function readInvitationFromHash(): string | null {
  return new URLSearchParams(window.location.hash.slice(1)).get('invitation');
}

export function SignUpForm({ registration }: { registration: RegistrationMode }) {
  const router = useRouter();
  const invitation = useSyncExternalStore(subscribeToHash, readInvitationFromHash, () => undefined);
  const { setAccount, setPendingRecoveryKey } = useKeys();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = signUpOptionsRequestSchema.safeParse({ displayName: form.get('displayName'), email: form.get('email'), orgName: form.get('orgName') });
    if (!parsed.success) {
      setFieldErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setFieldErrors({});
    setError(null);
    try {
      const result = await signUp({ ...parsed.data, passkeyName: describeDevice(), invitation: invitation ?? undefined }, setStep);
      setAccount(result.account);
      setPendingRecoveryKey(result.recoveryKeyText);
      router.push(result.passkeyCanUnlock ? '/recovery-kit' : '/recovery-kit?passkey=no-prf');
    } catch (err) {
      setStep(null);
      setError(describeError(err));
      if (err instanceof ApiError && err.code === 'conflict') setFieldErrors({ email: err.message });
    }
  }

  if (invitation === undefined) return null;
  if (registration === 'invitation' && !invitation) {
    return (
      <div className="panel stack">
        <p className="alert warn" role="alert">Sign-up on this instance is by invitation. Ask a platform administrator of this portal for a one-time invitation link, and open it in this browser.</p>
        <p className="muted">Already have an account? <Link href="/sign-in">Sign in</Link>.</p>
      </div>
    );
  }
  return (
    <form className="stack panel" onSubmit={onSubmit} noValidate>
      {invitation && <p className="muted" role="note">You are signing up with a one-time invitation link. It creates one account and then stops working.</p>}
      <FormField label="Your name" name="displayName" autoComplete="name" required error={fieldErrors.displayName} />
      <FormField label="Work email" name="email" type="email" autoComplete="email" required error={fieldErrors.email} />
      <FormField label="Organization" hint="Your company. You become its owner and can invite colleagues later." name="orgName" autoComplete="organization" required error={fieldErrors.orgName} />
      <ErrorAlert message={error} />
      <Progress step={step} />
      <button type="submit" disabled={step !== null}>Create account with a passkey</button>
      <p className="muted">Already have an account? <Link href="/sign-in">Sign in</Link>.</p>
    </form>
  );
}

/** A default passkey name the user can change later in Settings. */
export function describeDevice(): string {
  const ua = navigator.userAgent;
  const os = /Windows/.test(ua) ? 'Windows' : /Mac OS/.test(ua) ? 'Mac' : /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Linux/.test(ua) ? 'Linux' : 'this device';
  return `Passkey on ${os}`;
}
