'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { ErrorAlert } from '@/components/form-field';
import { api } from '@/lib/client/api';
import { EMAIL_CHANNEL } from '@/lib/client/email-channel';
import { useDescribeError, useT } from '@/lib/client/i18n';
import { NOTICE_KINDS, type NoticeKind, type NotificationSettings } from '@/lib/shared/schemas/notifications';

/** E-mail address, its confirmation, and which notices to receive (DESIGN §12). */
export function NotificationsSection() {
  const t = useT();
  const describeError = useDescribeError();
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
  }, [describeError]);

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
      return t('notifications.saved');
    });
  };

  const sendLink = (email?: string) =>
    run(async () => {
      const { sentTo } = await api<{ sentTo: string }>('/api/account/email', { body: email ? { email } : {} });
      setSettings(await api<NotificationSettings>('/api/account/notifications'));
      setChanging(false);
      return t('notifications.sent', { email: sentTo });
    });

  function onChange(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email') ?? '').trim();
    if (email) void sendLink(email);
  }

  return (
    <section className="panel stack" aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">{t('notifications.heading')}</h2>
      <p className="muted">{t('notifications.intro')}</p>
      {settings === null && !error && <p className="status">{t('notifications.loading')}</p>}
      {settings && (
        <>
          <p data-testid="email-status">
            {t('notifications.address')} <strong>{settings.email}</strong>{' '}
            {settings.emailVerified ? <span className="badge ok">{t('notifications.confirmed')}</span> : <span className="badge warn">{t('notifications.unconfirmed')}</span>}
          </p>
          {settings.pendingEmail && <p className="status">{t('notifications.pending', { email: settings.pendingEmail })}</p>}
          <div className="row">
            {!settings.emailVerified && <button type="button" onClick={() => void sendLink()} disabled={busy}>{t('notifications.resend')}</button>}
            {!changing && <button type="button" className="secondary" onClick={() => setChanging(true)} disabled={busy}>{t('notifications.change')}</button>}
          </div>
          {changing && (
            <form className="row" onSubmit={onChange}>
              <label>
                {t('notifications.new_address')}
                <input name="email" type="email" autoComplete="email" required maxLength={254} />
              </label>
              <button type="submit" disabled={busy}>{t('notifications.send_link')}</button>
              <button type="button" className="secondary" onClick={() => setChanging(false)}>{t('notifications.cancel')}</button>
            </form>
          )}
          <fieldset disabled={busy}>
            <legend>{t('notifications.legend')}</legend>
            <div className="stack">
              {NOTICE_KINDS.map((kind) => (
                <label key={kind} className="checkbox">
                  <input type="checkbox" checked={settings.prefs[kind]} onChange={(e) => void toggle(kind, e.currentTarget.checked)} /> {t(`notifications.kind.${kind}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <p className="muted">{t('notifications.security')}</p>
        </>
      )}
      {notice && <p className="status" role="status">{notice}</p>}
      <ErrorAlert message={error} />
    </section>
  );
}
