'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { api } from '@/lib/client/api';
import { useDescribeError, useT } from '@/lib/client/i18n';
import type { CreatedInvitationDto, InvitationKind, RegistrationMode } from '@/lib/shared/schemas/admin';

async function send(url: string, method: 'PUT' | 'POST', body: unknown, describeError: (error: unknown) => string): Promise<{ ok: true; data: unknown } | { ok: false; message: string }> {
  try {
    return { ok: true, data: await api<unknown>(url, { method, body }) };
  } catch (error) {
    return { ok: false, message: describeError(error) };
  }
}

export function RegistrationForm({ registration }: { registration: RegistrationMode }) {
  const t = useT();
  const describeError = useDescribeError();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const mode = new FormData(event.currentTarget).get('registration');
    setBusy(true);
    const result = await send('/api/admin/settings/registration', 'PUT', { registration: mode }, describeError);
    setBusy(false);
    setMessage(result.ok ? { ok: true, text: t('adm.registration_saved') } : { ok: false, text: result.message });
    if (result.ok) router.refresh();
  }

  return (
    <form className="stack" onSubmit={onSubmit}>
      <fieldset className="choices">
        <legend>{t('adm.who_may')}</legend>
        <label className="choice"><input type="radio" name="registration" value="open" defaultChecked={registration === 'open'} /> <span>{t('adm.may.open')}</span></label>
        <label className="choice"><input type="radio" name="registration" value="invitation" defaultChecked={registration === 'invitation'} /> <span>{t('adm.may.invitation')}</span></label>
      </fieldset>
      {message && <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'status' : 'alert error'}>{message.text}</p>}
      <div><button type="submit" disabled={busy}>{t('adm.registration_save')}</button></div>
    </form>
  );
}

/** Creates a one-time link and shows it once: only its hash is stored, so it cannot be shown again. */
export function InvitationCreator({ kind }: { kind: InvitationKind }) {
  const t = useT();
  const describeError = useDescribeError();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedInvitationDto | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function onClick() {
    setBusy(true);
    setError(null);
    const result = await send('/api/admin/invitations', 'POST', { kind }, describeError);
    setBusy(false);
    if (!result.ok) return setError(result.message);
    setCreated((result.data as { invitation: CreatedInvitationDto }).invitation);
    router.refresh();
  }

  return (
    <div className="stack">
      <div><button type="button" onClick={onClick} disabled={busy}>{t(`adm.create.${kind}`)}</button></div>
      {error && <p role="alert" className="alert error">{error}</p>}
      {created && (
        <div className="alert ok stack" role="status">
          <label>
            {t(`adm.link.${kind}`)}
            <input readOnly value={created.url} onFocus={(e) => e.currentTarget.select()} spellCheck={false} />
          </label>
          <p>{t('adm.link_explain', { when: created.expiresAt.replace('T', ' ').slice(0, 16) })}</p>
          <div><button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(created.url)}>{t('adm.copy_link')}</button></div>
        </div>
      )}
    </div>
  );
}
