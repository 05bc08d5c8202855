import type { Metadata } from 'next';
import Link from 'next/link';
import { listOrgs } from '@/lib/server/admin/orgs';
import { getFormat } from '@/lib/server/i18n';
import { requireAdminSession } from '@/lib/server/pages';
import { ADMIN_PAGE_SIZE, Pager, pageNumber } from '@/components/admin/pager';
import { formatBytes } from './format';

export const metadata: Metadata = { title: 'Organizations' };

export default async function OrganizationsPage({ searchParams }: { searchParams: Promise<{ page?: string | string[] }> }) {
  await requireAdminSession();
  const { format } = await getFormat();
  const page = pageNumber((await searchParams).page);
  // One row more than shown says whether an older page exists.
  const fetched = await listOrgs({ offset: (page - 1) * ADMIN_PAGE_SIZE, limit: ADMIN_PAGE_SIZE + 1 });
  const orgs = fetched.slice(0, ADMIN_PAGE_SIZE);
  return (
    <main id="main" style={{ maxWidth: '1100px' }}>
      <h1>Organizations</h1>
      <table aria-label="Organizations">
        <thead><tr><th>Name</th><th>Handle</th><th>Created</th><th className="num">Members</th><th className="num">Sent</th><th className="num">Received</th><th className="num">Storage</th><th>State</th></tr></thead>
        <tbody>
          {orgs.map((o) => (
            <tr key={o.id}>
              <td><Link href={`/admin/organizations/${o.id}`}>{o.name}</Link></td>
              <td><code>{o.handle}</code></td>
              <td>{format.date(o.createdAt)}</td>
              <td className="num">{o.members}</td>
              <td className="num">{o.invoicesSent}</td>
              <td className="num">{o.invoicesReceived}</td>
              <td className="num">{formatBytes(o.storageBytes)}{o.quotaBytes !== null && ` / ${formatBytes(o.quotaBytes)}`}</td>
              <td>{o.suspendedAt ? <span className="badge warn">suspended</span> : 'active'}</td>
            </tr>
          ))}
          {orgs.length === 0 && <tr><td colSpan={8} className="muted">No organizations yet.</td></tr>}
        </tbody>
      </table>
      <Pager path="/admin/organizations" page={page} hasMore={fetched.length > ADMIN_PAGE_SIZE} />
    </main>
  );
}
