'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { ErrorAlert } from '@/components/form-field';
import { api } from '@/lib/client/api';
import { describeError } from '@/lib/client/errors';
import { EMAIL_CHANNEL } from '@/lib/client/email-channel';
import { NOTICE_KINDS, type NoticeKind, type NotificationSettings } from '@/lib/shared/schemas/notifications';

const LABELS: Record<NoticeKind, string> = {
  invoice_received: 'An invoice arrives for one of my organizations',
  payment_announced: 'A customer announces a payment',
  disputed: 'A customer disputes an invoice or withdraws a dispute',
  comment: 'Someone comments on a disputed invoice',
  paid: 'A supplier confirms my payment',
  cancelled: 'A supplier cancels an invoice',
  credited: 'A supplier issues a credit note',
  membership: 'Members of my organizations change',
};

/** E-mail address, its confirmation, and which notices to receive (DESIGN §12). */
export function NotificationsSection() {
  const [settings, setSettings] = useState<NotificationSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [changing, setChanging] = useState(false);

  useEffect(() => {
    let current = true;
    const load = () =>
      api<NotificationSettings>('/api/account/notifications')
        .then((result) => current && setSettings(result))
        .catch((err: unknown) => current && setError(describeError(err)));
    void load();
    // The link is usually opened in another tab: this one learns of it (verify-email.tsx) and
    // also looks again whenever the user comes back to it.
    const channel = new BroadcastChannel(EMAIL_CHANNEL);
    channel.onmessage = () => void load();
    const onVisible = () => document.visibilityState === 'visible' && void load();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      current = false;
      channel.close();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);

  async function run(action: () => Promise<string | null>) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await action());
    } catch (err) {
      setError(describeError(err));
    }
    setBusy(false);
  }

  // The box follows the click at once; the server's answer confirms it, or a failure puts it back.
  const toggle = (kind: NoticeKind, on: boolean) => {
    setSettings((s) => (s ? { ...s, prefs: { ...s.prefs, [kind]: on } } : s));
    return run(async () => {
      try {
        setSettings(await api<NotificationSettings>('/api/account/notifications', { method: 'PUT', body: { prefs: { [kind]: on } } }));
      } catch (err) {
        setSettings((s) => (s ? { ...s, prefs: { ...s.prefs, [kind]: !on } } : s));
        throw err;
      }
      return 'Saved.';
    });
  };

  const sendLink = (email?: string) =>
    run(async () => {
      const { sentTo } = await api<{ sentTo: string }>('/api/account/email', { body: email ? { email } : {} });
      setSettings(await api<NotificationSettings>('/api/account/notifications'));
      setChanging(false);
      return `We sent a confirmation link to ${sentTo}. Open it to confirm the address.`;
    });

  function onChange(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email') ?? '').trim();
    if (email) void sendLink(email);
  }

  return (
    <section className="panel stack" aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">E-mail notifications</h2>
      <p className="muted">Messages name organizations, what happened and when, with a link to the portal. They never contain invoice content: the server cannot read it.</p>
      {settings === null && !error && <p className="status">Loading…</p>}
      {settings && (
        <>
          <p data-testid="email-status">
            Address: <strong>{settings.email}</strong>{' '}
            {settings.emailVerified ? <span className="badge ok">confirmed</span> : <span className="badge warn">not confirmed — nothing is sent until you confirm it</span>}
          </p>
          {settings.pendingEmail && <p className="status">A link to change it to <strong>{settings.pendingEmail}</strong> is waiting to be opened.</p>}
          <div className="row">
            {!settings.emailVerified && <button type="button" onClick={() => void sendLink()} disabled={busy}>Send the confirmation link again</button>}
            {!changing && <button type="button" className="secondary" onClick={() => setChanging(true)} disabled={busy}>Use another address</button>}
          </div>
          {changing && (
            <form className="row" onSubmit={onChange}>
              <label>
                New address
                <input name="email" type="email" autoComplete="email" required maxLength={254} />
              </label>
              <button type="submit" disabled={busy}>Send a confirmation link</button>
              <button type="button" className="secondary" onClick={() => setChanging(false)}>Cancel</button>
            </form>
          )}
          <fieldset disabled={busy}>
            <legend>Tell me by e-mail when</legend>
            <div className="stack">
              {NOTICE_KINDS.map((kind) => (
                <label key={kind} className="checkbox">
                  <input type="checkbox" checked={settings.prefs[kind]} onChange={(e) => void toggle(kind, e.currentTarget.checked)} /> {LABELS[kind]}
                </label>
              ))}
            </div>
          </fieldset>
          <p className="muted">Security notices — a passkey added or removed, the recovery key used, every session ended — are always sent to a confirmed address: they are how you learn that someone else got in.</p>
        </>
      )}
      {notice && <p className="status" role="status">{notice}</p>}
      <ErrorAlert message={error} />
    </section>
  );
}
