import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getOrgDetail } from '@/lib/server/admin/orgs';
import { getFormat, getT } from '@/lib/server/i18n';
import { requireAdminSession } from '@/lib/server/pages';
import { uuidSchema } from '@/lib/shared/schemas/common';
import { INVOICE_STATUSES } from '@/lib/shared/schemas/invoice';
import { QuotaForm } from '@/components/admin/quota-form';
import { StateToggle } from '@/components/admin/state-toggle';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('adm.organization') };
}

export default async function OrganizationPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdminSession();
  const { t, format } = await getFormat();
  const id = uuidSchema.safeParse((await params).id);
  const org = id.success ? await getOrgDetail(id.data) : null;
  if (!org) notFound();
  return (
    <main id="main" style={{ maxWidth: '1100px' }}>
      <p><Link href="/admin/organizations">{t('adm.back_orgs')}</Link></p>
      <div className="row"><h1>{org.name}</h1>{org.suspendedAt ? <span className="badge warn">{t('adm.state.suspended')}</span> : <span className="badge ok">{t('adm.state.active')}</span>}</div>
      <section className="panel">
        <dl>
          <dt>{t('adm.col.handle')}</dt><dd><code>{org.handle}</code></dd>
          <dt>{t('adm.col.created')}</dt><dd>{format.date(org.createdAt)}</dd>
          <dt>{t('adm.col.members')}</dt><dd>{format.number(org.members)}</dd>
        </dl>
        {org.suspendedAt && <p className="muted">{t('adm.suspended_since', { date: format.date(org.suspendedAt) })}</p>}
        <StateToggle endpoint={`/api/admin/orgs/${org.id}`} off={org.suspendedAt !== null} offAction="suspend" onAction="resume" offLabel={t('adm.suspend')} onLabel={t('adm.resume')} />
      </section>
      <section className="panel stack" aria-labelledby="storage">
        <h2 id="storage">{t('adm.storage')}</h2>
        <dl>
          <dt>{t('adm.used')}</dt><dd>{org.quotaBytes === null ? format.bytes(org.storageBytes) : t('adm.used_of', { used: format.bytes(org.storageBytes), quota: format.bytes(org.quotaBytes), percent: Math.min(100, Math.round((org.storageBytes / org.quotaBytes) * 100)) })}</dd>
          <dt>{t('adm.pending')}</dt><dd>{t('adm.pending_detail', { bytes: format.bytes(org.pendingBytes), count: org.openUploads })}</dd>
          <dt>{t('adm.quota')}</dt><dd>{org.quotaBytes === null ? t('adm.unlimited') : format.bytes(org.quotaBytes)} {org.quotaSetting !== null ? t('adm.quota_own') : org.defaultQuotaBytes ? t('adm.quota_default') : t('adm.quota_default_unlimited')}</dd>
        </dl>
        {org.quotaBytes !== null && <meter min={0} max={org.quotaBytes} value={Math.min(org.storageBytes, org.quotaBytes)} aria-label={t('adm.storage_meter')}>{format.bytes(org.storageBytes)}</meter>}
        <p className="muted">{t('adm.storage_counted')}</p>
        <QuotaForm orgId={org.id} quotaSetting={org.quotaSetting} />
      </section>
      <section className="panel">
        <h2>{t('adm.members')}</h2>
        <table className="cards" aria-label={t('adm.members')}>
          <thead><tr><th>{t('adm.col.name')}</th><th>{t('adm.col.email')}</th><th>{t('adm.col.role')}</th></tr></thead>
          <tbody>
            {org.memberList.map((m) => <tr key={m.userId}><td data-label={t('adm.col.name')}><Link href={`/admin/users/${m.userId}`}>{m.displayName}</Link>{m.deleted && <> <span className="badge warn">{t('adm.state.deleted')}</span></>}</td><td data-label={t('adm.col.email')}>{m.deleted ? '—' : m.email}</td><td data-label={t('adm.col.role')}>{format.role(m.role)}</td></tr>)}
            {org.memberList.length === 0 && <tr><td colSpan={3} className="muted">{t('adm.no_members')}</td></tr>}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <h2>{t('adm.by_status')}</h2>
        <table className="cards" aria-label={t('adm.by_status')}>
          <thead><tr><th>{t('adm.col.status')}</th><th className="num">{t('adm.col.sent')}</th><th className="num">{t('adm.col.received')}</th></tr></thead>
          <tbody>{INVOICE_STATUSES.map((s) => <tr key={s}><td data-label={t('adm.col.status')}>{format.status(s)}</td><td data-label={t('adm.col.sent')} className="num">{format.number(org.sentByStatus[s] ?? 0)}</td><td data-label={t('adm.col.received')} className="num">{format.number(org.receivedByStatus[s] ?? 0)}</td></tr>)}</tbody>
        </table>
      </section>
    </main>
  );
}
