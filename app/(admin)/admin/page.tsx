import type { Metadata } from 'next';
import Link from 'next/link';
import { DailyChart } from '@/components/admin/daily-chart';
import { getOverview, OVERVIEW_DAYS } from '@/lib/server/admin/overview';
import { getFormat } from '@/lib/server/i18n';
import { requireAdminSession } from '@/lib/server/pages';
import { formatBytes } from './organizations/format';
import { INVOICE_STATUSES } from '@/lib/shared/schemas/invoice';

export const metadata: Metadata = { title: 'Administration' };

export default async function AdminHomePage() {
  const session = await requireAdminSession();
  const overview = await getOverview();
  const { format } = await getFormat();
  const invoiceTotal = Object.values(overview.invoicesByStatus).reduce((a, b) => a + b, 0);
  return (
    <main id="main" style={{ maxWidth: '1100px' }}>
      <div className="row"><h1>Administration</h1><span className="badge">platform admin</span></div>
      <p className="muted">Signed in as {session.displayName}. Administrators see metadata only (counts, sizes, times) and hold no key that opens an invoice.</p>
      <section className="panel" aria-labelledby="totals">
        <h2 id="totals">Instance</h2>
        <dl>
          <dt>Users</dt><dd><Link href="/admin/users">{overview.users}</Link> ({overview.disabledUsers} disabled, {overview.deletedUsers} deleted), plus {overview.admins} platform {overview.admins === 1 ? 'admin' : 'admins'}</dd>
          <dt>Organizations</dt><dd><Link href="/admin/organizations">{overview.organizations}</Link> ({overview.suspendedOrganizations} suspended)</dd>
          <dt>Invoices</dt><dd>{invoiceTotal}</dd>
          <dt>Ciphertext stored</dt><dd>{formatBytes(overview.storageBytes)} <span className="muted">(encrypted documents and headers, and open uploads)</span></dd>
        </dl>
      </section>
      <section className="panel" aria-labelledby="by-status">
        <h2 id="by-status">Invoices by status</h2>
        {invoiceTotal === 0 ? <p className="muted">No invoices have been sent yet.</p> : (
          <table aria-label="Invoices by status">
            <thead><tr><th>Status</th><th className="num">Invoices</th></tr></thead>
            <tbody>{INVOICE_STATUSES.map((s) => <tr key={s}><td>{format.status(s)}</td><td className="num">{format.number(overview.invoicesByStatus[s] ?? 0)}</td></tr>)}</tbody>
          </table>
        )}
      </section>
      <section className="panel stack" aria-labelledby="activity">
        <h2 id="activity">Last {OVERVIEW_DAYS} days</h2>
        <p className="muted">From the audit log, per UTC day: successful sign-ins and invoices sent.</p>
        <DailyChart title="Sign-ins per day" unit="sign-ins" days={overview.signInsPerDay} />
        <DailyChart title="Invoices uploaded per day" unit="uploads" days={overview.uploadsPerDay} />
      </section>
    </main>
  );
}
