import type { Metadata } from 'next';
import Link from 'next/link';
import { listUsers } from '@/lib/server/admin/users';
import { getFormat } from '@/lib/server/i18n';
import { requireAdminSession } from '@/lib/server/pages';
import { userSearchSchema } from '@/lib/shared/schemas/admin';
import { ADMIN_PAGE_SIZE, Pager, pageNumber } from '@/components/admin/pager';

export const metadata: Metadata = { title: 'Users' };


export default async function UsersPage({ searchParams }: { searchParams: Promise<{ q?: string; page?: string | string[] }> }) {
  await requireAdminSession();
  const params = await searchParams;
  const { q } = userSearchSchema.catch({ q: '' }).parse({ q: params.q });
  const page = pageNumber(params.page);
  // One row more than shown says whether an older page exists.
  const fetched = await listUsers(q, { offset: (page - 1) * ADMIN_PAGE_SIZE, limit: ADMIN_PAGE_SIZE + 1 });
  const users = fetched.slice(0, ADMIN_PAGE_SIZE);
  const { format } = await getFormat();
  const day = (iso: string | null) => (iso ? <time dateTime={iso}>{format.date(iso)}</time> : '—');
  return (
    <main id="main" style={{ maxWidth: '1100px' }}>
      <h1>Users</h1>
      <form className="row" method="get" action="/admin/users" role="search">
        <label>Search name or email<input name="q" defaultValue={q} /></label>
        <button type="submit">Search</button>
      </form>
      <table aria-label="Users">
        <thead><tr><th>Name</th><th>Email</th><th>Created</th><th>Last sign-in</th><th className="num">Passkeys</th><th>Organizations</th><th>State</th></tr></thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td><Link href={`/admin/users/${u.id}`}>{u.displayName}</Link></td>
              <td>{u.email}</td>
              <td>{day(u.createdAt)}</td>
              <td>{day(u.lastSignInAt)}</td>
              <td className="num">{u.passkeys}{u.passkeys > 0 && (u.anyPasskeyBackedUp ? ' (backed up)' : ' (none backed up)')}</td>
              <td>{u.organizations.join(', ') || '—'}</td>
              <td>{u.isPlatformAdmin ? <span className="badge">admin</span> : u.deletedAt ? <span className="badge warn">deleted</span> : u.disabledAt ? <span className="badge warn">disabled</span> : 'active'}</td>
            </tr>
          ))}
          {users.length === 0 && <tr><td colSpan={7} className="muted">No users match.</td></tr>}
        </tbody>
      </table>
      <Pager path="/admin/users" page={page} hasMore={fetched.length > ADMIN_PAGE_SIZE} params={{ q }} />
    </main>
  );
}
