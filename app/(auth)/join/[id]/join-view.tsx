'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState, useSyncExternalStore, type FormEvent } from 'react';
import { ErrorAlert, FormField, Progress } from '@/components/form-field';
import { UnlockPanel } from '@/components/unlock-panel';
import { unlockAccount, type UnlockedAccount } from '@/lib/client/account';
import { api } from '@/lib/client/api';
import { fetchKeyBundle, signIn, signUp } from '@/lib/client/flows';
import { useDescribeError, useT } from '@/lib/client/i18n';
import { useKeys } from '@/lib/client/keys-context';
import { buildAcceptance, parseInviteSecret } from '@/lib/client/org-membership';
import type { MessageKey } from '@/lib/shared/i18n';
import { issueMessage } from '@/lib/shared/i18n/errors';
import { signUpOptionsRequestSchema } from '@/lib/shared/schemas/auth';
import type { InvitationDto } from '@/lib/shared/schemas/org';
import { describeDevice } from '../../sign-up/sign-up-form';
import { subscribeToHash } from '../../setup/admin/admin-setup-form';

const readHash = () => window.location.hash;

/**
 * The invitee's side of DESIGN §3.3: the link's secret stays in the fragment and in memory; this
 * page derives the invitation key from it, signs the acceptance with it and with the user's own
 * key, and then waits for an owner or admin to confirm (showing the safety number to compare).
 */
