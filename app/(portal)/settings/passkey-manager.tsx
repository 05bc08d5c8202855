'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { ErrorAlert, Progress } from '@/components/form-field';
import { api } from '@/lib/client/api';
import { useDescribeError, useFormat, useT } from '@/lib/client/i18n';
import { addPasskey, removePasskey } from '@/lib/client/flows';
import { useKeys } from '@/lib/client/keys-context';
import type { PasskeySummary } from '@/lib/shared/schemas/auth';

export function PasskeyManager() {
  const describeError = useDescribeError();
  const t = useT();
  const format = useFormat();
  const date = (iso: string | null) => (iso ? <time dateTime={iso}>{format.dateTime(iso)}</time> : t('passkeys.never'));
  const { account } = useKeys();
  const [passkeys, setPasskeys] = useState<PasskeySummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);

  const [revision, setRevision] = useState(0);

  useEffect(() => {
    let current = true;
    api<{ passkeys: PasskeySummary[] }>('/api/passkeys')
      .then((result) => current && setPasskeys(result.passkeys))
      .catch((err: unknown) => current && setError(describeError(err)));
    return () => {
      current = false;
    };
  }, [describeError, revision]);

  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
      setRevision((r) => r + 1);
    } catch (err) {
      setError(describeError(err));
    }
    setStep(null);
  }

  function onAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name') ?? '').trim();
    if (!account || !name) return setError(name ? t('passkeys.unlock_first') : t('passkeys.name_required'));
    event.currentTarget.reset();
    void run(() => addPasskey(account, name, setStep));
  }

  function onRename(event: FormEvent<HTMLFormElement>, id: string) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name') ?? '').trim();
    void run(async () => {
      await api(`/api/passkeys/${encodeURIComponent(id)}`, { method: 'PATCH', body: { name } });
      setEditing(null);
    });
  }

  function onRemove(passkey: PasskeySummary) {
    if (!window.confirm(t('passkeys.remove_confirm', { name: passkey.name }))) return;
    setStep(t('passkeys.confirm_step'));
    void run(() => removePasskey(passkey.id));
  }

  return (
    <section className="panel stack" aria-labelledby="passkeys-heading">
      <h2 id="passkeys-heading">{t('passkeys.title')}</h2>
      {passkeys === null && !error && <p className="status">{t('passkeys.loading')}</p>}
      {passkeys && (
        // On a phone each passkey becomes a card, each value labelled (a squeezed table broke its headings letter by letter).
        <table className="cards">
          <thead>
            <tr><th scope="col">{t('passkeys.name')}</th><th scope="col">{t('passkeys.created')}</th><th scope="col">{t('passkeys.last_used')}</th><th scope="col">{t('passkeys.backed_up')}</th><th scope="col">{t('passkeys.unlocks')}</th><th scope="col"><span className="muted">{t('passkeys.actions')}</span></th></tr>
          </thead>
          <tbody>
            {passkeys.map((p) => (
              <tr key={p.id} data-testid="passkey-row">
                <td className="title">
                  {editing === p.id ? (
                    <form className="row" onSubmit={(e) => onRename(e, p.id)}>
                      <input name="name" defaultValue={p.name} aria-label={t('passkeys.new_name')} maxLength={60} required autoFocus />
                      <button type="submit">{t('passkeys.save')}</button>
                      <button type="button" className="secondary" onClick={() => setEditing(null)}>{t('passkeys.cancel')}</button>
                    </form>
                  ) : (
                    <>{p.name}{p.current && <span className="badge"> {t('passkeys.this_session')}</span>}</>
                  )}
                </td>
                <td data-label={t('passkeys.created')}>{date(p.createdAt)}</td>
                <td data-label={t('passkeys.last_used')}>{date(p.lastUsedAt)}</td>
                <td data-label={t('passkeys.backed_up')}>{p.backedUp ? t('passkeys.synced') : p.multiDevice ? t('passkeys.not_yet') : t('passkeys.device_bound')}</td>
                <td data-label={t('passkeys.unlocks')}>{p.canUnlock ? t('passkeys.yes') : t('passkeys.no_recovery')}</td>
                <td className="row">
                  <button type="button" className="secondary" onClick={() => setEditing(p.id)} aria-label={t('passkeys.rename_label', { name: p.name })}>{t('passkeys.rename')}</button>
                  <button type="button" className="danger" onClick={() => onRemove(p)} disabled={passkeys.length <= 1 || step !== null} aria-label={t('passkeys.remove_label', { name: p.name })} title={passkeys.length <= 1 ? t('passkeys.only_one') : undefined}>{t('passkeys.remove')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="row" onSubmit={onAdd}>
        <label>
          {t('passkeys.new_name')}
          <input name="name" placeholder={t('passkeys.name_placeholder')} maxLength={60} />
        </label>
        <button type="submit" disabled={!account || step !== null}>{t('passkeys.add')}</button>
      </form>
      {!account && <p className="muted">{t('passkeys.locked')}</p>}
      <ErrorAlert message={error} />
      <Progress step={step} />
    </section>
  );
}
