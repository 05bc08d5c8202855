'use client';

import { useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ErrorAlert } from '@/components/form-field';
import { orgFingerprint } from '@/lib/client/account';
import { api } from '@/lib/client/api';
import { LocalizedError } from '@/lib/client/errors';
import { useDescribeError, useT } from '@/lib/client/i18n';
import type { PinState } from '@/lib/client/keyring';
import { useKeyring, useKeys } from '@/lib/client/keys-context';
import { acceptNewKeys, counterpartyPin, followKeyRotations, pinFirstContacts, pinnedFingerprint } from '@/lib/client/trust';
import { fromBase64Url } from '@/lib/crypto/encoding';
import type { OrgPublicKeys } from '@/lib/shared/invoice-dto';
import { orgPublicKeysSchema } from '@/lib/shared/schemas/responses';
import { ProvisionalRecipient } from './provisional-recipient';

export interface Recipient {
  org: OrgPublicKeys;
  fingerprint: string;
}

/**
 * Finds the customer organization by its handle — or, for a customer without an account, makes or
 * picks its provisional organization (DESIGN §11) — and pins its keys on first contact (DESIGN §5).
 * A key that differs from the pinned one blocks sending until the user accepts the new one.
 */
export function RecipientPicker({ ownOrgId, onChange }: { ownOrgId: string; onChange: (recipient: Recipient | null) => void }) {
  const describeError = useDescribeError();
  const t = useT();
  const preselected = useSearchParams().get('customer');
  const [mode, setMode] = useState<'handle' | 'email'>(preselected ? 'email' : 'handle');
  const [found, setFound] = useState<(Recipient & { pin: PinState; pinnedFingerprint?: string; rotatedTo?: number; provisional?: 'created' | 'chosen' }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { current: currentKeyring, updateKeyring } = useKeyring();
  const ownOrg = useKeys().account?.orgs.find((o) => o.orgId === ownOrgId);

  function reset() {
    setError(null);
    setFound(null);
    onChange(null);
  }

  async function onLookup(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const handle = String(new FormData(event.currentTarget).get('handle') ?? '').trim();
    reset();
    setBusy(true);
    try {
      const org = await api(`/api/orgs/lookup?handle=${encodeURIComponent(handle)}`, {}, orgPublicKeysSchema);
      // Pins are also found by handle (see pinFor), so the answer must be for the handle asked.
      if (org.handle !== handle.toLowerCase()) throw new LocalizedError('recipient.other_org');
      if (org.orgId === ownOrgId) throw new LocalizedError('recipient.own_org');
      await checkRecipient(org);
    } catch (err) {
      setError(describeError(err));
    }
    setBusy(false);
  }

  /** The same trust check for every recipient: follow signed rotations, pin on first contact, block a changed key. */
  async function checkRecipient(org: OrgPublicKeys, provisional?: 'created' | 'chosen') {
    const fingerprint = await orgFingerprint(org.orgId, fromBase64Url(org.signingPublicKey), fromBase64Url(org.encryptionPublicKey));
    // A rotation signed by the keys pinned before is followed, not shown as a key change (§3.3).
    const rotated = await followKeyRotations([org], currentKeyring, updateKeyring);
    const keyring = currentKeyring();
    const pin = counterpartyPin(keyring, org, false);
    if (pin === 'new') await updateKeyring(pinFirstContacts([{ org, fingerprint }]));
    setFound({ org, fingerprint, pin, pinnedFingerprint: pinnedFingerprint(keyring, org), rotatedTo: rotated.length ? org.keyVersion : undefined, provisional });
    if (pin !== 'changed') onChange({ org, fingerprint });
  }

  async function onAcceptNewKey() {
    if (!found) return;
    await updateKeyring(acceptNewKeys(found));
    setFound({ ...found, pin: 'pinned' });
    onChange({ org: found.org, fingerprint: found.fingerprint });
  }

  return (
    <section className="panel stack" aria-labelledby="recipient-heading">
      <h2 id="recipient-heading">{t('recipient.heading')}</h2>
      <fieldset className="row">
        <legend>{t('provisional.mode_label')}</legend>
        <label className="checkbox"><input type="radio" name="recipientMode" checked={mode === 'handle'} onChange={() => { reset(); setMode('handle'); }} /> {t('provisional.mode_handle')}</label>
        <label className="checkbox"><input type="radio" name="recipientMode" checked={mode === 'email'} onChange={() => { reset(); setMode('email'); }} /> {t('provisional.mode_email')}</label>
      </fieldset>
      {mode === 'email' && ownOrg && (
        <ProvisionalRecipient org={ownOrg} preselected={preselected} onBusy={setBusy} busy={busy} onError={(err) => setError(err === null ? null : describeError(err))}
          onPicked={async (org, how) => { reset(); await checkRecipient(org, how); }} />
      )}
      {mode === 'handle' && <form className="row" onSubmit={onLookup}>
        <label>
          {t('recipient.handle')}
          <input name="handle" placeholder={t('recipient.placeholder')} autoComplete="off" spellCheck={false} required />
        </label>
        <button type="submit" className="secondary" disabled={busy}>{t('recipient.find')}</button>
      </form>}
      <ErrorAlert message={error} />
      {found && found.pin !== 'changed' && (
        <div className="alert ok" role="status" data-testid="recipient">
          <strong>{found.org.name}</strong> — {t('recipient.safety_number')} <span className="fingerprint">{found.fingerprint}</span>
          <br />
          {found.provisional
            ? t(found.provisional === 'created' ? 'provisional.created' : 'provisional.chosen', { name: found.org.name })
            : found.pin === 'new'
            ? t('recipient.first_contact')
            : found.rotatedTo
              ? t('recipient.rotated', { org: found.org.name, version: found.rotatedTo })
              : t('recipient.match')}
        </div>
      )}
      {found?.pin === 'changed' && (
        <div className="alert error" role="alert">
          <strong>{t('recipient.changed', { org: found.org.name })}</strong> {t('recipient.changed_explain', { org: found.org.name })}
          <p className="fingerprint">{t('recipient.new')} {found.fingerprint}<br />{t('recipient.pinned')} {found.pinnedFingerprint}</p>
          <button type="button" className="danger" onClick={onAcceptNewKey}>{t('recipient.accept')}</button>
        </div>
      )}
    </section>
  );
}
