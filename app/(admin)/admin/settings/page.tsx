import type { Metadata } from 'next';
import { InvitationCreator, RegistrationForm } from '@/components/admin/settings-forms';
import { getSettings } from '@/lib/server/admin/settings';
import { LanguageSwitch } from '@/components/language-switch';
import { getFormat, languageChoice } from '@/lib/server/i18n';
import { requireAdminSession } from '@/lib/server/pages';
import { formatBytes } from '../organizations/format';

export const metadata: Metadata = { title: 'Instance settings' };


export default async function SettingsPage() {
  await requireAdminSession();
  const settings = await getSettings();
  const { format } = await getFormat();
  const time = (iso: string | null) => (iso ? format.dateTime(iso) : '—');
  return (
    <main id="main" style={{ maxWidth: '1100px' }}>
      <h1>Instance settings</h1>
      <section className="panel stack" aria-labelledby="registration">
        <h2 id="registration">Registration</h2>
        <p className="muted">
          Now: <strong>{settings.registration === 'open' ? 'open to anyone' : 'by invitation only'}</strong>. By invitation, the sign-up page explains that a link is needed, and each
          sign-up invitation below creates one account. Existing accounts are not affected either way.
        </p>
        <RegistrationForm registration={settings.registration} />
        <InvitationCreator kind="sign-up" />
      </section>
      <section className="panel stack" aria-labelledby="admins">
        <h2 id="admins">Administrators</h2>
        <p className="muted">A new platform administrator registers a passkey through a one-time invitation link, valid for 24 hours. Administrators belong to no organization and can open no invoice.</p>
        <InvitationCreator kind="admin" />
      </section>
      <section className="panel" aria-labelledby="invitations">
        <h2 id="invitations">Recent invitations</h2>
        <table aria-label="Invitations">
          <thead><tr><th>Kind</th><th>Created</th><th>By</th><th>Expires</th><th>State</th></tr></thead>
          <tbody>
            {settings.invitations.map((i, n) => (
              <tr key={n}><td>{i.kind === 'admin' ? 'administrator' : 'sign-up'}</td><td>{time(i.createdAt)}</td><td>{i.createdByEmail ?? '—'}</td><td>{time(i.expiresAt)}</td><td>{i.state === 'used' ? `used ${time(i.usedAt)}` : i.state}</td></tr>
            ))}
            {settings.invitations.length === 0 && <tr><td colSpan={5} className="muted">No invitations yet.</td></tr>}
          </tbody>
        </table>
      </section>
      <LanguageSwitch initial={await languageChoice()} />
      <section className="panel" aria-labelledby="configuration">
        <h2 id="configuration">Configuration</h2>
        <p className="muted">Set in the server’s environment and shown here read-only; changing them needs a restart.</p>
        <dl>
          <dt>Public origin (<code>ORIGIN</code>)</dt><dd><code>{settings.origin}</code></dd>
          <dt>Passkey relying party ID (<code>RP_ID</code>)</dt><dd><code>{settings.rpId}</code></dd>
          <dt>Default organization quota (<code>DEFAULT_ORG_QUOTA_BYTES</code>)</dt><dd>{settings.defaultOrgQuotaBytes ? formatBytes(settings.defaultOrgQuotaBytes) : 'unlimited'}</dd>
        </dl>
      </section>
    </main>
  );
}
