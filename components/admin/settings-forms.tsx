'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import type { CreatedInvitationDto, InvitationKind, RegistrationMode } from '@/lib/shared/schemas/admin';
import { errorBodySchema } from '@/lib/shared/schemas/errors';

async function send(url: string, method: 'PUT' | 'POST', body: unknown): Promise<{ ok: true; data: unknown } | { ok: false; message: string }> {
  try {
    const response = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const data: unknown = await response.json().catch(() => null);
    if (response.ok) return { ok: true, data };
    return { ok: false, message: errorBodySchema.safeParse(data).data?.error.message ?? 'That did not work.' };
  } catch {
    return { ok: false, message: 'The server could not be reached.' };
  }
}

export function RegistrationForm({ registration }: { registration: RegistrationMode }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const mode = new FormData(event.currentTarget).get('registration');
    setBusy(true);
    const result = await send('/api/admin/settings/registration', 'PUT', { registration: mode });
    setBusy(false);
    setMessage(result.ok ? { ok: true, text: 'Registration setting saved.' } : { ok: false, text: result.message });
    if (result.ok) router.refresh();
  }

  return (
    <form className="stack" onSubmit={onSubmit}>
      <fieldset className="choices">
        <legend>Who may create an account</legend>
        <label className="choice"><input type="radio" name="registration" value="open" defaultChecked={registration === 'open'} /> <span>Anyone who opens the sign-up page</span></label>
        <label className="choice"><input type="radio" name="registration" value="invitation" defaultChecked={registration === 'invitation'} /> <span>Only people with a one-time sign-up invitation link</span></label>
      </fieldset>
      {message && <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'status' : 'alert error'}>{message.text}</p>}
      <div><button type="submit" disabled={busy}>Save registration setting</button></div>
    </form>
  );
}

const LABEL: Record<InvitationKind, string> = { admin: 'Create administrator invitation', 'sign-up': 'Create sign-up invitation' };

/** Creates a one-time link and shows it once: only its hash is stored, so it cannot be shown again. */
export function InvitationCreator({ kind }: { kind: InvitationKind }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedInvitationDto | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function onClick() {
    setBusy(true);
    setError(null);
    const result = await send('/api/admin/invitations', 'POST', { kind });
    setBusy(false);
    if (!result.ok) return setError(result.message);
    setCreated((result.data as { invitation: CreatedInvitationDto }).invitation);
    router.refresh();
  }

  return (
    <div className="stack">
      <div><button type="button" onClick={onClick} disabled={busy}>{LABEL[kind]}</button></div>
      {error && <p role="alert" className="alert error">{error}</p>}
      {created && (
        <div className="alert ok stack" role="status">
          <label>
            {kind === 'admin' ? 'Administrator invitation link' : 'Sign-up invitation link'}
            <input readOnly value={created.url} onFocus={(e) => e.currentTarget.select()} spellCheck={false} />
          </label>
          <p>Send it to one person over a channel you trust. It works once, until {created.expiresAt.replace('T', ' ').slice(0, 16)} UTC, and is shown only now.</p>
          <div><button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(created.url)}>Copy link</button></div>
        </div>
      )}
    </div>
  );
}
