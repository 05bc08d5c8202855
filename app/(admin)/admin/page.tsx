import type { Metadata } from 'next';
import Link from 'next/link';
import { DailyChart } from '@/components/admin/daily-chart';
import { getOverview, OVERVIEW_DAYS } from '@/lib/server/admin/overview';
import { getFormat, getT } from '@/lib/server/i18n';
import { requireAdminSession } from '@/lib/server/pages';
import { INVOICE_STATUSES } from '@/lib/shared/schemas/invoice';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('adm.title') };
}

export default async function AdminHomePage() {
  const session = await requireAdminSession();
  const overview = await getOverview();
  const { t, format } = await getFormat();
  const invoiceTotal = Object.values(overview.invoicesByStatus).reduce((a, b) => a + b, 0);
  return (
    <main id="main" style={{ maxWidth: '1100px' }}>
      <div className="row"><h1>{t('adm.title')}</h1><span className="badge">{t('adm.badge')}</span></div>
      <p className="muted">{t('adm.signed_in_as', { name: session.displayName })}</p>
      <section className="panel" aria-labelledby="totals">
        <h2 id="totals">{t('adm.instance')}</h2>
        <dl>
          <dt>{t('adm.users')}</dt><dd><Link href="/admin/users">{format.number(overview.users)}</Link> {t('adm.users_detail', { disabled: overview.disabledUsers, deleted: overview.deletedUsers, admins: overview.admins })}</dd>
          <dt>{t('adm.organizations')}</dt><dd><Link href="/admin/organizations">{format.number(overview.organizations)}</Link> {t('adm.orgs_detail', { suspended: overview.suspendedOrganizations })}</dd>
          <dt>{t('adm.invoices')}</dt><dd>{format.number(invoiceTotal)}</dd>
          <dt>{t('adm.stored')}</dt><dd>{format.bytes(overview.storageBytes)} <span className="muted">{t('adm.stored_hint')}</span></dd>
        </dl>
      </section>
      <section className="panel" aria-labelledby="by-status">
        <h2 id="by-status">{t('adm.by_status')}</h2>
        {invoiceTotal === 0 ? <p className="muted">{t('adm.no_invoices')}</p> : (
          <table className="cards" aria-label={t('adm.by_status')}>
            <thead><tr><th>{t('adm.col.status')}</th><th className="num">{t('adm.col.invoices')}</th></tr></thead>
            <tbody>{INVOICE_STATUSES.map((s) => <tr key={s}><td data-label={t('adm.col.status')}>{format.status(s)}</td><td data-label={t('adm.col.invoices')} className="num">{format.number(overview.invoicesByStatus[s] ?? 0)}</td></tr>)}</tbody>
          </table>
        )}
      </section>
      <section className="panel stack" aria-labelledby="activity">
        <h2 id="activity">{t('adm.last_days', { days: OVERVIEW_DAYS })}</h2>
        <p className="muted">{t('adm.activity_hint')}</p>
        <DailyChart t={t} title={t('adm.chart.sign_ins')} unit={t('adm.unit.sign_ins')} days={overview.signInsPerDay} />
        <DailyChart t={t} title={t('adm.chart.uploads')} unit={t('adm.unit.uploads')} days={overview.uploadsPerDay} />
      </section>
    </main>
  );
}
