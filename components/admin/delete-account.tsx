'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import type { AccountDeletionPreviewDto } from '@/lib/shared/schemas/admin';
import { errorBodySchema } from '@/lib/shared/schemas/errors';

async function errorMessage(response: Response): Promise<string> {
  return errorBodySchema.safeParse(await response.json().catch(() => null)).data?.error.message ?? 'That did not work.';
}

/**
 * Deleting an account, in two steps: first what it will do (fetched from the server, so it names
 * the organizations affected right now), then the admin types the email to confirm.
 */
export function DeleteAccount({ userId }: { userId: string }) {
  const router = useRouter();
  const [preview, setPreview] = useState<AccountDeletionPreviewDto | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const endpoint = `/api/admin/users/${userId}/delete`;

  async function review() {
    setBusy(true);
    setError(null);
    try {
      const response = await fetch(endpoint);
      if (!response.ok) setError(await errorMessage(response));
      else setPreview(((await response.json()) as { preview: AccountDeletionPreviewDto }).preview);
    } catch {
      setError('The server could not be reached.');
    } finally {
      setBusy(false);
    }
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const confirmEmail = String(new FormData(event.currentTarget).get('confirmEmail') ?? '');
      const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ confirmEmail }) });
      if (!response.ok) setError(await errorMessage(response));
      else {
        setPreview(null);
        router.refresh();
      }
    } catch {
      setError('The server could not be reached.');
    } finally {
      setBusy(false);
    }
  }

  if (!preview) {
    return (
      <div className="stack">
        <div><button type="button" className="danger" onClick={review} disabled={busy}>Delete account…</button></div>
        {error && <p role="alert" className="alert error">{error}</p>}
      </div>
    );
  }
  return (
    <form className="stack" onSubmit={onSubmit} aria-labelledby="delete-heading">
      <h3 id="delete-heading">Delete {preview.displayName}’s account?</h3>
      <ul>
        <li>Every passkey and session of this account ends now; nobody can sign in to it or recover it again. Its email address, name, recovery data, keyring and wrapped private keys are erased.</li>
        <li>
          Its public keys and membership certificates are kept, with a placeholder name: {preview.invoicesSigned === 1 ? 'one invoice names' : `${preview.invoicesSigned} invoices name`} this
          account as the signer, and the organizations that received them still need those keys to verify them. Invoices are not deleted.
        </li>
        {preview.orgsSuspended.length > 0 && (
          <li>
            It is the last owner of {preview.orgsSuspended.map((o, i) => (
              <span key={o.orgId}>{i > 0 && ', '}<Link href={`/admin/organizations/${o.orgId}`}>{o.orgName}</Link>{o.otherMembers > 0 ? ` (${o.otherMembers} other ${o.otherMembers === 1 ? 'member' : 'members'})` : ''}</span>
            ))}. {preview.orgsSuspended.length === 1 ? 'That organization is' : 'Those organizations are'} suspended, not deleted: {preview.orgsSuspended.length === 1 ? 'its' : 'their'} invoices stay readable for the customers who received them, and nothing new can be sent. You can resume an organization later if its other members should carry on.
          </li>
        )}
        {preview.orgsKept.length > 0 && <li>{preview.orgsKept.map((o) => o.orgName).join(', ')} {preview.orgsKept.length === 1 ? 'has' : 'have'} other owners and carr{preview.orgsKept.length === 1 ? 'ies' : 'y'} on unchanged.</li>}
      </ul>
      <label>Type <strong>{preview.email}</strong> to confirm<input name="confirmEmail" autoComplete="off" spellCheck={false} required /></label>
      {error && <p role="alert" className="alert error">{error}</p>}
      <div className="row">
        <button type="submit" className="danger" disabled={busy}>Delete account permanently</button>
        <button type="button" className="secondary" onClick={() => setPreview(null)} disabled={busy}>Cancel</button>
      </div>
    </form>
  );
}
