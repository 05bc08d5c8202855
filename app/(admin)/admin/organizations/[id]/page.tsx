import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getOrgDetail } from '@/lib/server/admin/orgs';
import { getFormat } from '@/lib/server/i18n';
import { requireAdminSession } from '@/lib/server/pages';
import { uuidSchema } from '@/lib/shared/schemas/common';
import { INVOICE_STATUSES } from '@/lib/shared/schemas/invoice';
import { formatBytes } from '../format';
import { QuotaForm } from '@/components/admin/quota-form';
import { StateToggle } from '@/components/admin/state-toggle';

export const metadata: Metadata = { title: 'Organization' };

export default async function OrganizationPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdminSession();
  const { format } = await getFormat();
  const id = uuidSchema.safeParse((await params).id);
  const org = id.success ? await getOrgDetail(id.data) : null;
  if (!org) notFound();
  return (
    <main id="main" style={{ maxWidth: '1100px' }}>
      <p><Link href="/admin/organizations">← Organizations</Link></p>
      <div className="row"><h1>{org.name}</h1>{org.suspendedAt ? <span className="badge warn">suspended</span> : <span className="badge ok">active</span>}</div>
      <section className="panel">
        <dl>
          <dt>Handle</dt><dd><code>{org.handle}</code></dd>
          <dt>Created</dt><dd>{format.date(org.createdAt)}</dd>
          <dt>Members</dt><dd>{org.members}</dd>
        </dl>
        {org.suspendedAt && <p className="muted">Suspended since {format.date(org.suspendedAt)}: it cannot send invoices; what it sent and received stays readable to the organizations involved.</p>}
        <StateToggle endpoint={`/api/admin/orgs/${org.id}`} off={org.suspendedAt !== null} offAction="suspend" onAction="resume" offLabel="Suspend organization" onLabel="Resume organization" />
      </section>
      <section className="panel stack" aria-labelledby="storage">
        <h2 id="storage">Storage</h2>
        <dl>
          <dt>Used</dt><dd>{formatBytes(org.storageBytes)}{org.quotaBytes !== null && ` of ${formatBytes(org.quotaBytes)} (${Math.min(100, Math.round((org.storageBytes / org.quotaBytes) * 100))} %)`}</dd>
          <dt>Of which in open uploads</dt><dd>{formatBytes(org.pendingBytes)} ({org.openUploads} {org.openUploads === 1 ? 'upload' : 'uploads'} in progress)</dd>
          <dt>Quota</dt><dd>{org.quotaBytes === null ? 'unlimited' : formatBytes(org.quotaBytes)} {org.quotaSetting === null ? `(instance default${org.defaultQuotaBytes ? '' : ': unlimited'})` : '(set for this organization)'}</dd>
        </dl>
        {org.quotaBytes !== null && <meter min={0} max={org.quotaBytes} value={Math.min(org.storageBytes, org.quotaBytes)} aria-label="Storage used of quota">{formatBytes(org.storageBytes)}</meter>}
        <p className="muted">Counted: the encrypted documents and headers of invoices this organization sent, plus uploads it has started and not finished (in full, from the start, so no upload can overrun the quota halfway).</p>
        <QuotaForm orgId={org.id} quotaSetting={org.quotaSetting} />
      </section>
      <section className="panel">
        <h2>Members</h2>
        <table aria-label="Members">
          <thead><tr><th>Name</th><th>Email</th><th>Role</th></tr></thead>
          <tbody>
            {org.memberList.map((m) => <tr key={m.userId}><td><Link href={`/admin/users/${m.userId}`}>{m.displayName}</Link>{m.deleted && <> <span className="badge warn">deleted</span></>}</td><td>{m.deleted ? '—' : m.email}</td><td>{m.role}</td></tr>)}
            {org.memberList.length === 0 && <tr><td colSpan={3} className="muted">No members.</td></tr>}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <h2>Invoices by status</h2>
        <table aria-label="Invoices by status">
          <thead><tr><th>Status</th><th className="num">Sent</th><th className="num">Received</th></tr></thead>
          <tbody>{INVOICE_STATUSES.map((s) => <tr key={s}><td>{s}</td><td className="num">{org.sentByStatus[s] ?? 0}</td><td className="num">{org.receivedByStatus[s] ?? 0}</td></tr>)}</tbody>
        </table>
      </section>
    </main>
  );
}