export function JoinView({ inviteId, signedIn }: { inviteId: string; signedIn: boolean }) {
  const t = useT();
  const describeError = useDescribeError();
  const router = useRouter();
  const hash = useSyncExternalStore(subscribeToHash, readHash, () => undefined);
  const { account, setAccount, setPendingRecoveryKey, setActiveOrgId } = useKeys();
  const [invitation, setInvitation] = useState<InvitationDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<MessageKey | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const refresh = useCallback(async () => {
    try {
      setInvitation(await api<InvitationDto>(`/api/invitations/${inviteId}`));
    } catch (err) {
      setError(describeError(err));
    }
  }, [inviteId, describeError]);

  useEffect(() => {
    let current = true;
    api<InvitationDto>(`/api/invitations/${inviteId}`).then((i) => current && setInvitation(i), (err: unknown) => current && setError(describeError(err)));
    return () => {
      current = false;
    };
  }, [inviteId, describeError, signedIn]);

  // While waiting for confirmation, look again now and then (and at once with the button).
  const waiting = !!invitation?.accepted && !invitation.member;
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setInterval(() => void refresh(), 5000);
    return () => window.clearInterval(timer);
  }, [waiting, refresh]);

  if (hash === undefined) return null;
  const secret = parseInviteSecret(hash);

  async function accept(acting: UnlockedAccount) {
    if (!invitation || !secret) return;
    setStep('join.accepting');
    setError(null);
    try {
      const request = await buildAcceptance(acting, invitation, secret).catch(() => {
        throw new Error(t('join.secret_mismatch'));
      });
      await api(`/api/invitations/${inviteId}/accept`, { method: 'POST', body: request });
      await refresh();
    } catch (err) {
      setError(describeError(err));
    }
    setStep(null);
  }

  async function onSignIn() {
    setError(null);
    try {
      const result = await signIn(setStep);
      setStep(null);
      if (result.kind === 'unlocked') {
        setAccount(result.account);
        router.refresh();
        await refresh();
        const fresh = await api<InvitationDto>(`/api/invitations/${inviteId}`);
        if (!fresh.accepted && !fresh.member && fresh.state === 'open') await accept(result.account);
      } else {
        router.refresh();
      }
    } catch (err) {
      setStep(null);
      setError(describeError(err));
    }
  }

  async function onSignUp(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = signUpOptionsRequestSchema.safeParse({ displayName: form.get('displayName'), email: form.get('email'), joinInviteId: inviteId });
    if (!parsed.success) {
      setFieldErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), issueMessage(t, i.message)])));
      return;
    }
    setFieldErrors({});
    setError(null);
    try {
      const result = await signUp({ displayName: parsed.data.displayName, email: parsed.data.email, joinInviteId: inviteId, passkeyName: describeDevice(t) }, setStep);
      setAccount(result.account);
      setPendingRecoveryKey(result.recoveryKeyText);
      router.refresh();
      await accept(result.account);
    } catch (err) {
      setStep(null);
      setError(describeError(err));
    }
  }

  /** Once confirmed, the new org's keys are opened with the account key in memory, and it becomes the active org. */
  async function openInbox() {
    if (!invitation) return;
    try {
      if (account) setAccount(await unlockAccount(account.accountKey, await fetchKeyBundle()));
      setActiveOrgId(invitation.orgId);
      void api('/api/session/org', { method: 'PUT', body: { orgId: invitation.orgId } }).catch(() => {});
      router.push('/inbox');
    } catch (err) {
      setError(describeError(err));
    }
  }

  if (!invitation) {
    return <section className="panel">{error ? <ErrorAlert message={error} /> : <p className="status" role="status">{t('join.loading')}</p>}</section>;
  }
  const role = t(`role.${invitation.role}` as MessageKey);
  const org = invitation.orgName;

  if (invitation.member) {
    return (
      <section className="panel stack" data-testid="join-confirmed">
        <p className="alert ok" role="status">{t('join.confirmed', { org })}</p>
        <ErrorAlert message={error} />
        {account ? <div className="row"><button type="button" onClick={openInbox}>{t('join.open_inbox', { org })}</button></div> : <UnlockPanel />}
      </section>
    );
  }
  if (invitation.accepted) {
    return (
      <section className="panel stack" data-testid="join-waiting">
        <p className="alert warn" role="status">{t('join.waiting', { org })}</p>
        {account ? (
          <>
            <p>{t('join.waiting_hint')}</p>
            <p className="recovery-key fingerprint" data-testid="own-safety-number">{account.fingerprint}</p>
          </>
        ) : (
          <UnlockPanel />
        )}
        <div className="row"><button type="button" className="secondary" onClick={() => void refresh()}>{t('join.check_again')}</button></div>
        <RecoveryHint />
      </section>
    );
  }
  if (invitation.state !== 'open') {
    return <section className="panel"><p className="alert error" role="alert">{t(invitation.state === 'expired' ? 'join.expired' : invitation.state === 'revoked' ? 'join.revoked' : 'join.used')}</p></section>;
  }

  return (
    <>
      <section className="panel stack">
        <p data-testid="join-invited"><strong>{t('join.invited', { org, role })}</strong></p>
        <p className="muted">{t(`role.${invitation.role}_hint` as MessageKey)}</p>
        {!secret && <p className="alert error" role="alert">{t('join.incomplete')}</p>}
        <ErrorAlert message={error} />
        <Progress step={step && t(step)} />
        {secret && signedIn && (account ? <div className="row"><button type="button" disabled={step !== null} onClick={() => void accept(account)}>{t('join.accept', { org })}</button></div> : <UnlockPanel />)}
      </section>
      {secret && !signedIn && (
        <>
          <section className="panel stack">
            <p>{t('join.sign_in_intro')}</p>
            <div className="row"><button type="button" onClick={onSignIn} disabled={step !== null}>{t('join.sign_in')}</button></div>
          </section>
          <form className="panel stack" onSubmit={onSignUp} noValidate aria-label={t('join.sign_up')}>
            <p>{t('join.sign_up_intro')}</p>
            <FormField label={t('signup.name')} name="displayName" autoComplete="name" required error={fieldErrors.displayName} />
            <FormField label={t('signup.email')} name="email" type="email" autoComplete="email" required error={fieldErrors.email} />
            <p className="muted">{t('join.sign_up_no_org', { org })}</p>
            <button type="submit" disabled={step !== null}>{t('join.sign_up')}</button>
          </form>
        </>
      )}
    </>
  );
}

/** After a sign-up on this page the new recovery key still has to be saved: point there. */
function RecoveryHint() {
  const t = useT();
  const router = useRouter();
  const { pendingRecoveryKey } = useKeys();
  if (!pendingRecoveryKey) return null;
  return (
    <p className="alert warn" role="note">
      {t('join.save_recovery_key')}{' '}
      <button type="button" className="secondary small" onClick={() => router.push('/recovery-kit')}>{t('join.save_recovery_key_button')}</button>
    </p>
  );
}
