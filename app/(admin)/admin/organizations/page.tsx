import type { Metadata } from 'next';
import Link from 'next/link';
import { listOrgs } from '@/lib/server/admin/orgs';
import { getFormat, getT } from '@/lib/server/i18n';
import { requireAdminSession } from '@/lib/server/pages';
import { ADMIN_PAGE_SIZE, Pager, pageNumber } from '@/components/admin/pager';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('adm.organizations') };
}

export default async function OrganizationsPage({ searchParams }: { searchParams: Promise<{ page?: string | string[] }> }) {
  await requireAdminSession();
  const { t, format } = await getFormat();
  const page = pageNumber((await searchParams).page);
  // One row more than shown says whether an older page exists.
  const fetched = await listOrgs({ offset: (page - 1) * ADMIN_PAGE_SIZE, limit: ADMIN_PAGE_SIZE + 1 });
  const orgs = fetched.slice(0, ADMIN_PAGE_SIZE);
  return (
    <main id="main" style={{ maxWidth: '1100px' }}>
      <h1>{t('adm.organizations')}</h1>
      <table className="cards" aria-label={t('adm.organizations')}>
        <thead><tr><th>{t('adm.col.name')}</th><th>{t('adm.col.handle')}</th><th>{t('adm.col.created')}</th><th className="num">{t('adm.col.members')}</th><th className="num">{t('adm.col.sent')}</th><th className="num">{t('adm.col.received')}</th><th className="num">{t('adm.col.storage')}</th><th>{t('adm.col.state')}</th></tr></thead>
        <tbody>
          {orgs.map((o) => (
            <tr key={o.id}>
              <td data-label={t('adm.col.name')}><Link href={`/admin/organizations/${o.id}`}>{o.name}</Link></td>
              <td data-label={t('adm.col.handle')}><code>{o.handle}</code></td>
              <td data-label={t('adm.col.created')}>{format.date(o.createdAt)}</td>
              <td data-label={t('adm.col.members')} className="num">{o.members}</td>
              <td data-label={t('adm.col.sent')} className="num">{o.invoicesSent}</td>
              <td data-label={t('adm.col.received')} className="num">{o.invoicesReceived}</td>
              <td data-label={t('adm.col.storage')} className="num">{format.bytes(o.storageBytes)}{o.quotaBytes !== null && ` / ${format.bytes(o.quotaBytes)}`}</td>
              <td data-label={t('adm.col.state')}>{o.suspendedAt ? <span className="badge warn">{t('adm.state.suspended')}</span> : t('adm.state.active')}</td>
            </tr>
          ))}
          {orgs.length === 0 && <tr><td colSpan={8} className="muted">{t('adm.no_orgs')}</td></tr>}
        </tbody>
      </table>
      <Pager t={t} path="/admin/organizations" page={page} hasMore={fetched.length > ADMIN_PAGE_SIZE} />
    </main>
  );
}
