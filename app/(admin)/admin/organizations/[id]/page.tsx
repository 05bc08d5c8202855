import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getOrgDetail } from '@/lib/server/admin/orgs';
import { requireAdminSession } from '@/lib/server/pages';
import { uuidSchema } from '@/lib/shared/schemas/common';
import { INVOICE_STATUSES } from '@/lib/shared/schemas/invoice';
import { formatBytes } from '../format';
import { StateToggle } from '@/components/admin/state-toggle';

export const metadata: Metadata = { title: 'Organization' };

export default async function OrganizationPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdminSession();
  const id = uuidSchema.safeParse((await params).id);
  const org = id.success ? await getOrgDetail(id.data) : null;
  if (!org) notFound();
  return (
    <main style={{ maxWidth: '1100px' }}>
      <p><Link href="/admin/organizations">← Organizations</Link></p>
      <div className="row"><h1>{org.name}</h1>{org.suspendedAt ? <span className="badge warn">suspended</span> : <span className="badge ok">active</span>}</div>
      <section className="panel">
        <dl>
          <dt>Handle</dt><dd><code>{org.handle}</code></dd>
          <dt>Created</dt><dd>{org.createdAt.slice(0, 10)}</dd>
          <dt>Ciphertext stored</dt><dd>{formatBytes(org.storageBytes)}</dd>
        </dl>
        <StateToggle endpoint={`/api/admin/orgs/${org.id}`} off={org.suspendedAt !== null} offAction="suspend" onAction="resume" offLabel="Suspend organization" onLabel="Resume organization" />
      </section>
      <section className="panel">
        <h2>Members</h2>
        <table aria-label="Members">
          <thead><tr><th>Name</th><th>Email</th><th>Role</th></tr></thead>
          <tbody>{org.memberList.map((m) => <tr key={m.userId}><td><Link href={`/admin/users/${m.userId}`}>{m.displayName}</Link></td><td>{m.email}</td><td>{m.role}</td></tr>)}</tbody>
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
