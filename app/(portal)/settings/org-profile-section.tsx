'use client';

import Link from 'next/link';
import { useEffect, useState, type FormEvent } from 'react';
import { ErrorAlert, FormField } from '@/components/form-field';
import type { UnlockedOrg } from '@/lib/client/account';
import { useDescribeError, useT } from '@/lib/client/i18n';
import { useActiveOrg } from '@/lib/client/keys-context';
import { loadOrgProfile, saveOrgProfile, type LoadedOrgProfile } from '@/lib/client/org-profile';
import { orgProfileSchema } from '@/lib/shared/schemas/org-profile';
import { issueMessage } from '@/lib/shared/i18n/errors';

export function OrgProfileSection() {
  const t = useT();
  const org = useActiveOrg();
  if (!org) {
    return (
      <section className="panel">
        <h2>{t('profile.title')}</h2>
        <p className="muted">{t('profile.locked_before')}<Link href="/home">{t('profile.locked_link')}</Link>{t('profile.locked_after')}</p>
      </section>
    );
  }
  return <OrgProfileForm key={org.orgId} org={org} />;
}

function OrgProfileForm({ org }: { org: UnlockedOrg }) {
  const describeError = useDescribeError();
  const t = useT();
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
      setFieldErrors(Object.fromEntries(parsed.error.issues.map((i) => [i.path.at(-1) === 'paymentTermsDays' ? 'terms' : String(i.path.at(-1)), issueMessage(t, i.message)])));
      setError(t('profile.correct'));
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
        <h2>{t('profile.title')}</h2>
        {error ? <ErrorAlert message={error} /> : <p className="status" role="status">{t('profile.loading')}</p>}
      </section>
    );
  }
  const p = loaded.profile;
  const f = (name: string) => fieldErrors[name];
  return (
    <section className="panel stack" aria-labelledby="org-profile-heading">
      <h2 id="org-profile-heading">{t('profile.title')}</h2>
      <p className="muted">{t('profile.intro')}</p>
      {loaded.state === 'rekeyed' && <p className="alert warn" role="note">{t('profile.rekeyed')}</p>}
      {loaded.state === 'unreadable' && <p className="alert error" role="alert" data-testid="org-profile-unreadable">{t('profile.unreadable')}</p>}
      {!mayEdit && <p className="alert warn" role="note">{t('profile.read_only')}</p>}
      <form className="stack" onSubmit={onSubmit} noValidate aria-label={t('profile.title')}>
        <fieldset className="grid" disabled={!mayEdit || busy}>
          <legend>{t('profile.legend_company')}</legend>
          <FormField label={t('profile.name')} name="name" defaultValue={p?.name ?? org.name} required error={f('name')} autoComplete="organization" />
          <FormField label={t('profile.vat_id')} name="vatId" defaultValue={p?.vatId} error={f('vatId')} />
        </fieldset>
        <fieldset className="grid" disabled={!mayEdit || busy}>
          <legend>{t('profile.legend_address')}</legend>
          <FormField label={t('profile.street')} name="street" defaultValue={p?.address.street} error={f('street')} autoComplete="street-address" />
          <FormField label={t('profile.postal_code')} name="postalCode" defaultValue={p?.address.postalCode} error={f('postalCode')} autoComplete="postal-code" />
          <FormField label={t('profile.city')} name="city" defaultValue={p?.address.city} error={f('city')} autoComplete="address-level2" />
          <FormField label={t('profile.country')} name="country" defaultValue={p?.address.country} maxLength={2} error={f('country')} autoComplete="country" />
        </fieldset>
        <fieldset className="grid" disabled={!mayEdit || busy}>
          <legend>{t('profile.legend_bank')}</legend>
          <FormField label={t('profile.payee_name')} name="payeeName" defaultValue={p?.payeeName} error={f('payeeName')} />
          <FormField label={t('profile.iban')} name="iban" defaultValue={p?.iban} autoComplete="off" spellCheck={false} error={f('iban')} />
          <FormField label={t('profile.bic')} name="bic" defaultValue={p?.bic} autoComplete="off" spellCheck={false} error={f('bic')} />
          <FormField label={t('profile.terms')} name="terms" type="number" min={0} max={365} inputMode="numeric" defaultValue={p?.paymentTermsDays ?? 30} hint={t('profile.terms_hint')} error={f('terms')} />
        </fieldset>
        <ErrorAlert message={error} />
        {saved && <p className="alert ok" role="status" data-testid="org-profile-saved">{t('profile.saved')}</p>}
        {mayEdit && <div className="row"><button type="submit" disabled={busy}>{busy ? t('profile.saving') : t('profile.save')}</button></div>}
      </form>
    </section>
  );
}
