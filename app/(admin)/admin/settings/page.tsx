import type { Metadata } from 'next';
import { InvitationCreator, RegistrationForm } from '@/components/admin/settings-forms';
import { getSettings } from '@/lib/server/admin/settings';
import { LanguageSwitch } from '@/components/language-switch';
import { getFormat, getT, languageChoice } from '@/lib/server/i18n';
import { RichText } from '@/components/rich-text';
import { requireAdminSession } from '@/lib/server/pages';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('adm.settings') };
}


export default async function SettingsPage() {
  await requireAdminSession();
  const settings = await getSettings();
  const { t, format } = await getFormat();
  const time = (iso: string | null) => (iso ? format.dateTime(iso) : '—');
  return (
    <main id="main" style={{ maxWidth: '1100px' }}>
      <h1>{t('adm.settings')}</h1>
      <section className="panel stack" aria-labelledby="registration">
        <h2 id="registration">{t('adm.registration')}</h2>
        <p className="muted"><RichText text={t('adm.registration_now', { mode: t(`adm.registration.${settings.registration}`) })} /></p>
        <RegistrationForm registration={settings.registration} />
        <InvitationCreator kind="sign-up" />
      </section>
      <section className="panel stack" aria-labelledby="admins">
        <h2 id="admins">{t('adm.admins')}</h2>
        <p className="muted">{t('adm.admins_explain')}</p>
        <InvitationCreator kind="admin" />
      </section>
      <section className="panel" aria-labelledby="invitations">
        <h2 id="invitations">{t('adm.invitations')}</h2>
        <table className="cards" aria-label={t('adm.invitations_table')}>
          <thead><tr><th>{t('adm.col.kind')}</th><th>{t('adm.col.created')}</th><th>{t('adm.col.by')}</th><th>{t('adm.col.expires')}</th><th>{t('adm.col.state')}</th></tr></thead>
          <tbody>
            {settings.invitations.map((i, n) => (
              <tr key={n}><td data-label={t('adm.col.kind')}>{t(`adm.kind.${i.kind}`)}</td><td data-label={t('adm.col.created')}>{time(i.createdAt)}</td><td data-label={t('adm.col.by')}>{i.createdByEmail ?? '—'}</td><td data-label={t('adm.col.expires')}>{time(i.expiresAt)}</td><td data-label={t('adm.col.state')}>{i.state === 'used' ? t('adm.invitation.used', { when: time(i.usedAt) }) : t(`adm.invitation.${i.state}`)}</td></tr>
            ))}
            {settings.invitations.length === 0 && <tr><td colSpan={5} className="muted">{t('adm.no_invitations')}</td></tr>}
          </tbody>
        </table>
      </section>
      <LanguageSwitch initial={await languageChoice()} />
      <section className="panel" aria-labelledby="configuration">
        <h2 id="configuration">{t('adm.configuration')}</h2>
        <p className="muted">{t('adm.configuration_explain')}</p>
        <dl>
          <dt>{t('adm.origin')} (<code>ORIGIN</code>)</dt><dd><code>{settings.origin}</code></dd>
          <dt>{t('adm.rp_id')} (<code>RP_ID</code>)</dt><dd><code>{settings.rpId}</code></dd>
          <dt>{t('adm.default_quota')} (<code>DEFAULT_ORG_QUOTA_BYTES</code>)</dt><dd>{settings.defaultOrgQuotaBytes ? format.bytes(settings.defaultOrgQuotaBytes) : t('adm.unlimited')}</dd>
        </dl>
      </section>
    </main>
  );
}
