import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getUserDetail } from '@/lib/server/admin/users';
import { getFormat, getT } from '@/lib/server/i18n';
import { requireAdminSession } from '@/lib/server/pages';
import { uuidSchema } from '@/lib/shared/schemas/common';
import { DeleteAccount } from '@/components/admin/delete-account';
import { RevokeSessions } from '@/components/admin/revoke-sessions';
import { StateToggle } from '@/components/admin/state-toggle';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('adm.user') };
}

export default async function UserPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdminSession();
  const id = uuidSchema.safeParse((await params).id);
  const user = id.success ? await getUserDetail(id.data) : null;
  if (!user) notFound();
  const { t, format } = await getFormat();
  const time = (iso: string | null) => (iso ? format.dateTime(iso) : '—');
  const now = new Date().toISOString();
  const open = user.sessions.filter((s) => !s.revokedAt && s.expiresAt > now);
  return (
    <main id="main" style={{ maxWidth: '1100px' }}>
      <p><Link href="/admin/users">{t('adm.back_users')}</Link></p>
      <div className="row"><h1>{user.displayName}</h1>{user.deletedAt ? <span className="badge warn">{t('adm.state.deleted')}</span> : user.disabledAt ? <span className="badge warn">{t('adm.state.disabled')}</span> : <span className="badge ok">{t('adm.state.active')}</span>}</div>
      {user.deletedAt && <p className="alert warn" role="note">{t('adm.tombstone', { when: time(user.deletedAt) })}</p>}
      <section className="panel">
        <dl>
          <dt>{t('adm.col.email')}</dt><dd>{user.email}</dd>
          <dt>{t('adm.col.created')}</dt><dd>{time(user.createdAt)}</dd>
          <dt>{t('adm.col.last_sign_in')}</dt><dd>{time(user.lastSignInAt)}</dd>
          {user.disabledAt && <><dt>{t('adm.disabled_since')}</dt><dd>{time(user.disabledAt)}</dd></>}
          <dt>{t('adm.col.orgs')}</dt><dd>{user.memberships.map((m) => `${m.orgName} (${format.role(m.role)})`).join(', ') || '—'}</dd>
        </dl>
        {!user.isPlatformAdmin && !user.deletedAt && <StateToggle endpoint={`/api/admin/users/${user.id}`} off={user.disabledAt !== null} offAction="disable" onAction="enable" offLabel={t('adm.disable')} onLabel={t('adm.enable')} />}
      </section>
      <section className="panel">
        <h2>{t('adm.passkeys')}</h2>
        <table className="cards" aria-label={t('adm.passkeys')}>
          <thead><tr><th>{t('adm.col.name')}</th><th>{t('adm.col.kind')}</th><th>{t('adm.col.backed_up')}</th><th>{t('adm.col.added')}</th><th>{t('adm.col.last_used')}</th></tr></thead>
          <tbody>
            {user.passkeyList.map((p, i) => <tr key={i}><td data-label={t('adm.col.name')}>{p.name}</td><td data-label={t('adm.col.kind')}>{t(p.deviceType === 'multiDevice' ? 'adm.synced' : 'adm.device_bound')}</td><td data-label={t('adm.col.backed_up')}>{t(p.backedUp ? 'common.yes' : 'common.no')}</td><td data-label={t('adm.col.added')}>{time(p.createdAt)}</td><td data-label={t('adm.col.last_used')}>{time(p.lastUsedAt)}</td></tr>)}
            {user.passkeyList.length === 0 && <tr><td colSpan={5} className="muted">{t('adm.no_passkeys')}</td></tr>}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <h2>{t('adm.sessions')}</h2>
        <p className="muted">{t('adm.open_sessions', { count: open.length })}</p>
        {open.length > 0 && <RevokeSessions userId={user.id} label={t('adm.sign_out_everywhere')} />}
        <table className="cards" aria-label={t('adm.sessions')}>
          <thead><tr><th>{t('adm.col.started')}</th><th>{t('adm.col.last_seen')}</th><th>{t('adm.col.state')}</th><th>{t('adm.col.address')}</th><th>{t('adm.col.browser')}</th></tr></thead>
          <tbody>
            {user.sessions.map((s) => <tr key={s.id}><td data-label={t('adm.col.started')}>{time(s.createdAt)}</td><td data-label={t('adm.col.last_seen')}>{time(s.lastSeenAt)}</td><td data-label={t('adm.col.state')}>{s.revokedAt ? t('adm.session.revoked', { when: time(s.revokedAt) }) : s.expiresAt <= now ? t('adm.session.expired') : t('adm.session.open')}</td><td data-label={t('adm.col.address')}>{s.ip ?? '—'}</td><td data-label={t('adm.col.browser')}>{s.userAgent?.slice(0, 60) ?? '—'}</td></tr>)}
            {user.sessions.length === 0 && <tr><td colSpan={5} className="muted">{t('adm.no_sessions')}</td></tr>}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <h2>{t('adm.security_events')}</h2>
        <table className="cards" aria-label={t('adm.security_events_table')}>
          <thead><tr><th className="num">#</th><th>{t('adm.col.time_utc')}</th><th>{t('adm.col.action')}</th><th>{t('adm.col.outcome')}</th><th>{t('adm.col.passkey')}</th><th>{t('adm.col.address')}</th></tr></thead>
          <tbody>{user.securityEvents.map((e) => <tr key={e.seq}><td data-label="#" className="num">{e.seq}</td><td data-label={t('adm.col.time_utc')}>{time(e.at)}</td><td data-label={t('adm.col.action')}>{format.auditAction(e.action)} <code className="muted small-code">{e.action}</code></td><td data-label={t('adm.col.outcome')}>{t(e.outcome === 'success' ? 'audit.success' : 'audit.failure')}{e.reason ? `: ${e.reason}` : ''}</td><td data-label={t('adm.col.passkey')}>{e.credentialId ? <code title={e.credentialId}>{e.credentialId.slice(0, 10)}…</code> : '—'}</td><td data-label={t('adm.col.address')}>{e.ip ?? '—'}</td></tr>)}</tbody>
        </table>
        <p><Link href={`/admin/audit?actor=${user.id}`}>{t('adm.all_by_user')}</Link></p>
      </section>
      {!user.isPlatformAdmin && !user.deletedAt && (
        <section className="panel" aria-labelledby="danger-zone">
          <h2 id="danger-zone">{t('adm.delete_heading')}</h2>
          <p className="muted">{t('adm.delete_explain')}</p>
          <DeleteAccount userId={user.id} />
        </section>
      )}
    </main>
  );
}
