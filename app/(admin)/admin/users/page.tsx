import type { Metadata } from 'next';
import Link from 'next/link';
import { listUsers } from '@/lib/server/admin/users';
import { getFormat, getT } from '@/lib/server/i18n';
import { requireAdminSession } from '@/lib/server/pages';
import { userSearchSchema } from '@/lib/shared/schemas/admin';
import { ADMIN_PAGE_SIZE, Pager, pageNumber } from '@/components/admin/pager';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('adm.users') };
}


export default async function UsersPage({ searchParams }: { searchParams: Promise<{ q?: string; page?: string | string[] }> }) {
  await requireAdminSession();
  const params = await searchParams;
  const { q } = userSearchSchema.catch({ q: '' }).parse({ q: params.q });
  const page = pageNumber(params.page);
  // One row more than shown says whether an older page exists.
  const fetched = await listUsers(q, { offset: (page - 1) * ADMIN_PAGE_SIZE, limit: ADMIN_PAGE_SIZE + 1 });
  const users = fetched.slice(0, ADMIN_PAGE_SIZE);
  const { t, format } = await getFormat();
  const day = (iso: string | null) => (iso ? <time dateTime={iso}>{format.date(iso)}</time> : '—');
  return (
    <main id="main" style={{ maxWidth: '1100px' }}>
      <h1>{t('adm.users')}</h1>
      <form className="row" method="get" action="/admin/users" role="search">
        <label>{t('adm.search')}<input name="q" defaultValue={q} /></label>
        <button type="submit">{t('adm.search_button')}</button>
      </form>
      <table className="cards" aria-label={t('adm.users')}>
        <thead><tr><th>{t('adm.col.name')}</th><th>{t('adm.col.email')}</th><th>{t('adm.col.created')}</th><th>{t('adm.col.last_sign_in')}</th><th className="num">{t('adm.col.passkeys')}</th><th>{t('adm.col.orgs')}</th><th>{t('adm.col.state')}</th></tr></thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td data-label={t('adm.col.name')}><Link href={`/admin/users/${u.id}`}>{u.displayName}</Link></td>
              <td data-label={t('adm.col.email')}>{u.email}</td>
              <td data-label={t('adm.col.created')}>{day(u.createdAt)}</td>
              <td data-label={t('adm.col.last_sign_in')}>{day(u.lastSignInAt)}</td>
              <td data-label={t('adm.col.passkeys')} className="num">{u.passkeys}{u.passkeys > 0 && t(u.anyPasskeyBackedUp ? 'adm.backed_up' : 'adm.none_backed_up')}</td>
              <td data-label={t('adm.col.orgs')}>{u.organizations.join(', ') || '—'}</td>
              <td data-label={t('adm.col.state')}>{u.isPlatformAdmin ? <span className="badge">{t('adm.state.admin')}</span> : u.deletedAt ? <span className="badge warn">{t('adm.state.deleted')}</span> : u.disabledAt ? <span className="badge warn">{t('adm.state.disabled')}</span> : t('adm.state.active')}</td>
            </tr>
          ))}
          {users.length === 0 && <tr><td colSpan={7} className="muted">{t('adm.no_users')}</td></tr>}
        </tbody>
      </table>
      <Pager t={t} path="/admin/users" page={page} hasMore={fetched.length > ADMIN_PAGE_SIZE} params={{ q }} />
    </main>
  );
}
