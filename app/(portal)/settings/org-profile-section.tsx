'use client';

import Link from 'next/link';
import { useEffect, useState, type FormEvent } from 'react';
import { ErrorAlert, FormField } from '@/components/form-field';
import type { UnlockedOrg } from '@/lib/client/account';
import { useDescribeError } from '@/lib/client/i18n';
import { useActiveOrg } from '@/lib/client/keys-context';
import { loadOrgProfile, saveOrgProfile, type LoadedOrgProfile } from '@/lib/client/org-profile';
import { orgProfileSchema } from '@/lib/shared/schemas/org-profile';

const TEXT = {
  heading: 'Organization profile',
  intro: 'Your organization’s own details, filled into every new invoice. They are encrypted in your browser for the members of your organization; the server stores only ciphertext.',
  locked: { before: 'Unlock your keys on the ', link: 'home page', after: ' to see and change the organization profile.' },
  loading: 'Opening the organization profile…',
  readOnly: 'Only owners and admins can change these details.',
  rekeyed: 'Your organization’s keys were rotated since the profile was saved, so it must be entered and saved again.',
  unreadable: 'The stored profile could not be opened with your organization’s key: it was altered or does not belong to this organization. It is not used; enter and save the details again.',
  legend: { company: 'Company', address: 'Address', bank: 'Bank and terms' },
  labels: { name: 'Legal name', street: 'Street and number', postalCode: 'Postal code', city: 'City', country: 'Country code', vatId: 'VAT id', payeeName: 'Payee name (if not the legal name)', iban: 'IBAN', bic: 'BIC', terms: 'Payment terms (days)' },
  termsHint: 'The due date of a new invoice is its issue date plus these days.',
  save: 'Save profile',
  saving: 'Saving…',
  saved: 'Saved. New invoices start from these details.',
  correct: 'Please correct the highlighted fields.',
};

export function OrgProfileSection() {
  const org = useActiveOrg();
  if (!org) {
    return (
      <section className="panel">
        <h2>{TEXT.heading}</h2>
        <p className="muted">{TEXT.locked.before}<Link href="/home">{TEXT.locked.link}</Link>{TEXT.locked.after}</p>
      </section>
    );
  }
  return <OrgProfileForm key={org.orgId} org={org} />;
}

function OrgProfileForm({ org }: { org: UnlockedOrg }) {
  const describeError = useDescribeError();
  const [loaded, setLoaded] = useState<LoadedOrgProfile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const mayEdit = org.role === 'owner' || org.role === 'admin';

  useEffect(() => {
    let current = true;
    loadOrgProfile(org).then((p) => current && setLoaded(p), (err: unknown) => current && setError(describeError(err)));
    return () => {
      current = false;
    };
  }, [describeError, org]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!loaded || busy) return;
    const form = new FormData(event.currentTarget);
    const get = (name: string) => String(form.get(name) ?? '');
    setError(null);
    setSaved(false);
    const parsed = orgProfileSchema.safeParse({
      v: 1,
      name: get('name'),
      address: { street: get('street'), postalCode: get('postalCode'), city: get('city'), country: get('country') },
      vatId: get('vatId'),
      payeeName: get('payeeName'),
      iban: get('iban'),
      bic: get('bic'),
      paymentTermsDays: get('terms'),
    });
    if (!parsed.success) {
      setFieldErrors(Object.fromEntries(parsed.error.issues.map((i) => [i.path.at(-1) === 'paymentTermsDays' ? 'terms' : String(i.path.at(-1)), i.message])));
      setError(TEXT.correct);
      return;
    }
    setFieldErrors({});
    setBusy(true);
    try {
      const revision = await saveOrgProfile(org, parsed.data, loaded.revision);
      setLoaded({ profile: parsed.data, revision, state: 'ok' });
      setSaved(true);
    } catch (err) {
      setError(describeError(err));
    }
    setBusy(false);
  }

  if (!loaded) {
    return (
      <section className="panel">
        <h2>{TEXT.heading}</h2>
        {error ? <ErrorAlert message={error} /> : <p className="status" role="status">{TEXT.loading}</p>}
      </section>
    );
  }
  const p = loaded.profile;
  const f = (name: string) => fieldErrors[name];
  return (
    <section className="panel stack" aria-labelledby="org-profile-heading">
      <h2 id="org-profile-heading">{TEXT.heading}</h2>
      <p className="muted">{TEXT.intro}</p>
      {loaded.state === 'rekeyed' && <p className="alert warn" role="note">{TEXT.rekeyed}</p>}
      {loaded.state === 'unreadable' && <p className="alert error" role="alert" data-testid="org-profile-unreadable">{TEXT.unreadable}</p>}
      {!mayEdit && <p className="alert warn" role="note">{TEXT.readOnly}</p>}
      <form className="stack" onSubmit={onSubmit} noValidate aria-label={TEXT.heading}>
        <fieldset className="grid" disabled={!mayEdit || busy}>
          <legend>{TEXT.legend.company}</legend>
          <FormField label={TEXT.labels.name} name="name" defaultValue={p?.name ?? org.name} required error={f('name')} autoComplete="organization" />
          <FormField label={TEXT.labels.vatId} name="vatId" defaultValue={p?.vatId} error={f('vatId')} />
        </fieldset>
        <fieldset className="grid" disabled={!mayEdit || busy}>
          <legend>{TEXT.legend.address}</legend>
          <FormField label={TEXT.labels.street} name="street" defaultValue={p?.address.street} error={f('street')} autoComplete="street-address" />
          <FormField label={TEXT.labels.postalCode} name="postalCode" defaultValue={p?.address.postalCode} error={f('postalCode')} autoComplete="postal-code" />
          <FormField label={TEXT.labels.city} name="city" defaultValue={p?.address.city} error={f('city')} autoComplete="address-level2" />
          <FormField label={TEXT.labels.country} name="country" defaultValue={p?.address.country} maxLength={2} error={f('country')} autoComplete="country" />
        </fieldset>
        <fieldset className="grid" disabled={!mayEdit || busy}>
          <legend>{TEXT.legend.bank}</legend>
          <FormField label={TEXT.labels.payeeName} name="payeeName" defaultValue={p?.payeeName} error={f('payeeName')} />
          <FormField label={TEXT.labels.iban} name="iban" defaultValue={p?.iban} autoComplete="off" spellCheck={false} error={f('iban')} />
          <FormField label={TEXT.labels.bic} name="bic" defaultValue={p?.bic} autoComplete="off" spellCheck={false} error={f('bic')} />
          <FormField label={TEXT.labels.terms} name="terms" type="number" min={0} max={365} inputMode="numeric" defaultValue={p?.paymentTermsDays ?? 30} hint={TEXT.termsHint} error={f('terms')} />
        </fieldset>
        <ErrorAlert message={error} />
        {saved && <p className="alert ok" role="status" data-testid="org-profile-saved">{TEXT.saved}</p>}
        {mayEdit && <div className="row"><button type="submit" disabled={busy}>{busy ? TEXT.saving : TEXT.save}</button></div>}
      </form>
    </section>
  );
}
