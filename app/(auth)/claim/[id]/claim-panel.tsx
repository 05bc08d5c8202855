'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ErrorAlert, FormField, Progress } from '@/components/form-field';
import { UnlockPanel } from '@/components/unlock-panel';
import { unlockAccount, type UnlockedAccount } from '@/lib/client/account';
import { api } from '@/lib/client/api';
import { buildClaim, type OpenedProvisionalOrg } from '@/lib/client/claim';
import { fetchKeyBundle, signIn, signUp } from '@/lib/client/flows';
import { useDescribeError, useT } from '@/lib/client/i18n';
import { useKeys } from '@/lib/client/keys-context';
import type { MessageKey } from '@/lib/shared/i18n';
import { issueMessage } from '@/lib/shared/i18n/errors';
import { signUpOptionsRequestSchema } from '@/lib/shared/schemas/auth';
import { describeDevice } from '../../sign-up/sign-up-form';

/**
 * The guest view's invitation (DESIGN §11): take the provisional organization over into an account.
 * New here: sign up with a passkey from this page (the account gets no organization of its own) and
 * claim at once, while the link's secret is still in this page's memory. Signed in: claim it as one
 * more organization. Either way this browser signs `claim` and `rotate` with the provisional key and
 * the user's key, and the org's new epoch has a secret the supplier never knew.
 */
export function ClaimPanel({ org, claimAuth, signedIn }: { org: OpenedProvisionalOrg; claimAuth: string; signedIn: boolean }) {
  const t = useT();
  const describeError = useDescribeError();
  const router = useRouter();
  const { account, setAccount, setPendingRecoveryKey, setActiveOrgId } = useKeys();
  const [step, setStep] = useState<MessageKey | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [locked, setLocked] = useState(false);
  const name = org.name;

  /** Claims as `acting`, then opens the claimed org with the account key in memory and acts for it. */
  async function claimAs(acting: UnlockedAccount): Promise<void> {
    setStep('guest.claiming');
    await api(`/api/claims/${org.orgId}/claim`, { body: await buildClaim(acting, org, claimAuth) });
    setAccount(await unlockAccount(acting.accountKey, await fetchKeyBundle()));
    setActiveOrgId(org.orgId);
    // Refused until a new account has saved its recovery key; the portal then acts for its only org.
    await api('/api/session/org', { method: 'PUT', body: { orgId: org.orgId } }).catch(() => {});
  }

  async function run(work: () => Promise<void>) {
    setError(null);
    try {
      await work();
    } catch (err) {
      setStep(null);
      setError(describeError(err));
    }
  }

  const onSignUp = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = signUpOptionsRequestSchema.safeParse({ displayName: form.get('displayName'), email: form.get('email'), claim: { orgId: org.orgId, claimAuth } });
    if (!parsed.success) {
      setFieldErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), issueMessage(t, i.message)])));
      return;
    }
    setFieldErrors({});
    void run(async () => {
      const result = await signUp({ displayName: parsed.data.displayName, email: parsed.data.email, claim: { orgId: org.orgId, claimAuth }, passkeyName: describeDevice(t) }, setStep);
      setAccount(result.account);
      setPendingRecoveryKey(result.recoveryKeyText);
      await claimAs(result.account);
      router.push(result.passkeyCanUnlock ? '/recovery-kit' : '/recovery-kit?passkey=no-prf');
    });
  };

  const onSignIn = () => run(async () => {
    const result = await signIn(setStep);
    setStep(null);
    router.refresh();
    if (result.kind !== 'unlocked') return setLocked(true);
    setAccount(result.account);
    await claimAs(result.account);
    router.push('/inbox');
  });

  const onAdd = (acting: UnlockedAccount) => run(async () => {
    await claimAs(acting);
    router.push('/inbox');
  });

  const busy = step !== null;
  if (signedIn || account || locked) {
    return (
      <section className="panel stack" aria-labelledby="claim-heading" data-testid="claim-panel">
        <h2 id="claim-heading">{t('guest.add_heading', { org: name })}</h2>
        <p>{t('guest.add_text', { org: name })}</p>
        <ErrorAlert message={error} />
        <Progress step={step && t(step)} />
        {account
          ? <div className="row"><button type="button" disabled={busy} onClick={() => void onAdd(account)}>{t('guest.add_button', { org: name })}</button></div>
          : <UnlockPanel noPrf={locked} />}
      </section>
    );
  }
  return (
    <section className="panel stack" aria-labelledby="claim-heading" data-testid="claim-panel">
      <h2 id="claim-heading">{t('guest.take_over_heading', { org: name })}</h2>
      <p>{t('guest.account_text', { supplier: org.supplier.name })}</p>
      <p>{t('guest.take_over_text', { org: name })}</p>
      <form className="stack" onSubmit={onSignUp} noValidate aria-label={t('guest.take_over_heading', { org: name })}>
        <FormField label={t('signup.name')} name="displayName" autoComplete="name" required error={fieldErrors.displayName} />
        <FormField label={t('signup.email')} name="email" type="email" autoComplete="email" required error={fieldErrors.email} />
        <ErrorAlert message={error} />
        <Progress step={step && t(step)} />
        <div className="row"><button type="submit" disabled={busy}>{t('guest.take_over_submit')}</button></div>
      </form>
      <p className="muted">{t('guest.have_account')}</p>
      <div className="row"><button type="button" className="secondary" disabled={busy} onClick={() => void onSignIn()}>{t('guest.sign_in_add', { org: name })}</button></div>
    </section>
  );
}
