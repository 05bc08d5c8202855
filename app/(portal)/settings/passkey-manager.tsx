'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { ErrorAlert, Progress } from '@/components/form-field';
import { api } from '@/lib/client/api';
import { useDescribeError } from '@/lib/client/i18n';
import { addPasskey, removePasskey } from '@/lib/client/flows';
import { useKeys } from '@/lib/client/keys-context';
import type { PasskeySummary } from '@/lib/shared/schemas/auth';

const date = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'never');

export function PasskeyManager() {
  const describeError = useDescribeError();
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
    if (!account || !name) return setError(name ? 'Unlock your keys first.' : 'Give the new passkey a name.');
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
    if (!window.confirm(`Remove the passkey “${passkey.name}”? You will no longer be able to sign in with it.`)) return;
    setStep('Confirm with your passkey…');
    void run(() => removePasskey(passkey.id));
  }

  return (
    <section className="panel stack" aria-labelledby="passkeys-heading">
      <h2 id="passkeys-heading">Passkeys</h2>
      {passkeys === null && !error && <p className="status">Loading passkeys…</p>}
      {passkeys && (
        <table>
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Backed up</th><th scope="col">Unlocks keys</th><th scope="col"><span className="muted">Actions</span></th></tr>
          </thead>
          <tbody>
            {passkeys.map((p) => (
              <tr key={p.id} data-testid="passkey-row">
                <td>
                  {editing === p.id ? (
                    <form className="row" onSubmit={(e) => onRename(e, p.id)}>
                      <input name="name" defaultValue={p.name} aria-label="New passkey name" maxLength={60} required autoFocus />
                      <button type="submit">Save</button>
                      <button type="button" className="secondary" onClick={() => setEditing(null)}>Cancel</button>
                    </form>
                  ) : (
                    <>{p.name}{p.current && <span className="badge"> this session</span>}</>
                  )}
                </td>
                <td>{date(p.createdAt)}</td>
                <td>{date(p.lastUsedAt)}</td>
                <td>{p.backedUp ? 'Yes (synced)' : p.multiDevice ? 'Not yet' : 'No (device-bound)'}</td>
                <td>{p.canUnlock ? 'Yes' : 'No — use the recovery key'}</td>
                <td className="row">
                  <button type="button" className="secondary" onClick={() => setEditing(p.id)} aria-label={`Rename ${p.name}`}>Rename</button>
                  <button type="button" className="danger" onClick={() => onRemove(p)} disabled={passkeys.length <= 1 || step !== null} aria-label={`Remove ${p.name}`} title={passkeys.length <= 1 ? 'Your only passkey cannot be removed' : undefined}>Remove</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="row" onSubmit={onAdd}>
        <label>
          New passkey name
          <input name="name" placeholder="e.g. Office laptop" maxLength={60} />
        </label>
        <button type="submit" disabled={!account || step !== null}>Add a passkey</button>
      </form>
      {!account && <p className="muted">Unlock your keys on the home page to add a passkey: the new passkey gets its own copy of your account key.</p>}
      <ErrorAlert message={error} />
      <Progress step={step} />
    </section>
  );
}
